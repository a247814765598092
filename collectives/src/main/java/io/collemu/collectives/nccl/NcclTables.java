package io.collemu.collectives.nccl;

/**
 * The constants of NCCL's tuning model, copied from NVIDIA/nccl v2.30.7-1 with NCCL's types ({@code float}
 * where NCCL declares {@code float}, {@code double} where the tuner constants are {@code double},
 * src/include/plugin/tuner/tuner_v5.h:25-35). Rows are indexed by NCCL's ids: algorithm
 * ({@link NcclAlgorithm#id()}), protocol ({@link NcclProtocol#id()}), hardware (NVLINK 0, PCI 1, NET 2),
 * compute-capability index (Volta 0, Ampere 1, Hopper 2, Blackwell 3) and scale (1 node, 2 nodes, more).
 *
 * <p>Package-private: the arrays are mutable Java arrays and must not be handed out.
 */
final class NcclTables {

    private NcclTables() {
    }

    /** Hardware index of NVLink ({@code NCCL_HW_NVLINK}, src/include/plugin/nccl_tuner.h:27-59). */
    static final int HW_NVLINK = 0;
    /** Hardware index of PCIe ({@code NCCL_HW_PCI}). */
    static final int HW_PCI = 1;
    /** Hardware index of the network ({@code NCCL_HW_NET}). */
    static final int HW_NET = 2;

    /** {@code nvlsEfficiency[compCapIndex]}: NVIDIA/nccl v2.30.7-1, src/graph/tuning.cc:139-144. */
    static final float[] NVLS_EFFICIENCY = {0.0f, 0.0f, 0.85f, 0.74f};

    /** {@code baseLatencies[algo][proto]} in us: NVIDIA/nccl v2.30.7-1, src/graph/tuning.cc:149-155. */
    static final double[][] BASE_LATENCIES_US = {
        {6.8, 14.0, 8.4}, {6.6, 14.0, 8.4}, // Tree, Ring
        {0, 0, 0}, {0, 0, 0},               // CollNetDirect, CollNetChain
        {0, 0, 0}, {0, 0, 0},               // NVLS, NVLSTree
        {8.0, 8.0, 8.0},                    // PAT
    };

    /** {@code hwLatencies[hw][algo][proto]} in us: NVIDIA/nccl v2.30.7-1, src/graph/tuning.cc:156-176. */
    static final double[][][] HW_LATENCIES_US = {
        { // NVLINK
            {0.6, 1.25, 4.0}, {0.6, 1.9, 3.4}, {0, 0, 3.7}, {0, 0, 2.8}, {0, 0, 25}, {0, 0, 25}, {0, 0, 4.0},
        },
        { // PCI
            {1.0, 1.9, 4.0}, {1.0, 2.5, 5.7}, {0, 0, 3.7}, {0, 0, 2.8}, {0, 0, 0}, {0, 0, 0}, {0, 0, 4.0},
        },
        { // NET
            {5.0, 8.5, 14}, {2.7, 4.0, 14.0}, {0, 0, 31}, {0, 0, 30}, {0, 0, 18}, {0, 0, 20.9}, {0, 0, 14},
        },
    };

    /**
     * {@code llMaxBws[index1][scale]} in GB/s: src/graph/tuning.cc:177-183. Column 0 is read per GPU
     * architecture; columns 1 and 2 only in rows 0 (Intel / other CPU) and 1 (AMD CPU), tuning.cc:268-271.
     */
    static final double[][] LL_MAX_BWS = {
        {39.0, 39.0, 20.4},
        {87.7, 22.5, 19.0},
        {141.0, 45.0, 35.0},
        {2 * 141.0, 2 * 45.0, 2 * 35.0},
    };

    /**
     * {@code perChMaxRingLL128Bws[compCapIndex][scale]} in GB/s: NVIDIA/nccl v2.30.7-1, src/graph/tuning.cc:184-190.
     */
    static final double[][] PER_CH_MAX_RING_LL128_BWS = {
        {20.0, 20.0, 20.0}, {20.0, 20.0, 20.0}, {36.7, 36.7, 36.7}, {40.0, 40.0, 40.0},
    };

    /**
     * {@code perChMaxTreeLL128Bws[compCapIndex][scale]} in GB/s: NVIDIA/nccl v2.30.7-1, src/graph/tuning.cc:191-197.
     */
    static final double[][] PER_CH_MAX_TREE_LL128_BWS = {
        {20.0, 20.0, 20.0}, {20.0, 20.0, 20.0}, {36.7, 36.7, 29.0}, {55.6, 31.67, 20.0},
    };

    /** {@code perChMaxTreeBws[compCapIndex][scale]} in GB/s: NVIDIA/nccl v2.30.7-1, src/graph/tuning.cc:198-204. */
    static final double[][] PER_CH_MAX_TREE_BWS = {
        {26.5, 18.5, 10.0}, {24.0, 23.6, 17.8}, {38.7, 41.4, 36.0}, {70.0, 42.8, 24.0},
    };

    /** {@code perChMaxNVLSTreeBws[compCapIndex][scale]} in GB/s: NVIDIA/nccl v2.30.7-1, src/graph/tuning.cc:205-211. */
    static final double[][] PER_CH_MAX_NVLS_TREE_BWS = {
        {26.5, 18.5, 10.0}, {24.0, 23.6, 17.8}, {0.0, 57.7, 45.5}, {0.0, 96.0, 80.0},
    };

    /**
     * {@code treeCorrectionFactor[proto][log2i(nBytes >> 6)]}, 64 B .. 512 MiB: src/graph/tuning.cc:620-627.
     */
    static final float[][] TREE_CORRECTION_FACTOR = {
        {1.0f, 1.0f, 1.0f, 1.0f, .9f, .8f, .7f, .7f, .7f, .7f, .6f, .5f, .4f, .4f, .5f, .6f, .7f, .8f, .9f, 1.0f,
            1.0f, 1.0f, 1.0f, 1.0f},
        {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, .9f, .8f, .8f, .8f, .7f, .6f, .6f, .6f, .6f, .6f, .6f, .8f, .9f, .9f, .9f,
            .9f, 1.0f, 1.0f, 1.0f},
        {.9f, .9f, .9f, .9f, .9f, .9f, .9f, .8f, .7f, .6f, .6f, .5f, .5f, .5f, .5f, .6f, .7f, .8f, .7f, .7f, .8f,
            .9f, .9f, .9f},
    };

    /**
     * {@code PCI_BW}, PCIe Gen3 x16 in GB/s: NVIDIA/nccl v2.30.7-1, src/graph/topo.h:25 (the Ring/Simple 256-thread
     * rule).
     */
    static final double PCI_BW = 12.0;
    /** {@code NCCL_MAX_NTHREADS}: NVIDIA/nccl v2.30.7-1, src/include/device.h:93. */
    static final int MAX_NTHREADS = 640;
    /** {@code NCCL_SIMPLE_MAX_NTHREADS}: NVIDIA/nccl v2.30.7-1, src/include/device.h:95. */
    static final int SIMPLE_MAX_NTHREADS = 512;
    /** {@code NCCL_LL_MAX_NTHREADS}: NVIDIA/nccl v2.30.7-1, src/include/device.h:97. */
    static final int LL_MAX_NTHREADS = 512;
    /** {@code NCCL_LL128_MAX_NTHREADS}: NVIDIA/nccl v2.30.7-1, src/include/device.h:114. */
    static final int LL128_MAX_NTHREADS = 640;
    /** {@code WARP_SIZE}: NVIDIA/nccl v2.30.7-1, src/include/device.h:90. */
    static final int WARP_SIZE = 32;
    /**
     * {@code NCCL_LL_THREAD_THRESHOLD}, {@code NCCL_LL128_THREAD_THRESHOLD}: NVIDIA/nccl v2.30.7-1,
     * src/include/comm.h:49-50.
     */
    static final int LL_THREAD_THRESHOLD = 8;
    /** {@code NCCL_SIMPLE_THREAD_THRESHOLD}: NVIDIA/nccl v2.30.7-1, src/include/comm.h:51. */
    static final int SIMPLE_THREAD_THRESHOLD = 64;
    /** {@code MAXCHANNELS}: NVIDIA/nccl v2.30.7-1, src/include/device.h:91. */
    static final int MAX_CHANNELS = 64;
    /**
     * {@code NCCL_MAX_NVLS_ARITY}: NVIDIA/nccl v2.30.7-1, src/include/device.h:213 (NVLS needs localRanks at most
     * this, enqueue.cc:2004).
     */
    static final int MAX_NVLS_ARITY = 32;
    /** {@code MinTrafficPerChannel}, 32 KiB: NVIDIA/nccl v2.30.7-1, src/enqueue.cc:585. */
    static final long MIN_TRAFFIC_PER_CHANNEL_BYTES = 32 << 10;

    /**
     * @return {@code compCapIndex} for a compute capability such as 90: NVIDIA/nccl v2.30.7-1,
     * src/graph/tuning.cc:263-266
     */
    static int compCapIndex(int compCap) {
        return compCap >= 100 ? 3 : compCap >= 90 ? 2 : compCap >= 80 ? 1 : 0;
    }

    /** @return {@code index2} (scale) for a node count: NVIDIA/nccl v2.30.7-1, src/graph/tuning.cc:267 */
    static int scaleIndex(int nNodes) {
        return nNodes <= 2 ? nNodes - 1 : 2;
    }

    /**
     * @return {@code log2i(n)}, floor of log2, -1 for 0: NVIDIA/nccl v2.30.7-1, src/include/utils.h:56,
     * src/include/bitops.h
     */
    static int log2i(long n) {
        return n <= 0 ? -1 : 63 - Long.numberOfLeadingZeros(n);
    }
}

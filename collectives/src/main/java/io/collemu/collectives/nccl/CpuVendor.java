package io.collemu.collectives.nccl;

/**
 * The host CPU as NCCL's tuning model distinguishes it (NVIDIA/nccl v2.30.7-1, src/graph/tuning.cc:225-233
 * and 268-271): the network post overhead is 1 us on x86 Intel, 2 us on x86 AMD, 1 us otherwise; the
 * multi-node LL bandwidth cap row is the AMD row for AMD and the Intel row otherwise; the Blackwell NVLSTree
 * size correction (tuning.cc:645-647) and the Intel P2P overhead of the search (src/graph/search.cc:81-93)
 * need an x86 CPU.
 *
 * <p>Stateless enum; thread-safe.
 */
public enum CpuVendor {
    /** x86 Intel (e.g. DGX H100's Xeon 8480C). */
    INTEL,
    /** x86 AMD (EPYC). */
    AMD,
    /** Anything else, taken as non-x86 (e.g. an Arm Grace host); not IBM Power, which NCCL treats apart. */
    OTHER;

    /** @return true for the x86 vendors ({@link #INTEL}, {@link #AMD}) */
    public boolean isX86() {
        return this != OTHER;
    }
}

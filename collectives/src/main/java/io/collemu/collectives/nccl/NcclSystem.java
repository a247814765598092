package io.collemu.collectives.nccl;

import java.util.Objects;

/**
 * The inputs of NCCL's tuning model for one communicator, as NCCL's topology detection and search would
 * leave them (NVIDIA/nccl v2.30.7-1): ranks and nodes, the GPUs' compute capability, the CPU vendor, the
 * ring, tree and NVLS search graphs ({@code ncclTopoCompute} results, src/init.cc:1174-1213, aligned over
 * ranks at init.cc:1435-1459), the communicator's channel counts after duplication (src/graph/connect.cc:460,
 * 480-483; src/transport/nvls.cc:202-244) and the support flags.
 *
 * <p>All nodes are taken to be alike ({@code minCompCap == maxCompCap}, {@code localRanks = nRanks / nNodes}
 * on every node). CollNet (SHARP) is not modelled: {@code collNetSupport} must be false.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param nRanks             ranks in the communicator, at least 1
 * @param nNodes             nodes, 1..nRanks
 * @param compCap            compute capability times ten (90 H100, 100 B200)
 * @param cpuVendor          host CPU vendor
 * @param ring               the ring graph (Ring's model input)
 * @param tree               the tree graph (Tree's and PAT's model input; its pattern is maxTreePattern)
 * @param nvls               the NVLS graph (NVLS's and NVLSTree's model input), empty without NVLS
 * @param commChannels       {@code comm->nChannels}: the communicator's channels after duplication, 1..64
 * @param nvlsChannels       {@code comm->nvlsChannels}: channels of NVLS algorithms (16 on SM90), 0 without
 * @param nvlsSupport        {@code comm->nvlsSupport}: CUDA multicast on an NVSwitch (NVLS_ENABLE=2 default)
 * @param collNetSupport     CollNet (SHARP plugin) enabled; must be false
 * @param p2pPeerChannels    {@code ncclTopoComputeP2pChannelsPerPeer}'s minimum over peers
 *                           (src/graph/paths.cc:920-970), before rounding to a power of two
 */
public record NcclSystem(int nRanks, int nNodes, int compCap, CpuVendor cpuVendor, NcclGraph ring,
                         NcclGraph tree, NcclGraph nvls, int commChannels, int nvlsChannels, boolean nvlsSupport,
                         boolean collNetSupport, int p2pPeerChannels) {

    /** Validates the fields; throws {@link IllegalArgumentException} naming the bad one. */
    public NcclSystem {
        Objects.requireNonNull(cpuVendor, "cpuVendor");
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(nvls, "nvls");
        if (nRanks < 1 || nNodes < 1 || nNodes > nRanks) {
            throw new IllegalArgumentException("need 1 <= nNodes <= nRanks, got nRanks " + nRanks + ", nNodes "
                    + nNodes);
        }
        if (commChannels < 1 || commChannels > NcclTables.MAX_CHANNELS) {
            throw new IllegalArgumentException("commChannels must be 1..64, got " + commChannels);
        }
        if (nvlsChannels < 0 || nvlsChannels > NcclTables.MAX_CHANNELS || p2pPeerChannels < 1) {
            throw new IllegalArgumentException("need nvlsChannels 0..64 and p2pPeerChannels >= 1, got "
                    + nvlsChannels + ", " + p2pPeerChannels);
        }
        if (collNetSupport) {
            throw new IllegalArgumentException("collNetSupport: CollNet (SHARP) is not modelled; it must be false");
        }
    }

    /** @return ranks per node, {@code nRanks / nNodes} (integer, as NCCL's {@code localRanks}) */
    public int localRanks() {
        return nRanks / nNodes;
    }

    /** @return the same system with {@code nvlsSupport} set (and {@code nvlsChannels} 0 when unset) */
    public NcclSystem withNvlsSupport(boolean support) {
        int channels = support ? (nvlsChannels > 0 ? nvlsChannels : 16) : 0;
        return new NcclSystem(nRanks, nNodes, compCap, cpuVendor, ring, tree, nvls, commChannels, channels, support,
                collNetSupport, p2pPeerChannels);
    }

    /**
     * Derives the system NCCL would build on {@code machine}: the ring, tree and NVLS graphs by a simplified
     * {@code ncclTopoCompute} (see the package documentation for what is simplified), then the
     * communicator's channels as src/init.cc and src/graph/connect.cc count them:
     * <ol>
     *   <li>ring: pattern RING, 1..32 channels; tree: BALANCED_TREE, exactly the ring's count; NVLS (only
     *       with an NVSwitch, SM90+ and at least 2 GPUs per node, nvls.cc:248-282): 1..64 channels
     *       (init.cc:1174-1213);</li>
     *   <li>ring and tree take the smaller channel count (init.cc:1457); no NVLS channels means no NVLS
     *       support (init.cc:1453);</li>
     *   <li>{@code commChannels = min(64, 2 x that)} (connect.cc:460), doubled again when SM90+, several
     *       nodes, ring bwIntra above 45 and fewer than 16 channels (connect.cc:480-483);</li>
     *   <li>{@code nvlsChannels}: 16 on SM90, on SM100 24 for one node and {@code ncclNvlsTreeSm100Tuning}
     *       otherwise (nvls.cc:155-244).</li>
     * </ol>
     * The IB plugin reports no network latency, so {@code latencyInter} is 0.
     */
    public static NcclSystem derive(NcclMachine machine) {
        SearchTopology topo = new SearchTopology(machine);
        GraphSearch search = new GraphSearch(topo);
        GraphSearch.Graph ring = search.compute(NcclGraph.PATTERN_RING, 1, NcclTables.MAX_CHANNELS / 2);
        GraphSearch.Graph tree = search.compute(NcclGraph.PATTERN_BALANCED_TREE, ring.nChannels(),
                ring.nChannels());
        boolean nvlsSupport = machine.nvSwitch() && machine.compCap() >= 90 && machine.gpusPerNode() >= 2;
        NcclGraph nvls = NcclGraph.empty(NcclGraph.PATTERN_NVLS);
        if (nvlsSupport) {
            nvls = search.compute(NcclGraph.PATTERN_NVLS, 1, NcclTables.MAX_CHANNELS).toRecord();
            nvlsSupport = nvls.nChannels() > 0;
        }
        int channels = Math.min(ring.nChannels(), tree.nChannels());
        NcclGraph ringGraph = ring.toRecord().withChannels(channels);
        int comm = Math.min(NcclTables.MAX_CHANNELS, 2 * channels);
        if (machine.compCap() >= 90 && machine.nNodes() > 1 && ringGraph.bwIntra() > 45.0 && comm < 16) {
            comm = Math.min(NcclTables.MAX_CHANNELS, 2 * comm);
        }
        int nvlsChannels = nvlsSupport ? nvlsChannels(machine) : 0;
        return new NcclSystem(machine.nRanks(), machine.nNodes(), machine.compCap(), machine.cpu(), ringGraph,
                tree.toRecord().withChannels(channels), nvls, comm, nvlsChannels, nvlsSupport, false,
                p2pPeerChannels(topo, machine));
    }

    /** {@code ncclNvlsTuning} and {@code ncclNvlsTreeSm100Tuning}: src/transport/nvls.cc:155-244. */
    private static int nvlsChannels(NcclMachine m) {
        if (m.compCap() < 100) {
            return 16;
        }
        if (m.nNodes() == 1) {
            return 24;
        }
        float nicBw = (float) Math.min(m.pcieGBps(), m.nicGBps()); // comm->minNetBw: the local NIC's path bw
        if (m.nNodes() == 2 && nicBw >= 48.0f) {
            return 32;
        }
        if (nicBw >= 96.0f) {
            return m.gpusPerNode() <= 8 ? 24 : 32;
        }
        return nicBw >= 48.0f ? 24 : 32;
    }

    /**
     * {@code ncclTopoGetNchannels} minimised over peers (src/graph/paths.cc:920-970): 2 x (NVLink path bw /
     * one NVLink) for NVLink peers, 2 for PCIe peers, and for remote peers
     * {@code max(localNics, ceil(localNicBw / 14))} (NCCL_P2P_PER_CHANNEL_NET_BW 14), where the local NICs are
     * counted until their path bandwidth reaches the GPU's PCIe bandwidth ({@code ncclTopoGetLocalNetCountByBw},
     * src/graph/topo.cc:1974-2000).
     */
    private static int p2pPeerChannels(SearchTopology topo, NcclMachine m) {
        int min = NcclTables.MAX_CHANNELS;
        if (m.gpusPerNode() > 1) {
            SearchTopology.Path p = topo.gpuGpu[0][1];
            int local = p.type() == PathType.NVL
                    ? 2 * Math.max(1, (int) (p.bw() / (float) NcclMachine.nvlinkGBps(m.compCap()))) : 2;
            min = Math.min(min, local);
        }
        if (m.nNodes() > 1) {
            int count = 0;
            float bw = 0;
            for (int n = 0; n < topo.nics && bw < topo.pcieGBps; n++) {
                if (topo.nicSwitch[n] == topo.gpuSwitch[0]) {
                    bw += topo.gpuNet[0][n].bw();
                    count++;
                }
            }
            int remote = count == 0 ? 2 : Math.max(count, ((int) bw + 13) / 14);
            min = Math.min(min, remote);
        }
        return min;
    }
}

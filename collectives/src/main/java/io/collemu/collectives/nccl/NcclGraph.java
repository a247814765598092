package io.collemu.collectives.nccl;

import java.util.Objects;

/**
 * What the tuning model reads of one of NCCL's search graphs ({@code struct ncclTopoGraph}, NVIDIA/nccl
 * v2.30.7-1, src/include/graph.h:170-189): the channel count of the search (before the communicator
 * duplicates channels in src/graph/connect.cc:460), the per-channel bandwidths inside and between nodes in
 * NCCL's GB/s, the worst path types used, the pattern, whether all channels follow the same GPU order, and
 * the network latency ({@code net.latency}, 0 for the IB plugin, src/transport/net_ib/init.cc:558).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param nChannels    search channels, at least 0 (0: no graph, e.g. no NVLS on this machine)
 * @param bwIntra      per-channel bandwidth inside a node, GB/s
 * @param bwInter      per-channel bandwidth to the network, GB/s
 * @param typeIntra    worst GPU-to-GPU path type
 * @param typeInter    worst GPU-to-NIC path type
 * @param pattern      one of the {@code PATTERN_*} constants
 * @param sameChannels true when every channel replays the first one's GPU order
 * @param latencyInter the network's latency in us ({@code graph->latencyInter})
 */
public record NcclGraph(int nChannels, double bwIntra, double bwInter, PathType typeIntra, PathType typeInter,
                        int pattern, boolean sameChannels, double latencyInter) {

    /**
     * {@code NCCL_TOPO_PATTERN_BALANCED_TREE}: parent and child 0 on the first GPU, child 1 on the second
     * (graph.h:160).
     */
    public static final int PATTERN_BALANCED_TREE = 1;
    /** {@code NCCL_TOPO_PATTERN_SPLIT_TREE}: parent on the first GPU, children on the second (graph.h:163). */
    public static final int PATTERN_SPLIT_TREE = 2;
    /** {@code NCCL_TOPO_PATTERN_TREE}: all network traffic through the same GPU (graph.h:166). */
    public static final int PATTERN_TREE = 3;
    /** {@code NCCL_TOPO_PATTERN_RING} (graph.h:167). */
    public static final int PATTERN_RING = 4;
    /** {@code NCCL_TOPO_PATTERN_NVLS}: NVLS and NVLSTree heads (graph.h:168). */
    public static final int PATTERN_NVLS = 5;
    /** {@code NCCL_TOPO_PATTERN_COLLNET_DIRECT} (graph.h:169). */
    public static final int PATTERN_COLLNET_DIRECT = 6;

    /** Validates the fields; throws {@link IllegalArgumentException} naming the bad one. */
    public NcclGraph {
        Objects.requireNonNull(typeIntra, "typeIntra");
        Objects.requireNonNull(typeInter, "typeInter");
        if (nChannels < 0 || nChannels > NcclTables.MAX_CHANNELS) {
            throw new IllegalArgumentException("nChannels must be 0.." + NcclTables.MAX_CHANNELS + ", got "
                    + nChannels);
        }
        if (!(bwIntra >= 0) || !(bwInter >= 0) || !(latencyInter >= 0)) {
            throw new IllegalArgumentException("bandwidths and latency must be >= 0, got bwIntra " + bwIntra
                    + ", bwInter " + bwInter + ", latencyInter " + latencyInter);
        }
        if (pattern < PATTERN_BALANCED_TREE || pattern > PATTERN_COLLNET_DIRECT) {
            throw new IllegalArgumentException("pattern must be 1..6, got " + pattern);
        }
    }

    /**
     * A graph with no channels (as NCCL leaves an NVLS graph it did not search, src/graph/search.cc:1124).
     *
     * @param pattern the pattern the graph would have had
     */
    public static NcclGraph empty(int pattern) {
        return new NcclGraph(0, 0, 0, PathType.LOC, PathType.PIX, pattern, false, 0);
    }

    /** @return this graph with {@code nChannels} replaced (the communicator aligns ring and tree counts) */
    public NcclGraph withChannels(int channels) {
        return new NcclGraph(channels, bwIntra, bwInter, typeIntra, typeInter, pattern, sameChannels, latencyInter);
    }
}

package io.collemu.collectives.nccl;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * NCCL's collective algorithms in NCCL's id order ({@code NCCL_ALGO_TREE} 0 .. {@code NCCL_ALGO_PAT} 6;
 * NVIDIA/nccl v2.30.7-1, src/include/plugin/nccl_tuner.h:27-59). The order matters: the selection keeps
 * the strict minimum time, so of two equal times the algorithm with the smaller id wins
 * (src/enqueue.cc:2033-2044). Names as NCCL prints them ({@code ncclAlgoStr}, src/init.cc:53-54).
 *
 * <p>Which graph each algorithm is tuned on (src/init.cc:980-981): Tree and PAT the tree graph, Ring the
 * ring graph, NVLS and NVLSTree the NVLS graph, CollNet* their own graphs.
 *
 * <p>Stateless enum; thread-safe.
 */
public enum NcclAlgorithm {
    /** Double binary tree across nodes, chains inside them. */
    TREE("Tree"),
    /** Rings. */
    RING("Ring"),
    /** CollNet (SHARP) with a direct intra-node pattern; needs a CollNet plugin. */
    COLLNET_DIRECT("CollNetDirect"),
    /** CollNet (SHARP) with an intra-node chain; needs a CollNet plugin. */
    COLLNET_CHAIN("CollNetChain"),
    /** NVLink SHARP (multimem reductions in the NVSwitch). */
    NVLS("NVLS"),
    /** NVLS inside nodes, a tree between node heads. */
    NVLS_TREE("NVLSTree"),
    /** Parallel aggregated trees (all-gather / reduce-scatter, 1 GPU per node). */
    PAT("PAT");

    private final String cliName;

    NcclAlgorithm(String cliName) {
        this.cliName = cliName;
    }

    /** @return NCCL's id, 0 (Tree) .. 6 (PAT) */
    public int id() {
        return ordinal();
    }

    /** @return the name as NCCL prints it, e.g. {@code Tree}, {@code NVLSTree} */
    public String cliName() {
        return cliName;
    }

    /** @return the algorithm with NCCL id {@code id} (0..6) */
    public static NcclAlgorithm fromId(int id) {
        NcclAlgorithm[] all = values();
        if (id < 0 || id >= all.length) {
            throw new IllegalArgumentException("algorithm id must be 0..6, got " + id);
        }
        return all[id];
    }

    /**
     * Parses an algorithm name as NCCL_ALGO spells it, in any case ({@code ring}, {@code NVLSTree}).
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static NcclAlgorithm fromName(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            for (NcclAlgorithm a : values()) {
                if (a.cliName.toLowerCase(Locale.ROOT).equals(key)) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("unknown NCCL algorithm '" + name + "'; expected one of: "
                + Arrays.stream(values()).map(NcclAlgorithm::cliName).collect(Collectors.joining(", ")));
    }

    /** @return true for NVLS and NVLSTree, which run only the Simple protocol */
    public boolean isNvls() {
        return this == NVLS || this == NVLS_TREE;
    }

    /** @return true for CollNetDirect and CollNetChain */
    public boolean isCollNet() {
        return this == COLLNET_DIRECT || this == COLLNET_CHAIN;
    }
}

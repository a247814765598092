package io.collemu.collectives;

import java.util.List;
import java.util.Locale;

/**
 * Which algorithms serve which collective, and what {@code auto} resolves to; the schedules themselves come from
 * {@link io.collemu.collectives.algo.Schedules#of}.
 *
 * <table>
 *   <caption>Algorithms per kind ({@code auto} first, then what it resolves to)</caption>
 *   <tr><th>kind</th><th>algorithms</th><th>auto</th></tr>
 *   <tr><td>all-reduce</td><td>ring, tree (NCCL double binary tree), halving-doubling (Rabenseifner),
 *       hierarchical</td><td>ring</td></tr>
 *   <tr><td>reduce-scatter, all-gather</td><td>ring</td><td>ring</td></tr>
 *   <tr><td>broadcast, reduce</td><td>ring (pipelined chain), tree (pipelined binary tree)</td><td>ring (as
 *       NCCL)</td></tr>
 *   <tr><td>all-to-all, all-to-all-v</td><td>pairwise, direct</td><td>pairwise (lock-step, no incast)</td></tr>
 *   <tr><td>send-recv</td><td>direct</td><td>direct</td></tr>
 * </table>
 *
 * <p>Stateless; thread-safe.
 */
public final class Collectives {

    /** Name of the default choice. */
    public static final String AUTO = "auto";
    /** Ring (reduce-scatter + all-gather for all-reduce; a pipelined chain for broadcast/reduce). */
    public static final String RING = "ring";
    /** NCCL double binary tree for all-reduce; pipelined binary tree for broadcast/reduce. */
    public static final String TREE = "tree";
    /** Rabenseifner's recursive halving (reduce-scatter) and doubling (all-gather). */
    public static final String HALVING_DOUBLING = "halving-doubling";
    /** Intra-server reduce-scatter, per-rail inter-server all-reduce, intra-server all-gather. */
    public static final String HIERARCHICAL = "hierarchical";
    /** All-to-all: lock-step exchange with peer r+k / r-k at step k. */
    public static final String PAIRWISE = "pairwise";
    /** All-to-all: every send issued without waiting, in staggered order; send-recv: the pairs as given. */
    public static final String DIRECT = "direct";

    private Collectives() {
    }

    /** @return the algorithm names accepted for {@code kind}, {@code auto} first */
    public static List<String> algorithms(CollectiveKind kind) {
        return switch (kind) {
            case ALL_REDUCE -> List.of(AUTO, RING, TREE, HALVING_DOUBLING, HIERARCHICAL);
            case REDUCE_SCATTER, ALL_GATHER -> List.of(AUTO, RING);
            case BROADCAST, REDUCE -> List.of(AUTO, RING, TREE);
            case ALL_TO_ALL, ALL_TO_ALL_V -> List.of(AUTO, PAIRWISE, DIRECT);
            case SEND_RECV -> List.of(AUTO, DIRECT);
        };
    }

    /** @return the algorithm {@code r} runs: its own unless it is {@code auto} */
    public static String resolveAlgorithm(CollectiveRequest r) {
        return resolveAlgorithm(r.kind(), r.algorithm());
    }

    /**
     * @return what {@code algorithm} means for {@code kind}: {@code auto} becomes the default of the kind
     * @throws CollectiveException if the name is not one of {@link #algorithms(CollectiveKind)}
     */
    public static String resolveAlgorithm(CollectiveKind kind, String algorithm) {
        String name = checkAlgorithm(kind, algorithm);
        if (!name.equals(AUTO)) {
            return name;
        }
        return switch (kind) {
            case ALL_REDUCE, REDUCE_SCATTER, ALL_GATHER, BROADCAST, REDUCE -> RING;
            case ALL_TO_ALL, ALL_TO_ALL_V -> PAIRWISE;
            case SEND_RECV -> DIRECT;
        };
    }

    /**
     * @return the algorithm name, trimmed and lower-cased
     * @throws CollectiveException if it is not one of {@link #algorithms(CollectiveKind)}
     */
    public static String checkAlgorithm(CollectiveKind kind, String algorithm) {
        String name = algorithm == null ? "" : algorithm.trim().toLowerCase(Locale.ROOT);
        if (!algorithms(kind).contains(name)) {
            throw new CollectiveException("invalid collective request: algorithm '" + algorithm
                    + "' is not available for " + kind.cliName() + "; expected one of: "
                    + String.join(", ", algorithms(kind)));
        }
        return name;
    }
}

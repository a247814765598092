package io.collemu.collectives;

import io.collemu.collectives.algo.AllToAllSchedule;
import io.collemu.collectives.algo.MaterializedSchedule;
import io.collemu.collectives.algo.RingSchedule;
import java.util.List;
import java.util.Locale;

/**
 * Entry point: which algorithms serve which collective, and the schedule for a request.
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
     * Builds the schedule of a (validated) request.
     *
     * @throws CollectiveException if the request cannot be served
     */
    public static Schedule schedule(CollectiveRequest request) {
        String algorithm = resolveAlgorithm(request);
        return switch (request.kind()) {
            case ALL_REDUCE -> switch (algorithm) {
                case RING -> RingSchedule.ring(request, algorithm);
                case HIERARCHICAL -> RingSchedule.hierarchical(request, algorithm);
                case TREE -> MaterializedSchedule.doubleBinaryTree(request, algorithm);
                default -> MaterializedSchedule.halvingDoubling(request, algorithm);
            };
            case REDUCE_SCATTER, ALL_GATHER -> RingSchedule.ring(request, algorithm);
            case BROADCAST, REDUCE -> algorithm.equals(TREE)
                    ? MaterializedSchedule.binaryTree(request, algorithm)
                    : MaterializedSchedule.chain(request, algorithm);
            case ALL_TO_ALL, ALL_TO_ALL_V -> AllToAllSchedule.create(request, algorithm);
            case SEND_RECV -> MaterializedSchedule.sendRecv(request, algorithm);
        };
    }

    static String checkAlgorithm(CollectiveKind kind, String algorithm) {
        String name = algorithm == null ? "" : algorithm.trim().toLowerCase(Locale.ROOT);
        if (!algorithms(kind).contains(name)) {
            throw new CollectiveException("invalid collective request: algorithm '" + algorithm
                    + "' is not available for " + kind.cliName() + "; expected one of: "
                    + String.join(", ", algorithms(kind)));
        }
        return name;
    }
}

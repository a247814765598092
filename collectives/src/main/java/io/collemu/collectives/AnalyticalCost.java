package io.collemu.collectives;

/**
 * Alpha-beta (Hockney) completion times per algorithm, from reference/formulas.md, for the engine and the
 * reports to compare an emulation against. {@code alphaPs} is the per-step latency, {@code rateBps} the
 * bottleneck one-way rate per rank in bits per second (B = rateBps / 8 bytes per second), S the request's
 * {@code sizeBytes}, n its ranks.
 *
 * <table>
 *   <caption>Formulas (steps x alpha + bytes on the busiest port / B)</caption>
 *   <tr><td>ring all-reduce</td><td>2(n-1) alpha + 2(n-1)/n S/B</td></tr>
 *   <tr><td>ring reduce-scatter, all-gather</td><td>(n-1) alpha + (n-1)/n S/B</td></tr>
 *   <tr><td>halving-doubling all-reduce, p = largest power of two &lt;= n</td><td>2 log2(p) alpha + 2(p-1)/p S/B,
 *       plus 2 (alpha + S/B) for the fold-in and fold-out of the n-p extra ranks when n is not a power of two</td></tr>
 *   <tr><td>tree (double binary tree) all-reduce</td><td>2 D alpha + 2 S/B for n &gt;= 4 (D = depth of the deeper
 *       tree, about log2 n: reduce up then broadcast down, pipelined; an interior node sends S/2 up and S/2 to each
 *       of two children in one tree and S/2 up as a leaf of the other: 2S on its port). n = 2: 2 alpha + S/B;
 *       n = 3 uses its exact busiest-port bytes (1.5 S).</td></tr>
 *   <tr><td>hierarchical all-reduce, G per server, m = n/G</td><td>2(G-1) alpha + 2(G-1)/G S/B +
 *       2(m-1) alpha + 2(m-1)/m S/(G B)</td></tr>
 *   <tr><td>broadcast / reduce, pipelined in k pieces over D hops (tree: D = floor(log2 n); ring chain:
 *       D = n-1)</td><td>(D + k - 1)(alpha + S/k/B), with the k that minimises it</td></tr>
 *   <tr><td>pairwise all-to-all</td><td>(n-1) alpha + (n-1)/n S/B (all-to-all-v: busiest rank's sent or
 *       received bytes / B)</td></tr>
 *   <tr><td>direct all-to-all</td><td>alpha + (n-1)/n S/B (steps overlap: one latency)</td></tr>
 *   <tr><td>send-recv</td><td>alpha + (pairs on the busiest rank) S/B</td></tr>
 * </table>
 * Times are rounded to whole picoseconds. Stateless; thread-safe.
 */
public final class AnalyticalCost {

    private static final double PS_PER_SECOND = 1e12;

    private AnalyticalCost() {
    }

    /**
     * @param algorithm an algorithm for {@code r.kind()} ({@code auto} resolves); null means {@code r.algorithm()}
     * @return the alpha-beta completion time in picoseconds
     */
    public static long timePs(CollectiveRequest r, String algorithm, long alphaPs, long rateBps) {
        if (alphaPs < 0 || rateBps <= 0) {
            throw new CollectiveException("analytical cost needs alphaPs >= 0 and rateBps > 0, got " + alphaPs
                    + " and " + rateBps);
        }
        String name = resolve(r, algorithm);
        int hops = pipelinedHops(r, name);
        if (hops >= 0) {
            return Math.round(pipelined(hops, r.sizeBytes(), alphaPs, psPerByte(rateBps)));
        }
        return Math.round(latencySteps(r, name) * alphaPs + busiestPortBytes(r, name) * psPerByte(rateBps));
    }

    /** @return the bandwidth term alone (alpha = 0; pipelined broadcast/reduce: S/B) in picoseconds */
    public static long bandwidthTermPs(CollectiveRequest r, String algorithm, long rateBps) {
        if (rateBps <= 0) {
            throw new CollectiveException("analytical cost needs rateBps > 0, got " + rateBps);
        }
        String name = resolve(r, algorithm);
        double bytes = pipelinedHops(r, name) >= 0 ? (r.ranks() > 1 ? r.sizeBytes() : 0)
                : busiestPortBytes(r, name);
        return Math.round(bytes * psPerByte(rateBps));
    }

    /** @return the nccl-tests algbw-to-busbw factor; see {@link CollectiveKind#busBwFactor(int)} */
    public static double busBwFactor(CollectiveKind kind, int n) {
        return kind.busBwFactor(n);
    }

    private static String resolve(CollectiveRequest r, String algorithm) {
        String name = Collectives.resolveAlgorithm(r.kind(), algorithm == null ? r.algorithm() : algorithm);
        if (name.equals(Collectives.HIERARCHICAL) && r.ranks() % r.gpusPerServer() != 0) {
            throw new CollectiveException("hierarchical needs ranks (" + r.ranks()
                    + ") to be a multiple of gpusPerServer (" + r.gpusPerServer() + ")");
        }
        return name;
    }

    private static double psPerByte(long rateBps) {
        return 8.0 * PS_PER_SECOND / rateBps;
    }

    /** @return hops of a pipelined broadcast/reduce, or -1 for the other algorithms */
    private static int pipelinedHops(CollectiveRequest r, String name) {
        if (r.kind() != CollectiveKind.BROADCAST && r.kind() != CollectiveKind.REDUCE) {
            return -1;
        }
        int n = r.ranks();
        return name.equals(Collectives.TREE) ? 31 - Integer.numberOfLeadingZeros(n) : n - 1;
    }

    private static double pipelined(int hops, long sizeBytes, long alphaPs, double psPerByte) {
        if (hops == 0 || sizeBytes == 0) {
            return 0;
        }
        double bytePs = sizeBytes * psPerByte;
        double best = Double.MAX_VALUE;
        double ideal = alphaPs == 0 ? sizeBytes : Math.sqrt((hops - 1) * bytePs / alphaPs);
        long around = Math.max(1, Math.min(sizeBytes, (long) ideal));
        for (long k = Math.max(1, around - 1); k <= Math.min(sizeBytes, around + 1); k++) {
            best = Math.min(best, (hops + k - 1) * (alphaPs + bytePs / k));
        }
        return best;
    }

    private static double latencySteps(CollectiveRequest r, String name) {
        int n = r.ranks();
        if (n == 1) {
            return 0;
        }
        return switch (r.kind()) {
            case ALL_REDUCE -> switch (name) {
                case Collectives.TREE -> 2.0 * treeDepth(n);
                case Collectives.HALVING_DOUBLING -> {
                    int p = Integer.highestOneBit(n);
                    yield 2.0 * Integer.numberOfTrailingZeros(p) + (p == n ? 0 : 2);
                }
                case Collectives.HIERARCHICAL -> {
                    int g = r.gpusPerServer();
                    yield 2.0 * (g - 1) + 2.0 * (n / g - 1);
                }
                default -> 2.0 * (n - 1);
            };
            case REDUCE_SCATTER, ALL_GATHER -> n - 1;
            case ALL_TO_ALL, ALL_TO_ALL_V -> name.equals(Collectives.DIRECT) ? 1 : n - 1;
            case SEND_RECV -> r.pairCount() > 0 ? 1 : 0;
            case BROADCAST, REDUCE -> throw new IllegalStateException("pipelined kinds are handled apart");
        };
    }

    private static double busiestPortBytes(CollectiveRequest r, String name) {
        int n = r.ranks();
        double s = r.sizeBytes();
        if (n == 1) {
            return 0;
        }
        return switch (r.kind()) {
            case ALL_REDUCE -> switch (name) {
                case Collectives.TREE -> n == 2 ? s : n == 3 ? 1.5 * s : 2 * s;
                case Collectives.HALVING_DOUBLING -> {
                    int p = Integer.highestOneBit(n);
                    yield 2.0 * (p - 1) / p * s + (p == n ? 0 : 2 * s);
                }
                case Collectives.HIERARCHICAL -> {
                    int g = r.gpusPerServer();
                    int m = n / g;
                    yield 2.0 * (g - 1) / g * s + 2.0 * (m - 1) / m * s / g;
                }
                default -> 2.0 * (n - 1) / n * s;
            };
            case REDUCE_SCATTER, ALL_GATHER, ALL_TO_ALL -> (double) (n - 1) / n * s;
            case ALL_TO_ALL_V -> busiestAllToAllV(r);
            case SEND_RECV -> busiestPairs(r) * s;
            case BROADCAST, REDUCE -> throw new IllegalStateException("pipelined kinds are handled apart");
        };
    }

    private static double busiestAllToAllV(CollectiveRequest r) {
        int n = r.ranks();
        long busiest = 0;
        for (int a = 0; a < n; a++) {
            long sent = 0;
            long received = 0;
            for (int b = 0; b < n; b++) {
                if (a != b) {
                    sent += r.pairBytes(a, b);
                    received += r.pairBytes(b, a);
                }
            }
            busiest = Math.max(busiest, Math.max(sent, received));
        }
        return busiest;
    }

    private static int busiestPairs(CollectiveRequest r) {
        int[] sent = new int[r.ranks()];
        int[] received = new int[r.ranks()];
        int busiest = 0;
        for (int i = 0; i < r.pairCount(); i++) {
            busiest = Math.max(busiest, ++sent[r.pairSource(i)]);
            busiest = Math.max(busiest, ++received[r.pairDestination(i)]);
        }
        return busiest;
    }

    /** Depth of NCCL's binary tree over n ranks: ceil(log2 n) (the root has a single child). */
    static int treeDepth(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }
}

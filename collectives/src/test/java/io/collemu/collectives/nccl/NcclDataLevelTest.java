package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.DataVerifier;
import io.collemu.collectives.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every NCCL schedule run on real data under random interleavings: {@link DataVerifier} for rings, chains and
 * trees, {@link NcclRelayCheck} (DataVerifier's rules plus relay forwards) for PXN all-to-all and send/recv (and NVLSTree on
 * multi-server layouts through DataVerifier), on servers of
 * G = 1, 2, 4, 8 GPUs times N = 1, 2, 3, 4, 16 servers (n <= 128), plus uneven and shuffled layouts; channels
 * 1..16 (all of them up to n = 16, a spread above), sizes 0, 1, 7, odd below n x C (partly empty channel
 * pieces) and large.
 */
class NcclDataLevelTest {

    private static final int[] GPUS = {1, 2, 4, 8};
    private static final int[] NODES = {1, 2, 3, 4, 16};

    /** A schedule family: kind, request algorithm, and a root choice for broadcast/reduce. */
    enum Algo {
        RING_ALL_REDUCE(CollectiveKind.ALL_REDUCE, "ring"),
        RING_REDUCE_SCATTER(CollectiveKind.REDUCE_SCATTER, "ring"),
        RING_ALL_GATHER(CollectiveKind.ALL_GATHER, "ring"),
        RING_BROADCAST(CollectiveKind.BROADCAST, "ring"),
        RING_REDUCE(CollectiveKind.REDUCE, "ring"),
        TREE_ALL_REDUCE(CollectiveKind.ALL_REDUCE, "tree"),
        PXN_ALL_TO_ALL(CollectiveKind.ALL_TO_ALL, "auto"),
        PXN_SEND_RECV(CollectiveKind.SEND_RECV, "auto"),
        NVLS_TREE_ALL_REDUCE(CollectiveKind.ALL_REDUCE, "auto");

        final CollectiveKind kind;
        final String algorithm;

        Algo(CollectiveKind kind, String algorithm) {
            this.kind = kind;
            this.algorithm = algorithm;
        }
    }

    /** A named layout. */
    record Placement(String name, NcclLayout layout) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Placement> regularPlacements() {
        List<Placement> list = new ArrayList<>();
        for (int g : GPUS) {
            for (int nodes : NODES) {
                if (g * nodes <= 128) {
                    list.add(new Placement(nodes + "x" + g, NcclLayout.consecutive(g * nodes, g)));
                }
            }
        }
        return list;
    }

    /** Uneven servers, sparse local indices, and a regular layout whose rank numbering is shuffled. */
    static List<Placement> otherPlacements() {
        int[] roundRobinNode = new int[12];
        int[] roundRobinLocal = new int[12];
        for (int r = 0; r < 12; r++) {
            roundRobinNode[r] = r % 3;
            roundRobinLocal[r] = 3 - r / 3;
        }
        return List.of(
                new Placement("uneven-4-4-2", NcclLayout.consecutive(10, 4)),
                new Placement("uneven-sparse", NcclLayout.of(new int[] {2, 0, 0, 1, 2, 0, 2, 2},
                        new int[] {7, 5, 1, 0, 6, 3, 2, 4})),
                new Placement("round-robin-3x4", NcclLayout.of(roundRobinNode, roundRobinLocal)));
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        List<Placement> placements = new ArrayList<>(regularPlacements());
        placements.addAll(otherPlacements());
        for (Placement p : placements) {
            int n = p.layout().ranks();
            int[] channels = n <= 16 ? new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
                    : new int[] {1, 2, 3, 8, 13, 16};
            for (Algo algo : Algo.values()) {
                if (algo == Algo.PXN_ALL_TO_ALL && !p.layout().isRegular()
                        || algo == Algo.PXN_SEND_RECV && n == 1 || algo == Algo.NVLS_TREE_ALL_REDUCE
                        && !(p.layout().isRegular() && p.layout().nodes() > 1 && p.layout().gpusPerNode() > 1)) {
                    continue;
                }
                for (int c : channels) {
                    for (long size : sizes(n, c)) {
                        cases.add(Arguments.of(algo, p, c, size));
                    }
                }
            }
        }
        return cases.stream();
    }

    /** 0, 1, 7, an odd size with some channel pieces empty, and one where every piece has bytes. */
    private static long[] sizes(int n, int channels) {
        return new long[] {0, 1, 7, 2L * n + 3, 3L * n * channels + 13};
    }

    static CollectiveRequest request(Algo algo, int n, int channels, long size) {
        if (algo.kind == CollectiveKind.SEND_RECV) {
            return new CollectiveRequest(algo.kind, algo.algorithm, size, n, channels, 0, 1, null, mixedPairs(n));
        }
        CollectiveRequest r = CollectiveRequest.of(algo.kind, algo.algorithm, size, n, channels);
        return algo.kind == CollectiveKind.REDUCE || algo.kind == CollectiveKind.BROADCAST
                ? r.withRoot((n / 2 + 1) % n) : r;
    }

    /**
     * Send-recv pairs that cross servers on other rails (relayed) and on the same rail, and share relays: every
     * rank sends to r+1 (a pipeline), to r+n/2+1 and to r+3, and rank 0 sends to the last rank twice.
     */
    static int[] mixedPairs(int n) {
        List<Integer> flat = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (int k : new int[] {1, n / 2 + 1, 3}) {
                int d = (r + k) % n;
                if (d != r) {
                    flat.add(r);
                    flat.add(d);
                }
            }
        }
        flat.add(0);
        flat.add(n - 1);
        return flat.stream().mapToInt(Integer::intValue).toArray();
    }

    static Schedule schedule(Algo algo, CollectiveRequest request, NcclLayout layout) {
        return algo == Algo.NVLS_TREE_ALL_REDUCE ? NcclSchedules.nvlsTree(request, layout)
                : NcclSchedules.of(request, layout);
    }

    static void verify(Schedule schedule, long seed, long segmentBytes) {
        CollectiveKind kind = schedule.request().kind();
        if (kind == CollectiveKind.ALL_TO_ALL || kind == CollectiveKind.SEND_RECV) {
            NcclRelayCheck.verify(schedule, seed, segmentBytes);
        } else {
            DataVerifier.verify(schedule, seed, segmentBytes);
        }
    }

    @ParameterizedTest(name = "{0} {1} channels={2} size={3}")
    @MethodSource("cases")
    void shouldProduceTheRightDataUnderRandomInterleavings(Algo algo, Placement placement, int channels,
            long size) {
        int n = placement.layout().ranks();
        Schedule schedule = schedule(algo, request(algo, n, channels, size), placement.layout());
        long[] segments = n <= 16 ? new long[] {1, 5, 1L << 30} : new long[] {7, 1L << 30};
        for (long segment : segments) {
            long seed = segment * 31 + channels;
            assertDoesNotThrow(() -> verify(schedule, seed, segment), () -> "segment " + segment);
        }
    }

    @ParameterizedTest(name = "{0} root 0 and {1}")
    @MethodSource("largeCases")
    void shouldProduceTheRightDataForALargeBuffer(Algo algo, Placement placement) {
        int n = placement.layout().ranks();
        long size = (1L << 18) + 3;
        CollectiveRequest request = algo.kind == CollectiveKind.SEND_RECV ? request(algo, n, 16, size)
                : CollectiveRequest.of(algo.kind, algo.algorithm, size, n, 16);
        Schedule schedule = schedule(algo, request, placement.layout());
        assertDoesNotThrow(() -> verify(schedule, 7, 4096));
    }

    static Stream<Arguments> largeCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Algo algo : Algo.values()) {
            cases.add(Arguments.of(algo, new Placement("2x8", NcclLayout.consecutive(16, 8))));
            cases.add(Arguments.of(algo, new Placement("3x4", NcclLayout.consecutive(12, 4))));
        }
        return cases.stream();
    }
}

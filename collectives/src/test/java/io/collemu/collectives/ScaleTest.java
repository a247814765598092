package io.collemu.collectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.algo.Schedules;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schedules for 32,768 ranks: created at once, a few ranks walked op by op with every send checked against
 * the peer's receive. Times are printed (measured, not asserted beyond a generous bound). The full walk of
 * every op of every rank runs only with {@code -Dcollemu.scale=true}.
 */
class ScaleTest {

    private static final int N = 32_768;

    static java.util.List<DataLevelTest.Algo> algorithms() {
        return DataLevelTest.algorithms();
    }

    private static CollectiveRequest request(DataLevelTest.Algo algo, int n, long size, int channels) {
        return switch (algo.kind()) {
            case ALL_TO_ALL_V -> CollectiveRequest.of(algo.kind(), algo.algorithm(), size, n, channels);
            default -> CollectiveRequest.of(algo.kind(), algo.algorithm(), size, n, channels)
                    .withGpusPerServer(algo.algorithm().equals(Collectives.HIERARCHICAL) ? 8 : 1)
                    .withRoot(n / 3);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void shouldBuildAFewRanksOf32768Quickly(DataLevelTest.Algo algo) {
        // all-to-all-v carries an n*n matrix: 2,048 ranks is already a 4M-entry input
        int n = algo.kind() == CollectiveKind.ALL_TO_ALL_V ? 2048 : N;
        int channels = algo.kind() == CollectiveKind.ALL_TO_ALL || algo.kind() == CollectiveKind.ALL_TO_ALL_V ? 1 : 4;
        long start = System.nanoTime();
        Schedule s = Schedules.of(request(algo, n, 1L << 30, channels));
        long created = System.nanoTime();
        long ops = 0;
        for (int r : new int[] {0, 1, n / 2, n - 1}) {
            RankSchedule rs = s.rank(r);
            ops += rs.opCount();
            for (int op = 0; op < rs.opCount(); op++) {
                if (rs.isSend(op)) {
                    RankSchedule peer = s.rank(rs.peer(op));
                    int m = rs.matchOp(op);
                    int sendOp = op;
                    assertTrue(!peer.isSend(m) && peer.peer(m) == r && peer.bytes(m) == rs.bytes(op),
                            () -> "rank " + r + " op " + sendOp);
                }
            }
        }
        long walked = System.nanoTime();
        System.out.printf("scale %-28s n=%d create %.2f ms, 4 ranks (%d ops, each send matched) %.1f ms%n", algo, n,
                (created - start) / 1e6, ops, (walked - created) / 1e6);
        assertTrue(walked - start < 20_000_000_000L, "a few ranks at 32,768 must take seconds at most");
    }

    @Test
    void shouldKeepARingRankTinyAt32768() {
        Schedule s = Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 1L << 30, N, 8));
        RankSchedule r = s.rank(12_345);
        assertEquals(4 * (N - 1) * 8, r.opCount());
        assertEquals(2L * (N - 1) * (1L << 30), s.totalBytesSent());
    }

    /** Walks every op of every rank of ring all-reduce at n=32,768, 1 channel, on all cores. */
    @Test
    @EnabledIfSystemProperty(named = "collemu.scale", matches = "true")
    void shouldWalkEveryOpOfRingAllReduceAt32768() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        long start = System.nanoTime();
        Schedule s = Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 1L << 30, N, 1));
        long created = System.nanoTime();
        AtomicLong bytes = new AtomicLong();
        AtomicLong ops = new AtomicLong();
        IntStream.range(0, N).parallel().forEach(r -> {
            RankSchedule rs = s.rank(r);
            long sent = 0;
            long checksum = 0;
            for (int op = 0; op < rs.opCount(); op++) {
                checksum += rs.peer(op) + rs.offsetBytes(op) + rs.stream(op);
                if (rs.isSend(op)) {
                    sent += rs.bytes(op);
                    checksum += rs.matchOp(op);
                    for (int k = 0; k < rs.depCount(op); k++) {
                        checksum += rs.dep(op, k);
                    }
                } else {
                    checksum += rs.reduces(op) ? 1 : 0;
                }
            }
            bytes.addAndGet(sent);
            ops.addAndGet(rs.opCount() + (checksum == 42 ? 1 : 0));
        });
        long walked = System.nanoTime();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        assertEquals(s.totalBytesSent(), bytes.get());
        System.out.printf("scale ring all-reduce n=%d: create %.3f ms; walk %d ops of all ranks on %d cores %.1f s "
                + "(%.1f ns/op); heap before %.1f MB, after %.1f MB%n", N, (created - start) / 1e6, ops.get(),
                Runtime.getRuntime().availableProcessors(), (walked - created) / 1e9,
                (walked - created) / (double) ops.get() * Runtime.getRuntime().availableProcessors(),
                heapBefore / 1e6, heapAfter / 1e6);
    }
}

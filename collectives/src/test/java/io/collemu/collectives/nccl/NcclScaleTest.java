package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * NCCL schedules for 32,768 ranks (4,096 servers of 8; PXN at 4,096 ranks = 512 servers): created at once, a
 * few ranks walked op by op with every send checked against the peer's receive. Times are printed, not asserted
 * beyond a generous bound.
 */
class NcclScaleTest {

    @ParameterizedTest(name = "{0} {1} n={2}")
    @CsvSource({"all-reduce,ring,32768,16", "reduce-scatter,ring,32768,16", "all-gather,ring,32768,16",
            "broadcast,ring,32768,16", "reduce,ring,32768,16", "all-reduce,tree,32768,16",
            "all-to-all,auto,4096,16", "all-reduce,ring,4096,64", "all-to-all,auto,4096,1"})
    void shouldBuildAFewRanksQuickly(String kind, String algorithm, int n, int channels) {
        long start = System.nanoTime();
        NcclLayout layout = NcclLayout.consecutive(n, 8);
        Schedule s = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.fromName(kind), algorithm, 1L << 30, n,
                channels).withRoot(n / 3), layout);
        long created = System.nanoTime();
        long ops = 0;
        for (int r : new int[] {0, 1, n / 2 + 3, n - 1}) {
            RankSchedule rs = s.rank(r);
            ops += rs.opCount();
            for (int op = 0; op < rs.opCount(); op++) {
                if (rs.isSend(op)) {
                    RankSchedule peer = s.rank(rs.peer(op));
                    int m = rs.matchOp(op);
                    int sendOp = op;
                    assertTrue(!peer.isSend(m) && peer.peer(m) == r && peer.bytes(m) == rs.bytes(op),
                            () -> "rank " + r + " op " + sendOp);
                    for (int k = 0; k < rs.depCount(op); k++) {
                        assertTrue(!rs.isSend(rs.dep(op, k)));
                    }
                }
            }
        }
        long walked = System.nanoTime();
        System.out.printf("nccl scale %-14s %-4s n=%d C=%d: layout+create %.1f ms, 4 ranks (%d ops, each send matched)"
                + " %.1f ms%n", kind, algorithm, n, channels, (created - start) / 1e6, ops, (walked - created) / 1e6);
        assertTrue(walked - start < 30_000_000_000L, "a few ranks must take seconds at most");
    }

    @ParameterizedTest
    @CsvSource({"32768,8", "4096,16"})
    void shouldKeepARingRankArithmetic(int n, int channels) {
        Schedule s = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 1L << 30, n, channels),
                NcclLayout.consecutive(n, 8));
        assertEquals(4 * (n - 1) * channels, s.rank(1234).opCount());
        assertEquals(2L * (n - 1) * (1L << 30), s.totalBytesSent());
    }
}

package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.DataVerifier;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NCCL's NVLS all-reduce ({@link NvlsAllReduce}): real data under random interleavings ({@link DataVerifier}) for
 * n = 2..128 ranks, 1..16 channels, sizes from 1 byte to several loops with a partial last loop; the sibling groups
 * the switch combines are consistent (equal bytes and offsets, the right count, one receiver per reduction); the
 * bytes each GPU's link carries are {@code (n+1)/n x S} per direction; NCCL's chunk rule.
 */
class NcclNvlsTest {

    static Stream<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        int[] ranks = {2, 3, 4, 8, 16};
        int[] channels = {1, 2, 16};
        long[] sizes = {1, 7, 8, 100, (16 << 10) + 3, 3L * 8 * 2 * (16 << 10) + 5, (1 << 20) + 1};
        for (int n : ranks) {
            for (int c : channels) {
                for (long s : sizes) {
                    list.add(Arguments.of(n, c, s));
                }
            }
        }
        for (long s : new long[] {1, 129, (16 << 10) * 3 + 17}) {
            list.add(Arguments.of(128, 16, s));
            list.add(Arguments.of(128, 1, s));
        }
        return list.stream();
    }

    /** The shapes, plus two whose data would be too large for the verifier: 128 KiB chunks and partial loops. */
    static Stream<Arguments> largeShapes() {
        return Stream.concat(shapes(), Stream.of(Arguments.of(8, 16, (1L << 30) + 12345),
                Arguments.of(4, 3, (40L << 20) + 1)));
    }

    private static Schedule nvls(int n, int channels, long sizeBytes) {
        return NcclSchedules.nvls(new CollectiveRequest(CollectiveKind.ALL_REDUCE, "ring", sizeBytes, n, channels, 0,
                n, null, null));
    }

    @ParameterizedTest(name = "n={0} C={1} S={2}")
    @MethodSource("shapes")
    void shouldSumOnEveryRankUnderRandomInterleavings(int n, int channels, long sizeBytes) {
        Schedule s = nvls(n, channels, sizeBytes);
        assertEquals("nvls", s.algorithm());
        int seeds = n >= 128 || sizeBytes > (1 << 20) ? 1 : 3;
        for (int seed = 0; seed < seeds; seed++) {
            DataVerifier.verify(s, seed, seed % 2 == 0 ? 4096 : 1 << 20);
        }
    }

    @ParameterizedTest(name = "n={0} C={1} S={2}")
    @MethodSource("largeShapes")
    void shouldCombineConsistentSiblingGroupsAndCarryNPlusOneOverNPerLink(int n, int channels, long sizeBytes) {
        Schedule s = nvls(n, channels, sizeBytes);
        Map<String, long[]> reduce = new HashMap<>(); // receiver:group -> {count, bytes, offset}
        Map<String, long[]> mcast = new HashMap<>();  // sender:group -> {count, bytes, offset}
        Map<String, Set<Integer>> mcastPeers = new HashMap<>();
        long[] up = new long[n];
        long[] down = new long[n];
        long ownedBytes = 0;
        for (int r = 0; r < n; r++) {
            RankSchedule rs = s.rank(r);
            for (int op = 0; op < rs.opCount(); op++) {
                int combine = rs.combine(op);
                assertNotEquals(RankSchedule.COMBINE_NONE, combine, "rank " + r + " op " + op);
                if (!rs.isSend(op)) {
                    assertEquals(rs.reduces(op), combine == RankSchedule.COMBINE_REDUCE, "rank " + r + " op " + op);
                    continue;
                }
                assertEquals(n - 1, rs.combineSize(op));
                String key = (combine == RankSchedule.COMBINE_REDUCE ? rs.peer(op) : r) + ":" + rs.combineGroup(op);
                Map<String, long[]> groups = combine == RankSchedule.COMBINE_REDUCE ? reduce : mcast;
                long bytes = rs.bytes(op);
                long offset = rs.offsetBytes(op);
                long[] g = groups.computeIfAbsent(key, k -> new long[] {0, bytes, offset});
                g[0]++;
                assertEquals(g[1], rs.bytes(op), "sibling bytes of " + key);
                assertEquals(g[2], rs.offsetBytes(op), "sibling offset of " + key);
                if (combine == RankSchedule.COMBINE_MULTICAST) {
                    assertTrue(mcastPeers.computeIfAbsent(key, k -> new HashSet<>()).add(rs.peer(op)),
                            "multicast " + key + " twice to " + rs.peer(op));
                } else {
                    up[r] += rs.bytes(op); // the switch reads this rank's copy of the piece
                }
            }
        }
        for (Map.Entry<String, long[]> e : reduce.entrySet()) {
            assertEquals(n - 1, e.getValue()[0], "contributions to reduction " + e.getKey());
            int head = Integer.parseInt(e.getKey().split(":")[0]);
            long b = e.getValue()[1];
            up[head] += 2 * b;   // the head's own copy read by the switch, and its multicast store
            down[head] += 2 * b; // the sum, and the head's own multicast copy
            ownedBytes += b;
        }
        for (Map.Entry<String, long[]> e : mcast.entrySet()) {
            assertEquals(n - 1, e.getValue()[0], "copies of multicast " + e.getKey());
            int head = Integer.parseInt(e.getKey().split(":")[0]);
            for (int r = 0; r < n; r++) {
                if (r != head) {
                    down[r] += e.getValue()[1];
                }
            }
        }
        assertEquals(reduce.size(), mcast.size());
        assertEquals(sizeBytes, ownedBytes, "every byte is owned by exactly one head");
        long upTotal = 0;
        long downTotal = 0;
        for (int r = 0; r < n; r++) {
            upTotal += up[r];
            downTotal += down[r];
        }
        assertEquals((n + 1) * sizeBytes, upTotal, "GPU-to-switch bytes");
        assertEquals((n + 1) * sizeBytes, downTotal, "switch-to-GPU bytes");
        assertEquals(2L * (n - 1) * sizeBytes, s.totalBytesSent());
    }

    @Test
    void shouldBalanceTheLinksWhenTheBufferFillsWholeLoops() {
        int n = 8;
        long size = 16L * 8 * (128 << 10) * 4; // 4 full loops of 128 KiB chunks per channel
        Schedule s = nvls(n, 16, size);
        for (int r = 0; r < n; r++) {
            RankSchedule rs = s.rank(r);
            long sent = 0;
            for (int op = 0; op < rs.opCount(); op++) {
                if (rs.isSend(op) && rs.combine(op) == RankSchedule.COMBINE_REDUCE) {
                    sent += rs.bytes(op);
                }
            }
            assertEquals(size * (n - 1) / n, sent, "rank " + r + " contributes every piece it does not own");
        }
    }

    @Test
    void shouldFollowNcclsChunkRule() {
        // enqueue.cc:2258-2272 (v2.30.7-1), 16 channels x 8 heads = 128 concurrent ops
        assertEquals(128 << 10, NvlsAllReduce.chunkBytes(1L << 30, 16, 8));
        assertEquals(64 << 10, NvlsAllReduce.chunkBytes((1L << 30) - 1, 16, 8));
        assertEquals(64 << 10, NvlsAllReduce.chunkBytes(64L << 20, 16, 8));
        assertEquals(32 << 10, NvlsAllReduce.chunkBytes((64L << 20) - 1, 16, 8));
        assertEquals(32 << 10, NvlsAllReduce.chunkBytes(8L << 20, 16, 8));
        assertEquals(16 << 10, NvlsAllReduce.chunkBytes((8L << 20) - 1, 16, 8));
        assertEquals(16 << 10, NvlsAllReduce.chunkBytes(8, 16, 8));
    }

    @Test
    void shouldRefuseOtherKindsAndOneRank() {
        assertThrows(CollectiveException.class, () -> NcclSchedules.nvls(new CollectiveRequest(
                CollectiveKind.ALL_GATHER, "ring", 1024, 8, 1, 0, 8, null, null)));
        assertThrows(CollectiveException.class, () -> nvls(1, 1, 1024));
    }
}

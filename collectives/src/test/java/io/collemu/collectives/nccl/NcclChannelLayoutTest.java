package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ring channels NCCL builds on rail-optimized servers: orders, rails, and NIC load. */
class NcclChannelLayoutTest {

    private static int[] order(NcclLayout layout, int channel) {
        RingOrder o = new RingOrder(layout, channel % layout.ringSearchChannels());
        int[] ranks = new int[layout.ranks()];
        for (int p = 0; p < ranks.length; p++) {
            ranks[p] = o.rankAt(p);
        }
        return ranks;
    }

    @Test
    void shouldBuildTheChannelsOfTwoServersOfEightGpus() {
        NcclLayout layout = NcclLayout.consecutive(16, 8);
        // channel 0 as NCCL prints it: "Channel 00/16 : 0 1 2 3 4 5 6 7 15 14 13 12 11 10 9 8" (nccl-model.md 3.4)
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 15, 14, 13, 12, 11, 10, 9, 8}, order(layout, 0));
        assertArrayEquals(new int[] {7, 6, 5, 4, 3, 2, 1, 0, 8, 9, 10, 11, 12, 13, 14, 15}, order(layout, 1));
        assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 0, 1, 9, 8, 15, 14, 13, 12, 11, 10}, order(layout, 2));
        assertArrayEquals(new int[] {1, 0, 7, 6, 5, 4, 3, 2, 10, 11, 12, 13, 14, 15, 8, 9}, order(layout, 3));
        // channels beyond the 8 search channels replay them
        assertArrayEquals(order(layout, 3), order(layout, 11));
    }

    /**
     * One server: NCCL's search finds channel 0 in PCI order and replays it for every later channel
     * (FORCED_ORDER_PCI, FORCED_ORDER_REPLAY, search.cc:862-872 of v2.30.7-1); its logs print
     * "Channel 00/24 : 0 1 2 3 4 5 6 7" for all 24 channels of an 8-GPU server.
     */
    @Test
    void shouldReplayThePciOrderOnEveryChannelOfOneServer() {
        NcclLayout layout = NcclLayout.consecutive(8, 8);
        for (int c = 0; c < 2 * layout.ringSearchChannels(); c++) {
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, order(layout, c % layout.ringSearchChannels()),
                    "channel " + c);
        }
        NcclLayout sparse = NcclLayout.of(new int[] {0, 0, 0, 0}, new int[] {6, 2, 4, 0});
        assertArrayEquals(new int[] {3, 1, 2, 0}, order(sparse, 1), "ranks by local index (PCI order)");
    }

    @ParameterizedTest
    @CsvSource({"1,1", "5,1", "8,8", "16,8", "24,8", "12,4", "10,4", "7,3", "18,6", "64,2"})
    void shouldVisitEveryRankOnceWithPositionTheInverseOfRank(int n, int g) {
        NcclLayout layout = NcclLayout.consecutive(n, g);
        for (int c = 0; c < 2 * layout.ringSearchChannels(); c++) {
            RingOrder o = new RingOrder(layout, c % layout.ringSearchChannels());
            Set<Integer> seen = new HashSet<>();
            for (int p = 0; p < n; p++) {
                int r = o.rankAt(p);
                assertTrue(seen.add(r), "channel " + c + " visits rank " + r + " twice");
                assertEquals(p, o.positionOf(r));
                assertEquals(p / g, layout.nodeOf(r), "nodes are visited in index order");
            }
        }
    }

    /** Rail-optimized: local index = NIC rail. Every inter-node send stays on its rail. */
    @ParameterizedTest
    @CsvSource({"2,8", "3,8", "4,8", "16,8", "2,4", "3,4", "5,2", "4,1", "3,6"})
    void shouldKeepEveryInterNodeRingSendOnOneRailButTheOddWrap(int nodes, int g) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        for (int channels : new int[] {1, 3, g, 2 * g, 16}) {
            Schedule s = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring",
                    1000L * nodes * g * channels, nodes * g, channels), layout);
            int crossings = 0;
            for (int r = 0; r < s.ranks(); r++) {
                RankSchedule rs = s.rank(r);
                for (int op = 0; op < rs.opCount(); op++) {
                    int peer = rs.peer(op);
                    if (!rs.isSend(op) || layout.nodeOf(peer) == layout.nodeOf(r)) {
                        continue;
                    }
                    assertEquals((layout.nodeOf(r) + 1) % nodes, layout.nodeOf(peer), "rings go node i -> i+1");
                    if (layout.localOf(peer) != layout.localOf(r)) {
                        assertTrue(nodes % 2 == 1 && layout.nodeOf(r) == nodes - 1,
                                "rank " + r + " -> " + peer + " crosses rails, channels " + channels);
                        crossings++;
                    }
                }
            }
            if (nodes % 2 == 0 || g == 1) {
                assertEquals(0, crossings);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"2,8,8", "2,8,16", "4,8,16", "3,8,8", "2,4,4", "2,4,16", "3,4,8", "4,2,6", "2,6,12", "2,3,6"})
    void shouldGiveEveryNicTheSameNumberOfRingChannels(int nodes, int g, int channels) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        assertEquals(0, channels % layout.ringSearchChannels(), "test setup: whole rounds of search channels");
        int[][] load = nicLoad(layout, channels);
        int expected = channels / g;
        for (int r = 0; r < layout.ranks(); r++) {
            assertEquals(expected, load[0][r], "NIC of rank " + r + " sends channels");
            assertEquals(expected, load[1][r], "NIC of rank " + r + " receives channels");
        }
    }

    @ParameterizedTest
    @CsvSource({"2,8,1", "2,8,4", "2,8,6", "3,8,5", "2,4,2"})
    void shouldPutAtMostOneChannelOnANicWhenThereAreFewerChannelsThanNics(int nodes, int g, int channels) {
        int[][] load = nicLoad(NcclLayout.consecutive(nodes * g, g), channels);
        int used = 0;
        for (int r = 0; r < load[0].length; r++) {
            assertTrue(load[0][r] <= 1 && load[1][r] <= 1, "rank " + r);
            used += load[0][r];
        }
        assertEquals(channels * nodes, used, "each channel leaves every node once");
    }

    /** @return {channels whose inter-node send leaves rank r's NIC, channels whose receive enters it} */
    private static int[][] nicLoad(NcclLayout layout, int channels) {
        int n = layout.ranks();
        Schedule s = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 100L * n * channels, n,
                channels), layout);
        int[][] load = new int[2][n];
        for (int r = 0; r < n; r++) {
            RankSchedule rs = s.rank(r);
            Set<Integer> out = new HashSet<>();
            Set<Integer> in = new HashSet<>();
            for (int op = 0; op < rs.opCount(); op++) {
                if (layout.nodeOf(rs.peer(op)) != layout.nodeOf(r)) {
                    (rs.isSend(op) ? out : in).add(rs.stream(op));
                }
            }
            load[0][r] = out.size();
            load[1][r] = in.size();
        }
        return load;
    }

    @ParameterizedTest
    @CsvSource({"2,8", "3,4", "4,2", "16,8"})
    void shouldSendEveryInterNodePxnByteBetweenGpusOfOneRail(int nodes, int g) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        Schedule s = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_TO_ALL, "auto", 3L * nodes * g,
                nodes * g, 4), layout);
        long interNodeBytes = 0;
        for (int r = 0; r < s.ranks(); r++) {
            RankSchedule rs = s.rank(r);
            for (int op = 0; op < rs.opCount(); op++) {
                int peer = rs.peer(op);
                if (rs.isSend(op) && layout.nodeOf(peer) != layout.nodeOf(r)) {
                    assertEquals(layout.localOf(r), layout.localOf(peer), "rank " + r + " op " + op);
                    interNodeBytes += rs.bytes(op);
                }
            }
        }
        // every cross-node pair's bytes cross the network exactly once: n (n - G) blocks of 3 bytes
        assertEquals(3L * s.ranks() * (s.ranks() - g), interNodeBytes);
    }

    @ParameterizedTest
    @CsvSource({"2,8", "3,4", "16,8"})
    void shouldKeepEveryInterNodeTreeEdgeOnOneRail(int nodes, int g) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        Schedule s = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "tree", 1L << 16, nodes * g,
                16), layout);
        for (int r = 0; r < s.ranks(); r++) {
            RankSchedule rs = s.rank(r);
            for (int op = 0; op < rs.opCount(); op++) {
                int peer = rs.peer(op);
                if (layout.nodeOf(peer) != layout.nodeOf(r)) {
                    assertEquals(layout.localOf(r), layout.localOf(peer), "rank " + r + " op " + op);
                    assertEquals(rs.stream(op) / NcclTree.STREAMS_PER_CHANNEL % 8 % g, layout.localOf(r),
                            "channel c's inter-node edges use NIC (c mod C/2) mod G");
                }
            }
        }
    }
}

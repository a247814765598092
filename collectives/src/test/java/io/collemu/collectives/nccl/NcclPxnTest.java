package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PXN relays and the staggered order (op layout: final receives, relay receives, own sends, forwards). */
class NcclPxnTest {

    private static RelayRankSchedule[] ranks(int nodes, int g, int channels) {
        int n = nodes * g;
        PxnAllToAll s = (PxnAllToAll) NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_TO_ALL, "auto",
                64L * n * channels, n, channels), NcclLayout.consecutive(n, g));
        RelayRankSchedule[] views = new RelayRankSchedule[n];
        for (int r = 0; r < n; r++) {
            views[r] = s.rank(r);
        }
        return views;
    }

    private static int firstSend(RankSchedule rs) {
        int op = 0;
        while (!rs.isSend(op)) {
            op++;
        }
        return op;
    }

    @Test
    void shouldRelayCrossRailPairsThroughTheGpuOnTheDestinationsRail() {
        RelayRankSchedule[] views = ranks(2, 4, 1);
        RankSchedule rank0 = views[0];
        int sends = firstSend(rank0);
        // steps 1..7 send to 1, 2, 3 (NVLink), 4 (same rail), 5, 6, 7 (through GPUs 1, 2, 3 of server 0)
        int[] expected = {1, 2, 3, 4, 1, 2, 3};
        for (int k = 1; k <= 7; k++) {
            assertEquals(expected[k - 1], rank0.peer(sends + k - 1), "step " + k);
            assertFalse(views[0].isRelayForward(sends + k - 1));
        }
        // GPU 1 of server 0 forwards, over rail 1, the blocks of 0, 3, 2 for rank 5 (steps 5, 6, 7)
        RelayRankSchedule relay = views[1];
        int forwards = 0;
        for (int op = 0; op < relay.opCount(); op++) {
            if (relay.isSend(op) && relay.isRelayForward(op)) {
                assertEquals(5, relay.peer(op));
                assertEquals(1, relay.depCount(op));
                assertFalse(relay.depWhole(op, 0));
                assertEquals(relay.offsetBytes(op), relay.offsetBytes(relay.dep(op, 0)), "forwards what it staged");
                forwards++;
            }
        }
        assertEquals(3, forwards, "(N-1)(G-1) relay jobs");
    }

    /**
     * Staggered like today's direct all-to-all: at step k every rank receives its final hop from one rank, and
     * per step no NIC sends or receives more than one pair, no GPU sends more than one over NVLink, and no GPU
     * takes more than two over NVLink (one pair for itself, one job as a relay).
     */
    @ParameterizedTest
    @CsvSource({"2,8", "3,4", "4,2", "16,8", "5,1", "1,8"})
    void shouldSpreadEveryStepOverAllNicsAndGpus(int nodes, int g) {
        int channels = 2;
        RelayRankSchedule[] views = ranks(nodes, g, channels);
        int n = views.length;
        int[][] netOut = new int[n][n];
        int[][] netIn = new int[n][n];
        int[][] nvlOut = new int[n][n];
        int[][] nvlIn = new int[n][n];
        for (int r = 0; r < n; r++) {
            RelayRankSchedule rs = views[r];
            int sends = firstSend(rs);
            for (int op = sends; op < rs.opCount(); op++) {
                int peer = rs.peer(op);
                // own sends run in step order; a forward's step is that of the final receive it feeds
                int step = rs.isRelayForward(op) ? rs.matchOp(op) / channels + 1 : (op - sends) / channels + 1;
                if (op % channels != sends % channels && !rs.isRelayForward(op)) {
                    continue;
                }
                if (rs.isRelayForward(op) && rs.matchOp(op) % channels != 0) {
                    continue;
                }
                boolean network = peer / g != r / g;
                (network ? netOut : nvlOut)[step][r]++;
                (network ? netIn : nvlIn)[step][peer]++;
            }
        }
        for (int k = 1; k < n; k++) {
            for (int r = 0; r < n; r++) {
                assertTrue(netOut[k][r] <= 1 && netIn[k][r] <= 1, "step " + k + " NIC of " + r);
                assertTrue(nvlOut[k][r] <= 1 && nvlIn[k][r] <= 2, "step " + k + " NVLink of " + r);
            }
            int[] feeds = new int[n];
            for (int r = 0; r < n; r++) {
                // final receives run in step order: every rank hears from one final-hop sender per step
                feeds[views[r].peer(channels * (k - 1))]++;
            }
            for (int r = 0; r < n; r++) {
                assertTrue(feeds[r] <= 2, "step " + k + ": rank " + r + " is the last hop of " + feeds[r]);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"2,8", "3,4", "16,8"})
    void shouldGiveEachRelayOneJobPerStepInStepOrder(int nodes, int g) {
        RelayRankSchedule[] views = ranks(nodes, g, 1);
        int n = views.length;
        for (int r = 0; r < n; r++) {
            RelayRankSchedule rs = views[r];
            Set<Integer> sources = new HashSet<>();
            int jobs = 0;
            for (int op = n - 1; op < firstSend(rs); op++) {
                int source = rs.peer(op);
                assertEquals(r / g, source / g, "a relay serves its own server");
                assertTrue(source % g != r % g);
                sources.add(source);
                jobs++;
            }
            assertEquals((nodes - 1) * (g - 1), jobs);
            assertEquals(g - 1, sources.size(), "every other GPU of the server relays through this one");
        }
    }

    private static RelayRankSchedule sendRecvRank(NcclLayout layout, int[] pairs, int rank) {
        CollectiveRequest request = new CollectiveRequest(CollectiveKind.SEND_RECV, "auto", 1000, layout.ranks(), 2,
                0, 1, null, pairs);
        return (RelayRankSchedule) NcclSchedules.of(request, layout).rank(rank);
    }

    /** Peers of a rank's sends, forwards marked with a leading '+', in op order. */
    private static String sendPeers(RelayRankSchedule rs) {
        StringBuilder b = new StringBuilder();
        for (int op = 0; op < rs.opCount(); op++) {
            if (rs.isSend(op)) {
                b.append(b.length() == 0 ? "" : " ").append(rs.isRelayForward(op) ? "+" : "").append(rs.peer(op));
            }
        }
        return b.toString();
    }

    @Test
    void shouldRelayACrossServerCrossRailSendThroughTheSendersGpuOnTheDestinationsRail() {
        NcclLayout twoByFour = NcclLayout.consecutive(8, 4);
        // 3 -> 4: server 0 local 3 to server 1 local 0, through rank 0 (server 0, local 0) on rail 0;
        // 1 -> 5: same rail, direct; 1 -> 2: same server, direct
        int[] pairs = {3, 4, 1, 5, 1, 2};
        assertEquals("0 0", sendPeers(sendRecvRank(twoByFour, pairs, 3)), "two channel pieces to the relay");
        assertEquals("+4 +4", sendPeers(sendRecvRank(twoByFour, pairs, 0)), "the relay forwards both pieces");
        assertEquals("5 5 2 2", sendPeers(sendRecvRank(twoByFour, pairs, 1)));
        RelayRankSchedule relay = sendRecvRank(twoByFour, pairs, 0);
        for (int op = 0; op < relay.opCount(); op++) {
            if (relay.isSend(op)) {
                assertEquals(1, relay.depCount(op));
                assertEquals(relay.offsetBytes(op), relay.offsetBytes(relay.dep(op, 0)), "forwards what it staged");
                assertEquals(3, relay.peer(relay.dep(op, 0)), "staged from the sender");
            }
        }
        CollectiveRequest request = new CollectiveRequest(CollectiveKind.SEND_RECV, "auto", 1000, 8, 2, 0, 1, null,
                pairs);
        assertEquals(4 * 1000, NcclSchedules.of(request, twoByFour).totalBytesSent(), "3 pairs + 1 relay hop");
        assertEquals(1000, NcclSchedules.of(request, twoByFour).outputBytes(0), "rank 0 stages one pair");
        assertEquals(NcclSchedules.PXN, NcclSchedules.of(request, twoByFour).algorithm());
    }

    @Test
    void shouldSendDirectlyWhenTheSendersServerHasNoGpuOnTheDestinationsRail() {
        // server 0 holds locals 0 and 1, server 1 locals 0..3: 1 -> local 3 has no GPU of local 3 on server 0
        NcclLayout uneven = NcclLayout.of(new int[] {0, 0, 1, 1, 1, 1}, new int[] {0, 1, 0, 1, 2, 3});
        int[] pairs = {1, 5, 5, 0};
        assertEquals("5 5", sendPeers(sendRecvRank(uneven, pairs, 1)), "NCCL keeps the sender's own NIC");
        assertEquals("2 2", sendPeers(sendRecvRank(uneven, pairs, 5)), "5 -> 0 goes through server 1's local 0");
        assertEquals("+0 +0", sendPeers(sendRecvRank(uneven, pairs, 2)));
    }
}

package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.DataVerifier;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-rank bytes against reference/formulas.md: exact when S divides evenly, within a few bytes otherwise. */
class NcclBytesSentTest {

    private static Schedule schedule(CollectiveKind kind, String algorithm, long size, NcclLayout layout,
            int channels) {
        return NcclSchedules.of(CollectiveRequest.of(kind, algorithm, size, layout.ranks(), channels), layout);
    }

    /** @return {bytes each rank sends to its own server (NVLink), bytes it sends to other servers (its NIC)} */
    private static long[][] split(Schedule s, NcclLayout layout) {
        long[][] bytes = new long[2][s.ranks()];
        long total = 0;
        for (int r = 0; r < s.ranks(); r++) {
            RankSchedule rs = s.rank(r);
            for (int op = 0; op < rs.opCount(); op++) {
                if (rs.isSend(op)) {
                    bytes[layout.nodeOf(rs.peer(op)) == layout.nodeOf(r) ? 0 : 1][r] += rs.bytes(op);
                    total += rs.bytes(op);
                }
            }
        }
        assertEquals(s.totalBytesSent(), total, "totalBytesSent");
        return bytes;
    }

    @ParameterizedTest
    @CsvSource({"1,8,4", "2,8,16", "3,4,5", "16,8,16", "4,2,3", "5,1,2", "3,3,6"})
    void shouldSendTwoTimesNMinusOneOverNOfTheBufferInRingAllReduce(int nodes, int g, int channels) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        int n = layout.ranks();
        long even = 64L * n * channels;
        for (long b : DataVerifier.bytesSentPerRank(schedule(CollectiveKind.ALL_REDUCE, "ring", even, layout,
                channels))) {
            assertEquals(2 * (n - 1) * even / n, b);
        }
        long odd = even + 2L * n + 3;
        double ideal = 2.0 * (n - 1) / n * odd;
        for (long b : DataVerifier.bytesSentPerRank(schedule(CollectiveKind.ALL_REDUCE, "ring", odd, layout,
                channels))) {
            assertTrue(Math.abs(b - ideal) <= 2 * channels, b + " vs " + ideal);
        }
    }

    @ParameterizedTest
    @CsvSource({"reduce-scatter,2,8", "all-gather,2,8", "reduce-scatter,3,4", "all-gather,16,2"})
    void shouldSendNMinusOneOverNInRingReduceScatterAndAllGather(String kind, int nodes, int g) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        int n = layout.ranks();
        long size = 24L * n * 4;
        for (long b : DataVerifier.bytesSentPerRank(schedule(CollectiveKind.fromName(kind), "ring", size, layout, 4))) {
            assertEquals((n - 1) * size / n, b);
        }
    }

    /** One channel crossing per server boundary and direction: each NIC carries 2(n-1)/n x S / G per direction. */
    @ParameterizedTest
    @CsvSource({"2,8,8", "2,8,16", "4,8,16", "2,4,8", "4,2,2"})
    void shouldSpreadRingAllReduceOverEveryNic(int nodes, int g, int channels) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        int n = layout.ranks();
        long size = 64L * n * channels;
        long[][] bytes = split(schedule(CollectiveKind.ALL_REDUCE, "ring", size, layout, channels), layout);
        for (int r = 0; r < n; r++) {
            assertEquals(2 * (n - 1) * size / n / g, bytes[1][r], "NIC of rank " + r);
        }
    }

    @ParameterizedTest
    @CsvSource({"broadcast,2,8,0", "broadcast,3,4,5", "reduce,2,8,9", "reduce,1,8,3"})
    void shouldForwardTheWholeBufferAlongEachChainButAtItsEnd(String kind, int nodes, int g, int root) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        int n = layout.ranks();
        long size = 40L * 8;
        Schedule s = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.fromName(kind), "ring", size, n, 8)
                .withRoot(root), layout);
        long total = 0;
        for (long b : DataVerifier.bytesSentPerRank(s)) {
            assertTrue(b % (size / 8) == 0 && b <= size, "whole channel ranges only");
            total += b;
        }
        assertEquals((n - 1) * size, total);
    }

    /** 2 servers x 8, 16 channels: each NIC carries 2 tree channels per direction (nccl-model.md 4.4). */
    @ParameterizedTest
    @CsvSource({"2,8,16", "2,4,8", "3,4,8", "16,8,16", "1,8,4"})
    void shouldMoveEachChannelUpAndDownItsTreeOnce(int nodes, int g, int channels) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        int n = layout.ranks();
        long size = 1024L * channels;
        long[][] bytes = split(schedule(CollectiveKind.ALL_REDUCE, "tree", size, layout, channels), layout);
        long all = 0;
        for (int r = 0; r < n; r++) {
            all += bytes[0][r] + bytes[1][r];
        }
        assertEquals(2L * (n - 1) * size, all);
        if (nodes == 2) {
            for (int r = 0; r < n; r++) {
                assertEquals(2 * size / channels * (channels / 2 / g), bytes[1][r], "NIC of rank " + r);
            }
        }
    }

    /**
     * PXN: every remote byte leaves on the NIC of its destination's rail, so each NIC sends S (n-G)/n; every
     * cross-rail byte crosses NVLink once more than in a direct all-to-all (reference/formulas.md).
     */
    @ParameterizedTest
    @CsvSource({"2,8,1", "2,8,4", "3,4,3", "16,8,2", "4,2,16", "1,8,2", "5,1,2"})
    void shouldSendEveryCrossRailByteOnceMoreOverNvlink(int nodes, int g, int channels) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        int n = layout.ranks();
        long block = 5L * channels;
        long size = block * n;
        long[][] bytes = split(schedule(CollectiveKind.ALL_TO_ALL, "auto", size, layout, channels), layout);
        for (int r = 0; r < n; r++) {
            assertEquals(size * (n - g) / n, bytes[1][r], "NIC of rank " + r);
            // own block to each of its G-1 server peers, plus G-1 relays' worth of every remote rail
            long direct = (g - 1) * block;
            long crossRail = (long) (g - 1) * (nodes - 1) * block;
            assertEquals(direct + crossRail, bytes[0][r], "NVLink of rank " + r);
        }
        Schedule plain = io.collemu.collectives.algo.Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_TO_ALL,
                "direct", size, n, channels));
        long[][] plainBytes = split(plain, layout);
        long extra = 0;
        long network = 0;
        for (int r = 0; r < n; r++) {
            extra += bytes[0][r] - plainBytes[0][r];
            network += bytes[1][r] - plainBytes[1][r];
        }
        assertEquals((long) n * (nodes - 1) * (g - 1) * block, extra, "cross-rail pairs times their block");
        assertEquals(0, network, "PXN moves no byte more over the network");
    }

    @ParameterizedTest
    @CsvSource({"2,8,3", "3,4,16"})
    void shouldStayWithinAByteOfThePxnBoundsForOddSizes(int nodes, int g, int channels) {
        NcclLayout layout = NcclLayout.consecutive(nodes * g, g);
        int n = layout.ranks();
        long size = 7L * n * channels + n / 2 + 1;
        Schedule s = schedule(CollectiveKind.ALL_TO_ALL, "auto", size, layout, channels);
        long[][] bytes = split(s, layout);
        double nicBound = (double) size * (n - g) / n;
        for (int r = 0; r < n; r++) {
            assertTrue(Math.abs(bytes[1][r] - nicBound) <= n, bytes[1][r] + " vs " + nicBound);
        }
        assertEquals((n - 1L) * size + (long) (nodes - 1) * (g - 1) * size, s.totalBytesSent());
    }
}

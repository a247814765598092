package io.collemu.collectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.algo.Schedules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-rank bytes sent against the formulas (exact when S divides evenly, within a few bytes otherwise). */
class BytesSentTest {

    private static long[] sent(CollectiveKind kind, String algorithm, long size, int n, int channels) {
        Schedule s = Schedules.of(CollectiveRequest.of(kind, algorithm, size, n, channels));
        long[] perRank = DataVerifier.bytesSentPerRank(s);
        long total = 0;
        for (long b : perRank) {
            total += b;
        }
        assertEquals(s.totalBytesSent(), total, "totalBytesSent");
        return perRank;
    }

    @ParameterizedTest
    @CsvSource({"2,1", "3,1", "5,2", "8,4", "16,8", "64,3", "128,8"})
    void shouldSendTwoTimesNMinusOneOverNOfTheBufferInRingAllReduce(int n, int channels) {
        long even = 64L * n * channels;
        for (long b : sent(CollectiveKind.ALL_REDUCE, "ring", even, n, channels)) {
            assertEquals(2 * (n - 1) * even / n, b);
        }
        long odd = 64L * n * channels + 2L * n + 3;
        double ideal = 2.0 * (n - 1) / n * odd;
        for (long b : sent(CollectiveKind.ALL_REDUCE, "ring", odd, n, channels)) {
            assertTrue(Math.abs(b - ideal) <= 2 * channels, b + " vs " + ideal);
        }
    }

    @ParameterizedTest
    @CsvSource({"reduce-scatter,ring", "all-gather,ring", "all-to-all,pairwise", "all-to-all,direct"})
    void shouldSendNMinusOneOverNOfTheBuffer(String kind, String algorithm) {
        for (int n : new int[] {2, 3, 8, 13}) {
            long size = 24L * n;
            for (long b : sent(CollectiveKind.fromName(kind), algorithm, size, n, 3)) {
                assertEquals((n - 1) * size / n, b);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"2", "4", "8", "32"})
    void shouldSendTwoTimesNMinusOneOverNInHalvingDoublingForPowersOfTwo(int n) {
        long size = 96L * n;
        for (long b : sent(CollectiveKind.ALL_REDUCE, "halving-doubling", size, n, 1)) {
            assertEquals(2 * (n - 1) * size / n, b);
        }
    }

    @ParameterizedTest
    @CsvSource({"8,2", "16,4", "32,8", "12,3"})
    void shouldSendWhatTheHierarchicalFormulaSays(int n, int g) {
        long size = 48L * n;
        Schedule s = Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "hierarchical", size, n, 1)
                .withGpusPerServer(g));
        int m = n / g;
        long expected = 2 * (g - 1) * size / g + 2 * (m - 1) * (size / g) / m;
        for (long b : DataVerifier.bytesSentPerRank(s)) {
            assertEquals(expected, b);
        }
    }

    @ParameterizedTest
    @CsvSource({"4", "7", "16", "33"})
    void shouldSendAtMostTwiceTheBufferInTheDoubleBinaryTree(int n) {
        long size = 4000;
        long busiest = 0;
        for (long b : sent(CollectiveKind.ALL_REDUCE, "tree", size, n, 2)) {
            busiest = Math.max(busiest, b);
        }
        assertEquals(2 * size, busiest);
    }
}

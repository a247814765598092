package io.collemu.collectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnalyticalCostTest {

    private static final long RATE_BPS = 800_000_000_000L; // 800 Gb/s = 100 GB/s: 10 ps per byte
    private static final long ALPHA_PS = 1_000_000; // 1 us

    private static CollectiveRequest req(CollectiveKind kind, String algorithm, long size, int n) {
        return CollectiveRequest.of(kind, algorithm, size, n, 1);
    }

    @Test
    void shouldMatchTheRingFormulas() {
        long s = 1L << 30;
        int n = 8;
        assertEquals(Math.round(2.0 * (n - 1) * ALPHA_PS + 2.0 * (n - 1) / n * s * 10),
                AnalyticalCost.timePs(req(CollectiveKind.ALL_REDUCE, "ring", s, n), null, ALPHA_PS, RATE_BPS));
        assertEquals(Math.round((n - 1) * ALPHA_PS + (double) (n - 1) / n * s * 10),
                AnalyticalCost.timePs(req(CollectiveKind.REDUCE_SCATTER, "ring", s, n), "ring", ALPHA_PS, RATE_BPS));
        assertEquals(Math.round((n - 1) * ALPHA_PS + (double) (n - 1) / n * s * 10),
                AnalyticalCost.timePs(req(CollectiveKind.ALL_GATHER, "auto", s, n), null, ALPHA_PS, RATE_BPS));
        assertEquals(Math.round(2.0 * (n - 1) / n * s * 10),
                AnalyticalCost.bandwidthTermPs(req(CollectiveKind.ALL_REDUCE, "ring", s, n), null, RATE_BPS));
    }

    @Test
    void shouldMatchHalvingDoublingAndPairwise() {
        long s = 1 << 20;
        assertEquals(Math.round(2 * 4 * ALPHA_PS + 2.0 * 15 / 16 * s * 10),
                AnalyticalCost.timePs(req(CollectiveKind.ALL_REDUCE, "ring", s, 16), "halving-doubling", ALPHA_PS,
                        RATE_BPS));
        // 12 ranks: p = 8, plus the fold-in and fold-out steps
        assertEquals(Math.round((2 * 3 + 2) * ALPHA_PS + (2.0 * 7 / 8 * s + 2.0 * s) * 10),
                AnalyticalCost.timePs(req(CollectiveKind.ALL_REDUCE, "halving-doubling", s, 12), null, ALPHA_PS,
                        RATE_BPS));
        assertEquals(Math.round(15 * ALPHA_PS + 15.0 / 16 * s * 10),
                AnalyticalCost.timePs(req(CollectiveKind.ALL_TO_ALL, "pairwise", s, 16), null, ALPHA_PS, RATE_BPS));
    }

    @Test
    void shouldPipelineTreeBroadcastWithTheBestPieceCount() {
        long s = 1 << 24;
        int n = 16; // depth 4
        long t = AnalyticalCost.timePs(req(CollectiveKind.BROADCAST, "tree", s, n), null, ALPHA_PS, RATE_BPS);
        double bytePs = s * 10.0;
        double best = Double.MAX_VALUE;
        for (int k = 1; k < 100_000; k++) {
            best = Math.min(best, (4 + k - 1) * (ALPHA_PS + bytePs / k));
        }
        assertEquals(Math.round(best), t);
        // never better than the bandwidth term, nor than (log2 n) alphas
        assertTrue(t >= AnalyticalCost.bandwidthTermPs(req(CollectiveKind.BROADCAST, "tree", s, n), null, RATE_BPS));
        assertTrue(t >= 4 * ALPHA_PS);
        long ring = AnalyticalCost.timePs(req(CollectiveKind.BROADCAST, "ring", s, n), null, ALPHA_PS, RATE_BPS);
        assertTrue(ring > t, "a 15-hop chain pays more latency than a 4-level tree");
    }

    @Test
    void shouldGiveTheDoubleBinaryTreeTwoDepthsOfLatencyAndTwiceTheBuffer() {
        long s = 1 << 20;
        assertEquals(Math.round(2 * 4 * ALPHA_PS + 2.0 * s * 10),
                AnalyticalCost.timePs(req(CollectiveKind.ALL_REDUCE, "tree", s, 16), null, ALPHA_PS, RATE_BPS));
        assertEquals(Math.round(2 * 5 * ALPHA_PS + 2.0 * s * 10),
                AnalyticalCost.timePs(req(CollectiveKind.ALL_REDUCE, "tree", s, 17), null, ALPHA_PS, RATE_BPS));
    }

    @Test
    void shouldCostNothingForOneRankAndRejectBadRates() {
        assertEquals(0, AnalyticalCost.timePs(req(CollectiveKind.ALL_REDUCE, "ring", 100, 1), null, ALPHA_PS,
                RATE_BPS));
        assertEquals(0, AnalyticalCost.timePs(req(CollectiveKind.BROADCAST, "tree", 100, 1), null, ALPHA_PS,
                RATE_BPS));
        assertThrows(CollectiveException.class, () -> AnalyticalCost.timePs(req(CollectiveKind.ALL_REDUCE, "ring",
                100, 4), null, ALPHA_PS, 0));
        assertThrows(CollectiveException.class, () -> AnalyticalCost.timePs(req(CollectiveKind.ALL_REDUCE, "ring",
                100, 4), "pairwise", ALPHA_PS, RATE_BPS));
    }

    @Test
    void shouldAgreeWithHierarchicalFormula() {
        long s = 1 << 20;
        CollectiveRequest r = req(CollectiveKind.ALL_REDUCE, "hierarchical", s, 32).withGpusPerServer(8);
        double expected = (2 * 7 + 2 * 3) * ALPHA_PS + (2.0 * 7 / 8 * s + 2.0 * 3 / 4 * s / 8) * 10;
        assertEquals(Math.round(expected), AnalyticalCost.timePs(r, null, ALPHA_PS, RATE_BPS));
    }
}

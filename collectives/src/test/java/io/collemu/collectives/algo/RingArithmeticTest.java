package io.collemu.collectives.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.collemu.collectives.BlockSplit;
import org.junit.jupiter.api.Test;

/** The ring's op counting by arithmetic against plain enumeration of steps. */
class RingArithmeticTest {

    @Test
    void shouldCountCyclicRunsLikeEnumeration() {
        for (int n = 1; n <= 9; n++) {
            for (int start = 0; start < n; start++) {
                for (int length = 0; length <= n; length++) {
                    CyclicSet set = new CyclicSet(n, start, length);
                    for (int from = -2 * n; from < 2 * n; from++) {
                        for (int len = 0; len <= 3 * n; len++) {
                            long expected = 0;
                            for (int j = 0; j < len; j++) {
                                int y = Math.floorMod(from + j, n);
                                expected += Math.floorMod(y - start, n) < length ? 1 : 0;
                            }
                            assertEquals(expected, set.countRun(from, len),
                                    "n=" + n + " start=" + start + " length=" + length + " from=" + from + " len=" + len);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldCountAndInvertRingStepsLikeEnumeration() {
        for (int n = 1; n <= 12; n++) {
            for (long size = 0; size <= 3L * n + 2; size++) {
                for (int channels = 1; channels <= 3; channels++) {
                    for (int c = 0; c < channels; c++) {
                        for (int direction : new int[] {1, -1}) {
                            for (int[] steps : new int[][] {{0, 2 * n - 2}, {0, n - 1}, {n - 1, 2 * n - 2}}) {
                                RingPhase phase = new RingPhase(n, 0, 1, direction, steps[0], steps[1], c,
                                        new BlockLayout.PieceOfBlock(size, n, channels, c));
                                checkPhase(phase, size, channels, c);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void checkPhase(RingPhase phase, long size, int channels, int c) {
        int n = phase.members;
        for (int rank = 0; rank < n; rank++) {
            int p = phase.positionOf(rank);
            assertEquals(rank, phase.rankAt(p));
            int recvs = 0;
            int sends = 0;
            for (int t = phase.stepFrom; t < phase.stepTo; t++) {
                assertEquals(recvs, phase.recvsBefore(p, t));
                assertEquals(sends, phase.sendsBefore(p, t));
                int rb = phase.recvBlock(p, t);
                long expectedBytes = BlockSplit.sizeBytes(BlockSplit.sizeBytes(size, n, rb), channels, c);
                assertEquals(expectedBytes, phase.layout.sizeBytes(rb));
                if (phase.layout.sizeBytes(rb) > 0) {
                    assertEquals(t, phase.recvStep(p, recvs));
                    recvs++;
                }
                if (phase.layout.sizeBytes(phase.sendBlock(p, t)) > 0) {
                    assertEquals(t, phase.sendStep(p, sends));
                    sends++;
                }
            }
            assertEquals(recvs, phase.recvCount(p));
            assertEquals(sends, phase.sendCount(p));
        }
    }
}

package io.collemu.collectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.algo.Schedules;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verifier must catch broken schedules: a passing data test means nothing otherwise. */
class DataVerifierTest {

    /** A schedule whose ranks are altered by {@code change}. */
    private static Schedule mutate(Schedule s, UnaryOperator<RankSchedule> change) {
        return new Schedule() {
            @Override
            public CollectiveRequest request() {
                return s.request();
            }

            @Override
            public String algorithm() {
                return s.algorithm();
            }

            @Override
            public int ranks() {
                return s.ranks();
            }

            @Override
            public boolean inPlace() {
                return s.inPlace();
            }

            @Override
            public long inputBytes(int rank) {
                return s.inputBytes(rank);
            }

            @Override
            public long outputBytes(int rank) {
                return s.outputBytes(rank);
            }

            @Override
            public RankSchedule rank(int rank) {
                return change.apply(s.rank(rank));
            }

            @Override
            public long totalBytesSent() {
                return s.totalBytesSent();
            }
        };
    }

    /** Delegates everything; override what a mutation changes. */
    private static class Forwarding implements RankSchedule {
        final RankSchedule d;

        Forwarding(RankSchedule d) {
            this.d = d;
        }

        @Override
        public int opCount() {
            return d.opCount();
        }

        @Override
        public int streamCount() {
            return d.streamCount();
        }

        @Override
        public boolean isSend(int op) {
            return d.isSend(op);
        }

        @Override
        public int peer(int op) {
            return d.peer(op);
        }

        @Override
        public long offsetBytes(int op) {
            return d.offsetBytes(op);
        }

        @Override
        public long bytes(int op) {
            return d.bytes(op);
        }

        @Override
        public int stream(int op) {
            return d.stream(op);
        }

        @Override
        public boolean reduces(int op) {
            return d.reduces(op);
        }

        @Override
        public int matchOp(int op) {
            return d.matchOp(op);
        }

        @Override
        public int depCount(int op) {
            return d.depCount(op);
        }

        @Override
        public int dep(int op, int k) {
            return d.dep(op, k);
        }

        @Override
        public boolean depWhole(int op, int k) {
            return d.depWhole(op, k);
        }
    }

    private static boolean failsForSomeSeed(Schedule s) {
        for (long seed = 0; seed < 20; seed++) {
            for (long segment : new long[] {1, 3}) {
                try {
                    DataVerifier.verify(s, seed, segment);
                } catch (AssertionError | IllegalStateException e) {
                    assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
                    return true;
                }
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring", "tree", "halving-doubling", "hierarchical"})
    void shouldDetectAForwardThatDoesNotWaitForItsData(String algorithm) {
        Schedule good = Schedules.of(
                CollectiveRequest.of(CollectiveKind.ALL_REDUCE, algorithm, 61, 6, 2).withGpusPerServer(2));
        Schedule noDeps = mutate(good, rs -> new Forwarding(rs) {
            @Override
            public int depCount(int op) {
                return 0;
            }
        });
        assertTrue(failsForSomeSeed(noDeps), "dropping every dependency must be caught");
    }

    @Test
    void shouldDetectAForwardThatWaitsForTheWrongReceive() {
        Schedule good = Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 40, 4, 1));
        // one channel, receives in step order: the receive before the right one is the previous step's
        Schedule shifted = mutate(good, rs -> new Forwarding(rs) {
            @Override
            public int dep(int op, int k) {
                return Math.max(0, rs.dep(op, k) - 1);
            }
        });
        assertTrue(failsForSomeSeed(shifted));
    }

    @Test
    void shouldDetectACopyThatShouldHaveReduced() {
        Schedule good = Schedules.of(CollectiveRequest.of(CollectiveKind.REDUCE_SCATTER, "ring", 17, 3, 1));
        Schedule copying = mutate(good, rs -> new Forwarding(rs) {
            @Override
            public boolean reduces(int op) {
                return false;
            }
        });
        AssertionError e = assertThrows(AssertionError.class, () -> DataVerifier.verify(copying, 1, 4));
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
    }

    @Test
    void shouldDetectAMismatchedReceive() {
        Schedule good = Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_GATHER, "ring", 30, 4, 1));
        Schedule wrong = mutate(good, rs -> new Forwarding(rs) {
            @Override
            public int matchOp(int op) {
                return 0;
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DataVerifier.checkStructure(wrong));
        assertTrue(e.getMessage().contains("receive"), e.getMessage());
    }

    @Test
    void shouldDetectACyclicDependencyAsADeadlock() {
        Schedule good = Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 30, 3, 1));
        // every send waits for the last receive of its rank, which comes from a send that waits likewise
        Schedule cyclic = mutate(good, rs -> new Forwarding(rs) {
            @Override
            public int depCount(int op) {
                return 1;
            }

            @Override
            public int dep(int op, int k) {
                int last = -1;
                for (int i = 0; i < opCount(); i++) {
                    if (!isSend(i)) {
                        last = i;
                    }
                }
                return last;
            }

            @Override
            public boolean depWhole(int op, int k) {
                return true;
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DataVerifier.verify(cyclic, 1, 5));
        assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
    }

    @Test
    void shouldDetectAWrongTotalBytesSent() {
        Schedule good = Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_TO_ALL, "pairwise", 30, 4, 2));
        Schedule lying = new Schedule() {
            @Override
            public CollectiveRequest request() {
                return good.request();
            }

            @Override
            public String algorithm() {
                return good.algorithm();
            }

            @Override
            public int ranks() {
                return good.ranks();
            }

            @Override
            public boolean inPlace() {
                return good.inPlace();
            }

            @Override
            public long inputBytes(int rank) {
                return good.inputBytes(rank);
            }

            @Override
            public long outputBytes(int rank) {
                return good.outputBytes(rank);
            }

            @Override
            public RankSchedule rank(int rank) {
                return good.rank(rank);
            }

            @Override
            public long totalBytesSent() {
                return good.totalBytesSent() + 1;
            }
        };
        assertThrows(IllegalStateException.class, () -> DataVerifier.checkStructure(lying));
    }

    @Test
    void shouldCountBytesSentPerRank() {
        Schedule s = Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 400, 4, 1));
        long[] sent = DataVerifier.bytesSentPerRank(s);
        for (long b : sent) {
            assertEquals(600, b);
        }
    }
}

package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.DataVerifier;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deliberately broken NCCL schedules: the checkers must catch each one, or a passing data test means nothing. */
class NcclBrokenScheduleTest {

    private static final NcclLayout TWO_BY_FOUR = NcclLayout.consecutive(8, 4);

    /** A schedule whose rank views are replaced by {@code change(rank, original)}. */
    static Schedule mutate(Schedule s, BiFunction<Integer, RankSchedule, RankSchedule> change) {
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
                return change.apply(rank, s.rank(rank));
            }

            @Override
            public long totalBytesSent() {
                return s.totalBytesSent();
            }
        };
    }

    /** Delegates everything to a relay rank; override what a mutation changes. */
    static class Forwarding extends Plain implements RelayRankSchedule {
        Forwarding(RankSchedule d) {
            super(d);
        }

        @Override
        public boolean isRelayForward(int op) {
            return ((RelayRankSchedule) d).isRelayForward(op);
        }
    }

    private static boolean failsForSomeSeed(Schedule s) {
        for (long seed = 0; seed < 20; seed++) {
            for (long segment : new long[] {1, 3}) {
                try {
                    NcclDataLevelTest.verify(s, seed, segment);
                } catch (AssertionError | IllegalStateException e) {
                    assertTrue(!e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
                    return true;
                }
            }
        }
        return false;
    }

    private static Schedule pxn(long size, int channels) {
        return NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_TO_ALL, "auto", size, 8, channels),
                TWO_BY_FOUR);
    }

    @Test
    void shouldPassTheIntactRelayedAllToAll() {
        assertDoesNotThrow(() -> NcclRelayCheck.verify(pxn(8 * 11 + 5, 2), 3, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void shouldCatchARelayThatForwardsBeforeItsDataArrived(int channels) {
        Schedule noRelayDependency = mutate(pxn(8 * 11 + 5, channels), (r, rs) -> new Forwarding(rs) {
            @Override
            public int depCount(int op) {
                return isRelayForward(op) ? 0 : d.depCount(op);
            }
        });
        assertTrue(failsForSomeSeed(noRelayDependency), "a relay forward without its dependency must be caught");
    }

    @Test
    void shouldCatchARelayThatWaitsForTheWrongReceive() {
        Schedule wrongPiece = mutate(pxn(8 * 11 + 5, 2), (r, rs) -> new Forwarding(rs) {
            @Override
            public int dep(int op, int k) {
                // the previous receive: another job's piece, staged elsewhere
                return Math.max(0, d.dep(op, k) - 1);
            }
        });
        assertTrue(failsForSomeSeed(wrongPiece));
    }

    @Test
    void shouldCatchARelayThatForwardsFromItsInputBuffer() {
        Schedule readsInput = mutate(pxn(8 * 11 + 5, 1), (r, rs) -> new Forwarding(rs) {
            @Override
            public boolean isRelayForward(int op) {
                return false;
            }
        });
        assertTrue(failsForSomeSeed(readsInput));
    }

    @Test
    void shouldCatchASendToTheWrongRelay() {
        Schedule wrongRelay = mutate(pxn(8 * 11 + 5, 1), (r, rs) -> new Forwarding(rs) {
            @Override
            public int matchOp(int op) {
                return isRelayForward(op) ? d.matchOp(op) : d.matchOp(op) + 1;
            }
        });
        assertThrows(IllegalStateException.class, () -> NcclRelayCheck.verify(wrongRelay, 1, 4));
    }

    @Test
    void shouldBeRejectedByDataVerifierWhichHasNoRelayForwards() {
        // the execution contract lets only in-place schedules forward received bytes; PXN needs a staging area
        assertThrows(IllegalStateException.class, () -> DataVerifier.checkStructure(pxn(8 * 11 + 5, 2)));
    }

    @Test
    void shouldSatisfyDataVerifierWhenNoPairNeedsARelay() {
        for (NcclLayout layout : new NcclLayout[] {NcclLayout.consecutive(8, 8), NcclLayout.consecutive(6, 1)}) {
            Schedule s = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_TO_ALL, "auto", 101, layout.ranks(),
                    3), layout);
            assertDoesNotThrow(() -> DataVerifier.verify(s, 5, 2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring", "tree"})
    void shouldCatchAnAllReduceForwardThatDoesNotWaitForItsData(String algorithm) {
        Schedule good = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, algorithm, 61, 8, 2),
                TWO_BY_FOUR);
        Schedule noDeps = mutate(good, (r, rs) -> new Plain(rs) {
            @Override
            public int depCount(int op) {
                return 0;
            }
        });
        assertTrue(failsForSomeSeed(noDeps));
    }

    @Test
    void shouldCatchATreeRootThatBroadcastsBeforeOneChildReported() {
        Schedule good = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "tree", 61, 12, 1),
                NcclLayout.consecutive(12, 4));
        // the root of tree 0 is rank 0 (node 0's head for channel 0): drop the last of its child dependencies
        Schedule rootDropsAChild = mutate(good, (r, rs) -> r != 0 ? rs : new Plain(rs) {
            @Override
            public int depCount(int op) {
                int k = d.depCount(op);
                return k > 1 ? k - 1 : k;
            }
        });
        assertTrue(failsForSomeSeed(rootDropsAChild));
    }

    @Test
    void shouldCatchAChainForwardThatDoesNotWaitForItsData() {
        Schedule good = NcclSchedules.of(CollectiveRequest.of(CollectiveKind.BROADCAST, "ring", 61, 8, 2)
                .withRoot(3), TWO_BY_FOUR);
        Schedule noDeps = mutate(good, (r, rs) -> new Plain(rs) {
            @Override
            public int depCount(int op) {
                return 0;
            }
        });
        assertTrue(failsForSomeSeed(noDeps));
    }

    /** Delegates everything to any rank; override what a mutation changes. */
    static class Plain implements RankSchedule {
        final RankSchedule d;

        Plain(RankSchedule d) {
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
}

package io.collemu.collectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.algo.Schedules;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollectiveRequestTest {

    private static String oneLineError(Executable e, String mustMention) {
        CollectiveException ex = assertThrows(CollectiveException.class, e);
        assertFalse(ex.getMessage().contains("\n"), ex.getMessage());
        assertTrue(ex.getMessage().contains(mustMention), ex.getMessage() + " should mention " + mustMention);
        return ex.getMessage();
    }

    @ParameterizedTest
    @CsvSource({"all-reduce,ALL_REDUCE", "allreduce,ALL_REDUCE", "all_reduce,ALL_REDUCE", "ALL-REDUCE,ALL_REDUCE",
        "reduce-scatter,REDUCE_SCATTER", "all-gather,ALL_GATHER", "broadcast,BROADCAST", "reduce,REDUCE",
        "all-to-all,ALL_TO_ALL", "alltoallv,ALL_TO_ALL_V", "send-recv,SEND_RECV", "sendrecv,SEND_RECV"})
    void shouldParseKindNames(String name, CollectiveKind kind) {
        assertEquals(kind, CollectiveKind.fromName(name));
        assertEquals(kind, CollectiveKind.fromName(kind.cliName()));
    }

    @Test
    void shouldRejectAnUnknownKindInOneLine() {
        oneLineError(() -> CollectiveKind.fromName("allreduse"), "allreduse");
        oneLineError(() -> CollectiveKind.fromName(null), "unknown collective kind");
    }

    @Test
    void shouldGiveNcclTestsFactorsAndRedops() {
        assertEquals(2.0 * 7 / 8, CollectiveKind.ALL_REDUCE.busBwFactor(8));
        assertEquals(7.0 / 8, CollectiveKind.REDUCE_SCATTER.busBwFactor(8));
        assertEquals(7.0 / 8, CollectiveKind.ALL_GATHER.busBwFactor(8));
        assertEquals(7.0 / 8, CollectiveKind.ALL_TO_ALL.busBwFactor(8));
        assertEquals(7.0 / 8, CollectiveKind.ALL_TO_ALL_V.busBwFactor(8));
        assertEquals(1.0, CollectiveKind.BROADCAST.busBwFactor(8));
        assertEquals(1.0, CollectiveKind.REDUCE.busBwFactor(8));
        assertEquals(1.0, CollectiveKind.SEND_RECV.busBwFactor(8));
        assertEquals(0.0, CollectiveKind.ALL_REDUCE.busBwFactor(1));
        assertEquals("sum", CollectiveKind.ALL_REDUCE.ncclTestsRedop());
        assertEquals("sum", CollectiveKind.REDUCE_SCATTER.ncclTestsRedop());
        assertEquals("sum", CollectiveKind.REDUCE.ncclTestsRedop());
        assertEquals("none", CollectiveKind.ALL_GATHER.ncclTestsRedop());
        assertEquals("none", CollectiveKind.BROADCAST.ncclTestsRedop());
        assertEquals("none", CollectiveKind.ALL_TO_ALL.ncclTestsRedop());
        assertEquals(CollectiveKind.ALL_REDUCE.busBwFactor(8), AnalyticalCost.busBwFactor(CollectiveKind.ALL_REDUCE, 8));
    }

    @Test
    void shouldListAndResolveAlgorithms() {
        assertEquals(List.of("auto", "ring", "tree", "halving-doubling", "hierarchical"),
                Collectives.algorithms(CollectiveKind.ALL_REDUCE));
        for (CollectiveKind kind : CollectiveKind.values()) {
            assertEquals("auto", Collectives.algorithms(kind).get(0));
            String resolved = Collectives.resolveAlgorithm(CollectiveRequest.of(kind, "auto", 64, 4, 1));
            assertTrue(Collectives.algorithms(kind).contains(resolved));
            assertFalse(resolved.equals("auto"));
        }
        assertEquals("ring", Collectives.resolveAlgorithm(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "auto", 8, 4, 1)));
        assertEquals("pairwise", Collectives.resolveAlgorithm(CollectiveRequest.of(CollectiveKind.ALL_TO_ALL, "AUTO", 8, 4, 1)));
        Schedule s = Schedules.of(CollectiveRequest.of(CollectiveKind.ALL_GATHER, "auto", 8, 4, 1));
        assertEquals("ring", s.algorithm());
        assertEquals("ring", CollectiveRequest.of(CollectiveKind.ALL_REDUCE, " Ring", 8, 4, 1).algorithm());
    }

    @Test
    void shouldRejectBadRequestsInOneLineNamingTheField() {
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", -1, 4, 1), "sizeBytes");
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "bogus", 8, 4, 1), "bogus");
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.ALL_GATHER, "tree", 8, 4, 1), "all-gather");
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.ALL_REDUCE, null, 8, 4, 1), "algorithm");
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 8, 0, 1), "ranks");
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 8, 4, 0), "channels");
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 8, 4, 65), "channels");
        oneLineError(() -> CollectiveRequest.of(null, "ring", 8, 4, 1), "kind");
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.BROADCAST, "ring", 8, 4, 1).withRoot(4), "root");
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "hierarchical", 8, 12, 1)
                .withGpusPerServer(8), "gpusPerServer");
        oneLineError(() -> CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "hierarchical", 8, 12, 1)
                .withGpusPerServer(0), "gpusPerServer");
        oneLineError(() -> new CollectiveRequest(CollectiveKind.ALL_TO_ALL_V, "direct", 8, 2, 1, 0, 1, null, null),
                "pairBytes");
        oneLineError(() -> new CollectiveRequest(CollectiveKind.ALL_TO_ALL_V, "direct", 8, 2, 1, 0, 1,
                new long[3], null), "pairBytes");
        oneLineError(() -> new CollectiveRequest(CollectiveKind.ALL_TO_ALL_V, "direct", 8, 2, 1, 0, 1,
                new long[] {0, -1, 0, 0}, null), "pairBytes");
        oneLineError(() -> new CollectiveRequest(CollectiveKind.ALL_REDUCE, "ring", 8, 2, 1, 0, 1,
                new long[4], null), "pairBytes");
        oneLineError(() -> new CollectiveRequest(CollectiveKind.SEND_RECV, "direct", 8, 2, 1, 0, 1, null,
                new int[] {0, 0}), "pairs");
        oneLineError(() -> new CollectiveRequest(CollectiveKind.SEND_RECV, "direct", 8, 2, 1, 0, 1, null,
                new int[] {0, 2}), "pairs");
        oneLineError(() -> new CollectiveRequest(CollectiveKind.SEND_RECV, "direct", 8, 2, 1, 0, 1, null,
                new int[] {0}), "pairs");
        oneLineError(() -> new CollectiveRequest(CollectiveKind.SEND_RECV, "direct", 8, 2, 1, 0, 1, null, null),
                "pairs");
    }

    @Test
    void shouldBeImmutableAndCompareByValue() {
        long[] m = {0, 1, 2, 0};
        CollectiveRequest a = new CollectiveRequest(CollectiveKind.ALL_TO_ALL_V, "direct", 3, 2, 1, 0, 1, m, null);
        m[1] = 99;
        assertEquals(1, a.pairBytes(0, 1));
        a.pairBytes()[1] = 42;
        assertEquals(1, a.pairBytes(0, 1));
        CollectiveRequest b = new CollectiveRequest(CollectiveKind.ALL_TO_ALL_V, "DIRECT", 3, 2, 1, 0, 1,
                new long[] {0, 1, 2, 0}, null);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        CollectiveRequest chain = CollectiveRequest.of(CollectiveKind.SEND_RECV, "direct", 8, 4, 1);
        assertEquals(3, chain.pairCount());
        assertEquals(2, chain.pairSource(2));
        assertEquals(3, chain.pairDestination(2));
    }

    @Test
    void shouldSplitBlocksWithTheFirstRemainderBlocksOneByteLarger() {
        assertEquals(3, BlockSplit.sizeBytes(10, 4, 0));
        assertEquals(3, BlockSplit.sizeBytes(10, 4, 1));
        assertEquals(2, BlockSplit.sizeBytes(10, 4, 2));
        assertEquals(0, BlockSplit.offsetBytes(10, 4, 0));
        assertEquals(3, BlockSplit.offsetBytes(10, 4, 1));
        assertEquals(6, BlockSplit.offsetBytes(10, 4, 2));
        assertEquals(8, BlockSplit.offsetBytes(10, 4, 3));
        assertEquals(10, BlockSplit.offsetBytes(10, 4, 4));
        assertEquals(2, BlockSplit.nonEmptyParts(2, 5));
        assertEquals(5, BlockSplit.nonEmptyParts(7, 5));
    }
}

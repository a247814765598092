package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NcclLayoutTest {

    @Test
    void shouldPlaceConsecutiveRanksOnServersOfG() {
        NcclLayout layout = NcclLayout.consecutive(32, 8);
        assertEquals(32, layout.ranks());
        assertEquals(4, layout.nodes());
        assertEquals(8, layout.gpusPerNode());
        assertEquals(2, layout.nodeOf(21));
        assertEquals(5, layout.localOf(21));
        assertEquals(5, layout.slotOf(21));
        assertEquals(21, layout.rankAt(2, 5));
        assertTrue(layout.isUniform());
        assertTrue(layout.isRegular());
        assertEquals(8, layout.ringSearchChannels());
    }

    @Test
    void shouldOrderSlotsByLocalIndexForSparseServers() {
        // two servers holding GPUs {6, 2} and {2, 6}: slot 0 is local 2 on both, so the layout is regular
        NcclLayout layout = NcclLayout.of(new int[] {0, 0, 1, 1}, new int[] {6, 2, 6, 2});
        assertEquals(1, layout.rankAt(0, 0));
        assertEquals(0, layout.rankAt(0, 1));
        assertEquals(1, layout.slotOf(2));
        assertTrue(layout.isRegular());
        assertEquals(2, layout.gpusPerNode());
    }

    @Test
    void shouldAcceptUnevenServersButNotCallThemRegular() {
        NcclLayout partial = NcclLayout.consecutive(10, 4);
        assertEquals(3, partial.nodes());
        assertEquals(2, partial.nodeSize(2));
        assertFalse(partial.isUniform());
        assertFalse(partial.isRegular());
        NcclLayout differentRails = NcclLayout.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 2});
        assertTrue(differentRails.isUniform());
        assertFalse(differentRails.isRegular());
    }

    @ParameterizedTest
    @CsvSource({"1,2", "2,2", "3,6", "4,4", "6,6", "8,8"})
    void shouldPairRingSearchChannelsOverTheNics(int g, int search) {
        assertEquals(search, NcclLayout.consecutive(g, g).ringSearchChannels());
    }

    @Test
    void shouldRejectBrokenPlacementsWithOneLineNamingTheField() {
        assertMessage("localOfRank", () -> NcclLayout.of(new int[] {0, 0}, new int[] {1, 1}));
        assertMessage("nodeOfRank", () -> NcclLayout.of(new int[] {0, 2}, new int[] {0, 0}));
        assertMessage("nodeOfRank", () -> NcclLayout.of(new int[] {-1}, new int[] {0}));
        assertMessage("localOfRank", () -> NcclLayout.of(new int[] {0}, new int[] {-3}));
        assertMessage("localOfRank", () -> NcclLayout.of(new int[] {0, 0}, new int[] {0}));
        assertMessage("nodeOfRank", () -> NcclLayout.of(new int[0], new int[0]));
        assertMessage("nodeOfRank", () -> NcclLayout.of(null, new int[0]));
        assertMessage("gpusPerNode", () -> NcclLayout.consecutive(8, 0));
        assertMessage("ranks", () -> NcclLayout.consecutive(0, 8));
    }

    @Test
    void shouldCopyTheArraysItIsGiven() {
        int[] node = {0, 1};
        int[] local = {0, 0};
        NcclLayout layout = NcclLayout.of(node, local);
        node[1] = 0;
        assertEquals(1, layout.nodeOf(1));
    }

    @Test
    void shouldRejectALayoutOfAnotherSizeOrAnAlgorithmNcclDoesNotRun() {
        NcclLayout layout = NcclLayout.consecutive(8, 4);
        assertMessage("layout has 8 ranks", () -> NcclSchedules.of(
                CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "ring", 64, 16, 1), layout));
        assertMessage("halving-doubling", () -> NcclSchedules.of(
                CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "halving-doubling", 64, 8, 1), layout));
        assertMessage("pairwise", () -> NcclSchedules.of(
                CollectiveRequest.of(CollectiveKind.ALL_TO_ALL, "pairwise", 64, 8, 1), layout));
        assertMessage("tree", () -> NcclSchedules.of(
                CollectiveRequest.of(CollectiveKind.BROADCAST, "tree", 64, 8, 1), layout));
        assertMessage("same local indices", () -> NcclSchedules.of(
                CollectiveRequest.of(CollectiveKind.ALL_TO_ALL, "auto", 64, 10, 1), NcclLayout.consecutive(10, 4)));
    }

    @Test
    void shouldNameTheAlgorithmsItRuns() {
        NcclLayout layout = NcclLayout.consecutive(8, 4);
        assertEquals("ring", NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "auto", 64, 8, 2),
                layout).algorithm());
        assertEquals("tree", NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "tree", 64, 8, 2),
                layout).algorithm());
        assertEquals("ring", NcclSchedules.of(CollectiveRequest.of(CollectiveKind.REDUCE, "auto", 64, 8, 2),
                layout).algorithm());
        assertEquals("pxn", NcclSchedules.of(CollectiveRequest.of(CollectiveKind.ALL_TO_ALL, "direct", 64, 8, 2),
                layout).algorithm());
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        CollectiveException e = assertThrows(CollectiveException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}

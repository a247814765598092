package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ncclGetBtree / ncclGetDtree verbatim, and the per-channel trees NCCL connects on H100 servers. */
class NcclTreeTest {

    @Test
    void shouldBuildTheTreeOfNcclsIllustrationForFourteenRanks() {
        // trees.cc:19-30: 0 -> 8; 8 -> 4, 12; 4 -> 2, 6; 12 -> 10, 13; 2 -> 1, 3; 6 -> 5, 7; 10 -> 9, 11
        int[] parent = {-1, 2, 4, 2, 8, 6, 4, 6, 0, 10, 12, 10, 8, 12};
        for (int r = 0; r < 14; r++) {
            assertEquals(parent[r], NcclTree.btree(14, r)[0], "parent of " + r);
        }
        assertArrayEquals(new int[] {-1, -1, 8, 0}, NcclTree.btree(14, 0));
        assertArrayEquals(new int[] {8, 10, 13, 1}, NcclTree.btree(14, 12));
        assertArrayEquals(new int[] {12, -1, -1, 1}, NcclTree.btree(14, 13));
        assertArrayEquals(new int[] {2, -1, -1, 0}, NcclTree.btree(14, 1));
    }

    @Test
    void shouldMirrorForEvenAndShiftForOddNodeCounts() {
        // trees.cc:70-88 illustrations: mirror of 12 ranks has root 11 -> 3; shift of 13 has root 1 -> 9
        assertEquals(-1, NcclTree.dtree(12, 1, 11)[0]);
        assertEquals(3, NcclTree.dtree(12, 1, 11)[2]);
        assertEquals(-1, NcclTree.dtree(13, 1, 1)[0]);
        assertEquals(9, NcclTree.dtree(13, 1, 1)[2]);
        assertEquals(9, NcclTree.dtree(13, 1, 0)[0], "0 hangs below 9 in the shifted tree");
        // two nodes: tree 0 rooted at node 0, tree 1 at node 1
        assertArrayEquals(new int[] {-1, -1, 1}, java.util.Arrays.copyOf(NcclTree.dtree(2, 0, 0), 3));
        assertArrayEquals(new int[] {-1, -1, 0}, java.util.Arrays.copyOf(NcclTree.dtree(2, 1, 1), 3));
    }

    @Test
    void shouldBuildTwoSpanningTreesWithConsistentLinksForEveryNodeCount() {
        for (int n = 1; n <= 300; n++) {
            for (int tree = 0; tree < 2; tree++) {
                int roots = 0;
                for (int r = 0; r < n; r++) {
                    int[] node = NcclTree.dtree(n, tree, r);
                    if (node[0] < 0) {
                        roots++;
                    } else {
                        int[] p = NcclTree.dtree(n, tree, node[0]);
                        assertTrue(p[1] == r || p[2] == r, "n=" + n + " tree " + tree + " rank " + r);
                        assertEquals(p[1] == r ? 0 : 1, node[3], "parentChildType, n=" + n + " rank " + r);
                    }
                    for (int i = 1; i <= 2; i++) {
                        if (node[i] >= 0) {
                            assertEquals(r, NcclTree.dtree(n, tree, node[i])[0]);
                        }
                    }
                    int x = r;
                    for (int hops = 0; NcclTree.dtree(n, tree, x)[0] >= 0; hops++) {
                        assertTrue(hops < n, "cycle at n=" + n);
                        x = NcclTree.dtree(n, tree, x)[0];
                    }
                }
                assertEquals(1, roots, "n=" + n + " tree " + tree);
            }
        }
    }

    /** NCCL prints {@code Trees [c] down0/down1/down2->rank->up}; these lines are from nccl-tests#319 (2 x 8 H100). */
    @ParameterizedTest
    @CsvSource({"5,0,6/-1/-1->5->4", "5,5,6/13/-1->5->-1", "5,6,-1/-1/-1->5->4", "5,13,6/-1/-1->5->13",
            "5,15,6/-1/-1->5->4", "8,0,9/-1/-1->8->0", "8,1,-1/-1/-1->8->15"})
    void shouldConnectTheTreesNcclLogsOnTwoServersOfEightGpus(int rank, int channel, String expected) {
        NcclTree tree = new NcclTree(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "tree", 1 << 20, 16, 16),
                NcclLayout.consecutive(16, 8));
        int[] t = tree.neighbours(rank, channel);
        assertEquals(expected, t[1] + "/" + t[2] + "/" + t[3] + "->" + rank + "->" + t[0]);
    }

    @Test
    void shouldUseTreeZeroForTheFirstHalfOfTheChannelsAndTreeOneForTheRest() {
        assertEquals(0, NcclTree.treeOf(0, 1));
        assertEquals(0, NcclTree.treeOf(0, 2));
        assertEquals(1, NcclTree.treeOf(1, 2));
        assertEquals(0, NcclTree.treeOf(7, 16));
        assertEquals(1, NcclTree.treeOf(8, 16));
        assertEquals(3, NcclTree.searchChannelOf(3, 16));
        assertEquals(3, NcclTree.searchChannelOf(11, 16));
    }

    @Test
    void shouldChainEverySingleServerChannelFromItsNicsGpu() {
        NcclTree tree = new NcclTree(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "tree", 1 << 20, 8, 4),
                NcclLayout.consecutive(8, 8));
        // 4 channels: 0, 1 on tree 0 with heads 0, 1; 2, 3 on tree 1 with heads 0, 1; chain head, head+1, ...
        assertArrayEquals(new int[] {-1, 1, -1, -1}, tree.neighbours(0, 0));
        assertArrayEquals(new int[] {0, 2, -1, -1}, tree.neighbours(1, 0));
        assertArrayEquals(new int[] {6, -1, -1, -1}, tree.neighbours(7, 0));
        assertArrayEquals(new int[] {-1, 2, -1, -1}, tree.neighbours(1, 1));
        assertArrayEquals(new int[] {7, -1, -1, -1}, tree.neighbours(0, 1));
        assertArrayEquals(new int[] {-1, 1, -1, -1}, tree.neighbours(0, 2));
    }

    @Test
    void shouldHangChildServersBelowTheHeadOfEachServer() {
        // 3 servers of 4: tree 0 is 0 -> 2 -> 1 over servers; channel 1's head is slot 1
        NcclTree tree = new NcclTree(CollectiveRequest.of(CollectiveKind.ALL_REDUCE, "tree", 1 << 20, 12, 4),
                NcclLayout.consecutive(12, 4));
        assertArrayEquals(new int[] {-1, 2, 9, -1}, tree.neighbours(1, 1));
        assertArrayEquals(new int[] {1, 10, 5, -1}, tree.neighbours(9, 1));
        assertArrayEquals(new int[] {9, 6, -1, -1}, tree.neighbours(5, 1));
        assertArrayEquals(new int[] {7, -1, -1, -1}, tree.neighbours(4, 1));
    }
}

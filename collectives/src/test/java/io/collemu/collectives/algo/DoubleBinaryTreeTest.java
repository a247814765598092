package io.collemu.collectives.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DoubleBinaryTreeTest {

    @Test
    void shouldBuildTwoSpanningTreesWithConsistentLinks() {
        for (int n = 1; n <= 300; n++) {
            for (int tree = 0; tree < 2; tree++) {
                int roots = 0;
                for (int r = 0; r < n; r++) {
                    int[] node = DoubleBinaryTree.node(n, tree, r);
                    if (node[0] < 0) {
                        roots++;
                    } else {
                        int[] parent = DoubleBinaryTree.node(n, tree, node[0]);
                        assertTrue(parent[1] == r || parent[2] == r, "n=" + n + " tree " + tree + " rank " + r);
                    }
                    for (int i = 1; i <= 2; i++) {
                        if (node[i] >= 0) {
                            assertEquals(r, DoubleBinaryTree.node(n, tree, node[i])[0]);
                        }
                    }
                    // reaches the root within n hops (no cycle)
                    int x = r;
                    for (int hops = 0; DoubleBinaryTree.node(n, tree, x)[0] >= 0; hops++) {
                        assertTrue(hops < n);
                        x = DoubleBinaryTree.node(n, tree, x)[0];
                    }
                }
                assertEquals(1, roots, "n=" + n + " tree " + tree);
            }
        }
    }

    @Test
    void shouldMatchNcclsPictureFor14Ranks() {
        // trees.cc: 0 -> 8; 8 -> 4, 12; 12 -> 10, 13; 4 -> 2, 6
        assertEquals(8, DoubleBinaryTree.node(14, 0, 0)[2]);
        assertEquals(4, DoubleBinaryTree.node(14, 0, 8)[1]);
        assertEquals(12, DoubleBinaryTree.node(14, 0, 8)[2]);
        assertEquals(10, DoubleBinaryTree.node(14, 0, 12)[1]);
        assertEquals(13, DoubleBinaryTree.node(14, 0, 12)[2]);
        assertEquals(12, DoubleBinaryTree.node(14, 0, 13)[0]);
        // even n: the second tree is the mirror, rooted at n-1
        assertEquals(-1, DoubleBinaryTree.node(14, 1, 13)[0]);
        // odd n: the second tree is shifted by one, rooted at 1
        assertEquals(-1, DoubleBinaryTree.node(13, 1, 1)[0]);
    }

    @Test
    void shouldMakeEveryRankALeafInAtLeastOneTreeForEvenN() {
        for (int n = 2; n <= 64; n += 2) {
            for (int r = 0; r < n; r++) {
                int[] a = DoubleBinaryTree.node(n, 0, r);
                int[] b = DoubleBinaryTree.node(n, 1, r);
                boolean leafA = a[1] < 0 && a[2] < 0;
                boolean leafB = b[1] < 0 && b[2] < 0;
                assertTrue(leafA || leafB || r == 0 || r == n - 1, "n=" + n + " rank " + r);
            }
        }
    }

    @Test
    void shouldHaveDepthCeilLog2() {
        for (int n = 2; n <= 300; n++) {
            assertEquals(32 - Integer.numberOfLeadingZeros(n - 1), DoubleBinaryTree.depth(n), "n=" + n);
        }
    }
}

package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveRequest;

/**
 * NCCL's double binary tree all-reduce (src/graph/trees.cc): tree 0 is the bit-trick binary tree rooted at 0
 * (leaves and interior nodes alternate), tree 1 is its mirror ({@code n-1-r}) for even n or its shift by one
 * for odd n, so most ranks are a leaf in one tree and interior in the other. Each channel range is halved;
 * tree t carries half t: children's data is reduced up to the root, then the sum is broadcast down.
 *
 * <p>Streams per channel c: {@code 6c + 3t} for tree t's reduce-up sends, {@code 6c + 3t + 1 + i} for its
 * broadcast-down sends to child i; so a node forwards chunk k down while chunk k+1 still reduces, and its two
 * children are fed concurrently. All dependencies are byte-overlap (segment pipelining).
 */
final class DoubleBinaryTree implements MaterializedSchedule.Generator {

    private static final int UP = 0;
    private static final int DOWN = 1;

    private final int n;
    private final int channels;
    private final long sizeBytes;

    DoubleBinaryTree(CollectiveRequest request) {
        this.n = request.ranks();
        this.channels = request.channels();
        this.sizeBytes = request.sizeBytes();
    }

    /** @return {parent, child0, child1} of {@code rank} in NCCL's binary tree over {@code n} ranks, -1 for none */
    static int[] btree(int n, int rank) {
        int bit = 1;
        while (bit < n && (bit & rank) == 0) {
            bit <<= 1;
        }
        if (rank == 0) {
            return new int[] {-1, -1, n > 1 ? bit >> 1 : -1};
        }
        int up = (rank ^ bit) | (bit << 1);
        if (up >= n) {
            up = rank ^ bit;
        }
        int lowbit = bit >> 1;
        int down0 = lowbit == 0 ? -1 : rank - lowbit;
        int down1 = rank + lowbit;
        while (lowbit > 0 && down1 >= n) {
            lowbit >>= 1;
            down1 = rank + lowbit;
        }
        return new int[] {up, down0, lowbit == 0 ? -1 : down1};
    }

    /** @return {parent, child0, child1} of {@code rank} in tree {@code tree} (0 or 1) of the double tree */
    static int[] node(int n, int tree, int rank) {
        if (tree == 0) {
            return btree(n, rank);
        }
        int[] t = n % 2 == 1 ? btree(n, (rank - 1 + n) % n) : btree(n, n - 1 - rank);
        for (int i = 0; i < 3; i++) {
            if (t[i] >= 0) {
                t[i] = n % 2 == 1 ? (t[i] + 1) % n : n - 1 - t[i];
            }
        }
        return t;
    }

    /** @return depth (edges from root to the deepest leaf) of the deeper of the two trees */
    static int depth(int n) {
        int deepest = 0;
        for (int tree = 0; tree < 2; tree++) {
            for (int r = 0; r < n; r++) {
                int d = 0;
                for (int x = r; node(n, tree, x)[0] >= 0; x = node(n, tree, x)[0]) {
                    d++;
                }
                deepest = Math.max(deepest, d);
            }
        }
        return deepest;
    }

    @Override
    public void emit(int rank, OpList ops) {
        for (int c = 0; c < channels; c++) {
            long chOff = BlockSplit.offsetBytes(sizeBytes, channels, c);
            long chLen = BlockSplit.sizeBytes(sizeBytes, channels, c);
            for (int tree = 0; tree < 2; tree++) {
                long off = chOff + BlockSplit.offsetBytes(chLen, 2, tree);
                long len = BlockSplit.sizeBytes(chLen, 2, tree);
                emitTree(rank, ops, c, tree, off, len);
            }
        }
    }

    private void emitTree(int rank, OpList ops, int c, int tree, long off, long len) {
        int stream = 6 * c + 3 * tree;
        long upTag = ((long) c * 2 + tree) * 2 + UP;
        long downTag = ((long) c * 2 + tree) * 2 + DOWN;
        int[] me = node(n, tree, rank);
        int parent = me[0];
        int fromChild0 = me[1] >= 0 ? ops.recv(me[1], upTag, off, len, stream, true) : -1;
        int fromChild1 = me[2] >= 0 ? ops.recv(me[2], upTag, off, len, stream, true) : -1;
        int fromParent = -1;
        if (parent >= 0) {
            ops.send(parent, upTag, off, len, stream, false, fromChild0, fromChild1);
            int[] p = node(n, tree, parent);
            int childIndex = p[1] == rank ? 0 : 1;
            fromParent = ops.recv(parent, downTag, off, len, stream + 1 + childIndex, false);
        }
        for (int i = 0; i < 2; i++) {
            int child = me[1 + i];
            if (child < 0) {
                continue;
            }
            if (parent >= 0) {
                ops.send(child, downTag, off, len, stream + 1 + i, false, fromParent);
            } else {
                ops.send(child, downTag, off, len, stream + 1 + i, false, fromChild0, fromChild1);
            }
        }
    }
}

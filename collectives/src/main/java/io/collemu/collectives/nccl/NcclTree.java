package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveRequest;

/**
 * NCCL's tree all-reduce: a double binary tree across nodes with an intra-node chain per channel
 * (NVIDIA/nccl v2.30.7-1).
 * <ul>
 *   <li>Across nodes: {@link #btree} and {@link #dtree} are ncclGetBtree / ncclGetDtree of
 *   src/graph/trees.cc:32-67 and 90-112, verbatim, over node indices.</li>
 *   <li>Channels: with C channels, channels {@code 0 .. C/2-1} use tree 0 and {@code C/2 .. C-1} tree 1 (one
 *   channel: tree 0); connectTrees gives channel c tree 0 and its duplicate c + nChannels tree 1
 *   (connect.cc:138-176, before the x2 of connect.cc:460). Channel c is tree search channel
 *   {@code s = c} (tree 0) or {@code c - C/2} (tree 1).</li>
 *   <li>Inside node i (pattern TREE, what H100 with one NIC per GPU gets, search.cc:1215-1219): the chain
 *   starts at slot {@code h = s mod g} (the GPU next to NIC s) and runs h, h+1, ..., h-1 (search.cc:253-326:
 *   the TREE pattern tries only the next GPU). ncclTopoPreset sets {@code up = treeIntra[i-1]},
 *   {@code down[0] = treeIntra[i+1]} and treeToParent = treeToChild0 = treeToChild1 = treeIntra[0]
 *   (connect.cc:42-63): the chain head talks to the parent node's head and to both child nodes' heads.</li>
 *   <li>Per channel a rank receives (adding) from each child, sends the partial sum to its parent in stream
 *   4c (overlap dependencies on every child receive), receives the result from its parent and forwards it to
 *   each child i in stream 4c+1+i (overlap dependency on that receive); the root forwards its sum down.
 *   Reduce-up and broadcast-down run concurrently, chunk by chunk, as runTreeSplit does
 *   (src/device/all_reduce.h:146-226).</li>
 * </ul>
 * Single node: the chain alone. Each channel moves its range up and down once: 2(n-1) x S bytes in all.
 *
 * <p>Immutable; thread-safe.
 */
final class NcclTree implements TableSchedule.Generator {

    static final int STREAMS_PER_CHANNEL = 4;
    private static final int UP = 0;
    private static final int DOWN = 1;

    private final NcclLayout layout;
    private final int channels;
    private final long sizeBytes;

    NcclTree(CollectiveRequest request, NcclLayout layout) {
        this.layout = layout;
        this.channels = request.channels();
        this.sizeBytes = request.sizeBytes();
    }

    /**
     * ncclGetBtree (trees.cc:32-67), verbatim: the binary tree rooted at 0 whose leaves and interior nodes
     * alternate.
     *
     * @return {parent, child0, child1, parentChildType}; -1 for none; parentChildType is 0 for rank 0 (which
     *     NCCL leaves untouched, its callers initialise it to 0)
     */
    static int[] btree(int nranks, int rank) {
        int bit;
        for (bit = 1; bit < nranks; bit <<= 1) {
            if ((bit & rank) != 0) {
                break;
            }
        }
        if (rank == 0) {
            return new int[] {-1, -1, nranks > 1 ? bit >> 1 : -1, 0};
        }
        int up = (rank ^ bit) | (bit << 1);
        if (up >= nranks) {
            up = rank ^ bit;
        }
        int parentChildType = rank < up ? 0 : 1;
        int lowbit = bit >> 1;
        int down0 = lowbit == 0 ? -1 : rank - lowbit;
        int down1 = lowbit == 0 ? -1 : rank + lowbit;
        while (down1 >= nranks) {
            down1 = lowbit == 0 ? -1 : rank + lowbit;
            lowbit >>= 1;
        }
        return new int[] {up, down0, down1, parentChildType};
    }

    /**
     * ncclGetDtree (trees.cc:90-112), verbatim: tree 0 is {@link #btree}; tree 1 mirrors it ({@code n-1-r}) for
     * an even count and shifts it by one for an odd count.
     *
     * @return {parent, child0, child1, parentChildType} of {@code rank} in tree {@code tree} (0 or 1)
     */
    static int[] dtree(int nranks, int tree, int rank) {
        if (tree == 0) {
            return btree(nranks, rank);
        }
        int[] t;
        if (nranks % 2 == 1) {
            t = btree(nranks, (rank - 1 + nranks) % nranks);
            for (int i = 0; i < 3; i++) {
                t[i] = t[i] == -1 ? -1 : (t[i] + 1) % nranks;
            }
        } else {
            t = btree(nranks, nranks - 1 - rank);
            for (int i = 0; i < 3; i++) {
                t[i] = t[i] == -1 ? -1 : nranks - 1 - t[i];
            }
        }
        return t;
    }

    /** @return the tree (0 or 1) of channel {@code c} of {@code channels} */
    static int treeOf(int c, int channels) {
        return channels == 1 || c < channels / 2 ? 0 : 1;
    }

    /** @return the tree search channel of channel {@code c}: its NIC and chain head are slot s mod g */
    static int searchChannelOf(int c, int channels) {
        return treeOf(c, channels) == 0 ? c : c - channels / 2;
    }

    /**
     * Neighbours of {@code rank} in channel {@code c}.
     *
     * @return {parent, child0, child1, child2}: parent -1 at the root; children are the chain successor and then
     *     the heads of child nodes 0 and 1 (NCCL's {@code tree.down[]} order, setTreeDown fills the first free
     *     slot, connect.cc:126-136), -1 where absent
     */
    int[] neighbours(int rank, int c) {
        int node = layout.nodeOf(rank);
        int g = layout.nodeSize(node);
        int head = searchChannelOf(c, channels) % g;
        int j = Math.floorMod(layout.slotOf(rank) - head, g);
        int[] nodeTree = dtree(layout.nodes(), treeOf(c, channels), node);
        int[] result = {-1, -1, -1, -1};
        int k = 1;
        if (j + 1 < g) {
            result[k++] = layout.rankAt(node, (head + j + 1) % g);
        }
        if (j > 0) {
            result[0] = layout.rankAt(node, (head + j - 1) % g);
            return result;
        }
        result[0] = nodeTree[0] < 0 ? -1 : headOf(nodeTree[0], c);
        for (int i = 1; i <= 2; i++) {
            if (nodeTree[i] >= 0) {
                result[k++] = headOf(nodeTree[i], c);
            }
        }
        return result;
    }

    private int headOf(int node, int c) {
        return layout.rankAt(node, searchChannelOf(c, channels) % layout.nodeSize(node));
    }

    @Override
    public void emit(int rank, OpTable ops) {
        for (int c = 0; c < channels; c++) {
            long off = BlockSplit.offsetBytes(sizeBytes, channels, c);
            long len = BlockSplit.sizeBytes(sizeBytes, channels, c);
            if (len > 0) {
                emitChannel(rank, c, off, len, ops);
            }
        }
    }

    private void emitChannel(int rank, int c, long off, long len, OpTable ops) {
        int upStream = STREAMS_PER_CHANNEL * c;
        long upTag = 2L * c + UP;
        long downTag = 2L * c + DOWN;
        int[] me = neighbours(rank, c);
        int parent = me[0];
        int[] fromChild = new int[3];
        for (int i = 0; i < 3; i++) {
            fromChild[i] = me[1 + i] < 0 ? -1 : ops.recv(me[1 + i], upTag, off, len, upStream, true);
        }
        int fromParent = -1;
        if (parent >= 0) {
            ops.send(parent, upTag, off, len, upStream, fromChild);
            int childIndex = childIndex(neighbours(parent, c), rank);
            fromParent = ops.recv(parent, downTag, off, len, upStream + 1 + childIndex, false);
        }
        for (int i = 0; i < 3; i++) {
            if (me[1 + i] >= 0) {
                int[] deps = parent >= 0 ? new int[] {fromParent} : fromChild;
                ops.send(me[1 + i], downTag, off, len, upStream + 1 + i, deps);
            }
        }
    }

    private static int childIndex(int[] parentNeighbours, int rank) {
        for (int i = 0; i < 3; i++) {
            if (parentNeighbours[1 + i] == rank) {
                return i;
            }
        }
        throw new IllegalStateException("rank " + rank + " is not a child of its parent");
    }
}

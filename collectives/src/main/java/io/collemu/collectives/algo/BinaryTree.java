package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;

/**
 * Pipelined binary-tree broadcast and reduce over ranks relabelled {@code v = (rank - root) mod n}: node v has
 * children 2v+1 and 2v+2 (depth floor(log2 n)). Broadcast: receive from the parent, forward to each child in
 * its own stream ({@code 2c + i}) so both children are fed at once. Reduce: receive (add) from the children,
 * then send to the parent in stream {@code 2c}. Byte-overlap dependencies pipeline segments down/up the tree.
 * After a reduce only the root's buffer is defined.
 */
final class BinaryTree implements MaterializedSchedule.Generator {

    private final int n;
    private final int channels;
    private final long sizeBytes;
    private final int root;
    private final boolean reduce;

    BinaryTree(CollectiveRequest request) {
        this.n = request.ranks();
        this.channels = request.channels();
        this.sizeBytes = request.sizeBytes();
        this.root = request.root();
        this.reduce = request.kind() == CollectiveKind.REDUCE;
    }

    private int rankOf(int v) {
        return (v + root) % n;
    }

    @Override
    public void emit(int rank, OpList ops) {
        int v = Math.floorMod(rank - root, n);
        for (int c = 0; c < channels; c++) {
            long off = BlockSplit.offsetBytes(sizeBytes, channels, c);
            long len = BlockSplit.sizeBytes(sizeBytes, channels, c);
            int[] received = new int[2];
            if (reduce) {
                for (int i = 0; i < 2; i++) {
                    int child = 2 * v + 1 + i;
                    received[i] = child < n ? ops.recv(rankOf(child), c, off, len, 2 * c, true) : -1;
                }
                if (v > 0) {
                    ops.send(rankOf((v - 1) / 2), c, off, len, 2 * c, false, received);
                }
            } else {
                int fromParent = v > 0 ? ops.recv(rankOf((v - 1) / 2), c, off, len, 2 * c + (v - 1) % 2, false) : -1;
                for (int i = 0; i < 2; i++) {
                    int child = 2 * v + 1 + i;
                    if (child < n) {
                        ops.send(rankOf(child), c, off, len, 2 * c + i, false, fromParent);
                    }
                }
            }
        }
    }
}

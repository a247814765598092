package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;

/**
 * NCCL's ring broadcast and reduce: a pipelined chain through all ranks. Broadcast starts at the root and
 * visits {@code root+d, root+2d, ...}; reduce starts at {@code root+d} and ends at the root, each rank adding
 * its buffer before forwarding. Channel c (its own stream) carries channel range c with d = +1 for even c and
 * -1 for odd c. Forwarding depends on the receive by byte overlap, so segments stream through the chain.
 * After a reduce only the root's buffer is defined (the others hold partial sums).
 */
final class Chain implements MaterializedSchedule.Generator {

    private final int n;
    private final int channels;
    private final long sizeBytes;
    private final int root;
    private final boolean reduce;

    Chain(CollectiveRequest request) {
        this.n = request.ranks();
        this.channels = request.channels();
        this.sizeBytes = request.sizeBytes();
        this.root = request.root();
        this.reduce = request.kind() == CollectiveKind.REDUCE;
    }

    @Override
    public void emit(int rank, OpList ops) {
        for (int c = 0; c < channels; c++) {
            int d = RingSchedule.direction(c);
            long off = BlockSplit.offsetBytes(sizeBytes, channels, c);
            long len = BlockSplit.sizeBytes(sizeBytes, channels, c);
            // distance from the root along the channel's direction; a reduce chain starts one past the root
            int hop = Math.floorMod(d * (rank - root), n);
            int position = reduce ? (hop + n - 1) % n : hop;
            int shift = reduce ? 1 : 0;
            int received = -1;
            if (position > 0) {
                int from = Math.floorMod(root + d * (position - 1 + shift), n);
                received = ops.recv(from, c, off, len, c, reduce);
            }
            if (position < n - 1) {
                int to = Math.floorMod(root + d * (position + 1 + shift), n);
                ops.send(to, c, off, len, c, false, received);
            }
        }
    }
}

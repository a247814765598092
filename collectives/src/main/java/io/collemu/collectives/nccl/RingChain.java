package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;

/**
 * NCCL's ring broadcast and reduce on its channel layout: channel c is a pipelined chain along the
 * {@link RingOrder} of search channel {@code c mod S}, carrying channel range c of the buffer in stream c.
 * Broadcast starts at the root and follows the ring; reduce starts at the root's ring successor and ends at the
 * root, each rank adding its buffer before forwarding (NVIDIA/nccl v2.30.7-1 src/device/broadcast.h and
 * reduce.h: {@code rank == root} sends, the rank whose {@code prev} is the root starts a reduce). Forwarding
 * depends on the receive by byte overlap. After a reduce only the root's buffer is defined.
 *
 * <p>Immutable; thread-safe.
 */
final class RingChain implements TableSchedule.Generator {

    private final int n;
    private final long sizeBytes;
    private final int root;
    private final boolean reduce;
    private final RingOrder[] orders;

    RingChain(CollectiveRequest request, NcclLayout layout) {
        this.n = request.ranks();
        this.sizeBytes = request.sizeBytes();
        this.root = request.root();
        this.reduce = request.kind() == CollectiveKind.REDUCE;
        int search = layout.ringSearchChannels();
        orders = new RingOrder[request.channels()];
        for (int c = 0; c < orders.length; c++) {
            orders[c] = new RingOrder(layout, c % search);
        }
    }

    @Override
    public void emit(int rank, OpTable ops) {
        int channels = orders.length;
        for (int c = 0; c < channels; c++) {
            long off = BlockSplit.offsetBytes(sizeBytes, channels, c);
            long len = BlockSplit.sizeBytes(sizeBytes, channels, c);
            RingOrder order = orders[c];
            int position = order.positionOf(rank);
            int rootPosition = order.positionOf(root);
            // hop 0 is the chain's first rank: the root for broadcast, the root's successor for reduce
            int hop = Math.floorMod(position - rootPosition - (reduce ? 1 : 0), n);
            int received = -1;
            if (hop > 0) {
                received = ops.recv(order.rankAt(position - 1), c, off, len, c, reduce);
            }
            if (hop < n - 1) {
                ops.send(order.rankAt(position + 1), c, off, len, c, received);
            }
        }
    }
}

package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;

/**
 * NCCL's ring all-reduce, reduce-scatter and all-gather on its channel layout: channel c runs a
 * {@link RingChannel} over the {@link RingOrder} of search channel {@code c mod S} and carries piece c of every
 * rank's block ({@link BlockSplit}, block first), one stream per channel. Reduce-scatter leaves rank r with
 * block r; all-gather takes rank r's block from its offset (in place, as nccl's in-place calls).
 *
 * <p>Op layout of a rank: all receives (channel by channel, in step order), then all sends (same order).
 * Memory: a rank view holds three int arrays of about C; the schedule holds C channels (plus n+1 ints for the one
 * channel of a tiny buffer whose blocks are partly empty).
 *
 * <p>Immutable; thread-safe.
 */
final class NcclRingSchedule implements Schedule {

    private final CollectiveRequest request;
    private final RingChannel[] channels;
    private final long totalBytesSent;
    // receives of channels [0, i) at every rank, leaving out the one channel whose count varies by rank
    private final int[] sharedRecvBase;
    private final int varyingChannel;

    private NcclRingSchedule(CollectiveRequest request, RingChannel[] channels, long totalBytesSent) {
        this.request = request;
        this.channels = channels;
        this.totalBytesSent = totalBytesSent;
        this.sharedRecvBase = new int[channels.length + 1];
        int varying = -1;
        for (int i = 0; i < channels.length; i++) {
            boolean same = channels[i].sameCountEverywhere();
            if (!same && varying >= 0) {
                // PieceOfBlock: only piece c == S / n can be partly empty
                throw new IllegalStateException("two ring channels with partly empty blocks");
            }
            varying = same ? varying : i;
            sharedRecvBase[i + 1] = sharedRecvBase[i] + (same ? channels[i].recvCount(0) : 0);
        }
        this.varyingChannel = varying;
    }

    /** @return index of {@code rank}'s first receive of channel {@code i}: O(1), at most one channel varies */
    private int recvBaseOf(int rank, int i) {
        int base = sharedRecvBase[i];
        if (varyingChannel >= 0 && varyingChannel < i) {
            RingChannel v = channels[varyingChannel];
            base += v.recvCount(v.order.positionOf(rank));
        }
        return base;
    }

    /** @return the ring schedule of an all-reduce, reduce-scatter or all-gather on {@code layout} */
    static NcclRingSchedule create(CollectiveRequest request, NcclLayout layout) {
        int n = request.ranks();
        long size = request.sizeBytes();
        int from;
        int to;
        long total;
        switch (request.kind()) {
            case ALL_REDUCE -> {
                from = 0;
                to = 2 * n - 2;
                total = 2L * (n - 1) * size;
            }
            case REDUCE_SCATTER -> {
                from = 0;
                to = n - 1;
                total = (long) (n - 1) * size;
            }
            case ALL_GATHER -> {
                from = n - 1;
                to = 2 * n - 2;
                total = (long) (n - 1) * size;
            }
            default -> throw new CollectiveException("nccl ring cannot serve " + request.kind().cliName());
        }
        int c = request.channels();
        int search = layout.ringSearchChannels();
        RingChannel[] channels = new RingChannel[c];
        for (int i = 0; i < c; i++) {
            channels[i] = new RingChannel(new RingOrder(layout, i % search), from, to, i,
                    new PieceOfBlock(size, n, c, i));
        }
        return new NcclRingSchedule(request, channels, total);
    }

    @Override
    public CollectiveRequest request() {
        return request;
    }

    @Override
    public String algorithm() {
        return NcclSchedules.RING;
    }

    @Override
    public int ranks() {
        return request.ranks();
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    public long inputBytes(int rank) {
        return request.kind() == CollectiveKind.ALL_GATHER
                ? BlockSplit.sizeBytes(request.sizeBytes(), request.ranks(), rank) : request.sizeBytes();
    }

    @Override
    public long outputBytes(int rank) {
        return request.kind() == CollectiveKind.REDUCE_SCATTER
                ? BlockSplit.sizeBytes(request.sizeBytes(), request.ranks(), rank) : request.sizeBytes();
    }

    @Override
    public long totalBytesSent() {
        return totalBytesSent;
    }

    @Override
    public RankSchedule rank(int rank) {
        if (rank < 0 || rank >= request.ranks()) {
            throw new CollectiveException("rank " + rank + " outside 0.." + (request.ranks() - 1));
        }
        return new RingRank(rank);
    }

    /** One rank's view: its position in each channel and where its receives and sends of each channel start. */
    private final class RingRank implements RankSchedule {
        private final int[] position;
        private final int[] recvBase;
        private final int[] sendBase;
        private final int recvTotal;

        RingRank(int rank) {
            int count = channels.length;
            position = new int[count];
            recvBase = new int[count + 1];
            sendBase = new int[count + 1];
            for (int i = 0; i < count; i++) {
                position[i] = channels[i].order.positionOf(rank);
                recvBase[i + 1] = recvBase[i] + channels[i].recvCount(position[i]);
                sendBase[i + 1] = sendBase[i] + channels[i].sendCount(position[i]);
            }
            recvTotal = recvBase[count];
        }

        @Override
        public int opCount() {
            return recvTotal + sendBase[channels.length];
        }

        @Override
        public int streamCount() {
            return channels.length;
        }

        @Override
        public boolean isSend(int op) {
            check(op);
            return op >= recvTotal;
        }

        private void check(int op) {
            if (op < 0 || op >= opCount()) {
                throw new IndexOutOfBoundsException("op " + op + " outside 0.." + (opCount() - 1));
            }
        }

        private int channelOf(int op) {
            check(op);
            int[] base = op < recvTotal ? recvBase : sendBase;
            int local = op < recvTotal ? op : op - recvTotal;
            int lo = 0;
            int hi = channels.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (base[mid] <= local) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        private int step(int op, int i) {
            return op < recvTotal
                    ? channels[i].recvStep(position[i], op - recvBase[i])
                    : channels[i].sendStep(position[i], op - recvTotal - sendBase[i]);
        }

        private int block(int op, int i, int step) {
            return op < recvTotal ? channels[i].recvBlock(position[i], step)
                    : channels[i].sendBlock(position[i], step);
        }

        @Override
        public int peer(int op) {
            int i = channelOf(op);
            return channels[i].order.rankAt(position[i] + (op < recvTotal ? -1 : 1));
        }

        @Override
        public long offsetBytes(int op) {
            int i = channelOf(op);
            return channels[i].layout.offsetBytes(block(op, i, step(op, i)));
        }

        @Override
        public long bytes(int op) {
            int i = channelOf(op);
            return channels[i].layout.sizeBytes(block(op, i, step(op, i)));
        }

        @Override
        public int stream(int op) {
            return channels[channelOf(op)].stream;
        }

        @Override
        public boolean reduces(int op) {
            int i = channelOf(op);
            return op < recvTotal && channels[i].reduces(step(op, i));
        }

        @Override
        public int matchOp(int op) {
            int i = channelOf(op);
            requireSend(op);
            RingChannel channel = channels[i];
            int step = step(op, i);
            int peerPosition = position[i] + 1 == channel.n ? 0 : position[i] + 1;
            int peer = channel.order.rankAt(peerPosition);
            return recvBaseOf(peer, i) + channel.recvsBefore(peerPosition, step);
        }

        private void requireSend(int op) {
            if (op < recvTotal) {
                throw new IllegalArgumentException("op " + op + " is a receive");
            }
        }

        @Override
        public int depCount(int op) {
            int i = channelOf(op);
            requireSend(op);
            return step(op, i) > channels[i].stepFrom ? 1 : 0;
        }

        @Override
        public int dep(int op, int k) {
            int i = channelOf(op);
            requireSend(op);
            int step = step(op, i);
            if (k != 0 || step == channels[i].stepFrom) {
                throw new IndexOutOfBoundsException("dependency " + k + " of op " + op);
            }
            return recvBase[i] + channels[i].recvsBefore(position[i], step - 1);
        }

        @Override
        public boolean depWhole(int op, int k) {
            return false;
        }
    }
}

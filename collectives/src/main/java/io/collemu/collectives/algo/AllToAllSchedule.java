package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;

/**
 * All-to-all and all-to-all-v. Rank r works through peers in staggered order: at step k = 1..n-1 it sends to
 * {@code r+k} and receives from {@code r-k}, so at each step every rank has exactly one sender (no incast).
 * Each pair's bytes are cut into C channel pieces (stream c carries piece c of every pair).
 * <ul>
 *   <li>{@code pairwise}: lock-step; the step-k send of stream c waits for the whole step-(k-1) receive of
 *   stream c (when that piece is non-empty).</li>
 *   <li>{@code direct}: no dependencies; each stream issues its sends back to back in the staggered order.</li>
 * </ul>
 * Not in place: sends read the input buffer (blocks for dst 0..n-1 in order), receives write the output buffer
 * (blocks from src 0..n-1 in order). A rank's own block is a local copy, not an op.
 * Op layout: receives ordered by (step, channel), then sends ordered by (step, channel); all arithmetic (a
 * binary search over steps) on top of {@link PairSizes}.
 *
 * <p>Immutable; thread-safe.
 */
public final class AllToAllSchedule implements Schedule {

    private final CollectiveRequest request;
    private final String algorithm;
    private final boolean pairwise;
    private final int n;
    private final int channels;
    private final PairSizes sizes;

    private AllToAllSchedule(CollectiveRequest request, String algorithm, PairSizes sizes) {
        this.request = request;
        this.algorithm = algorithm;
        this.pairwise = algorithm.equals(Collectives.PAIRWISE);
        this.n = request.ranks();
        this.channels = request.channels();
        this.sizes = sizes;
    }

    /** @return the all-to-all(-v) schedule of {@code request} with the resolved {@code algorithm} */
    public static AllToAllSchedule create(CollectiveRequest request, String algorithm) {
        PairSizes sizes = switch (request.kind()) {
            case ALL_TO_ALL -> new PairSizes.Uniform(request.sizeBytes(), request.ranks(), request.channels());
            case ALL_TO_ALL_V -> new PairSizes.Explicit(request);
            default -> throw new CollectiveException("all-to-all schedule cannot serve " + request.kind().cliName());
        };
        return new AllToAllSchedule(request, algorithm, sizes);
    }

    @Override
    public CollectiveRequest request() {
        return request;
    }

    @Override
    public String algorithm() {
        return algorithm;
    }

    @Override
    public int ranks() {
        return n;
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    public long inputBytes(int rank) {
        return sizes.inputBytes(rank);
    }

    @Override
    public long outputBytes(int rank) {
        return sizes.outputBytes(rank);
    }

    @Override
    public long totalBytesSent() {
        return sizes.totalBytesSent();
    }

    /** @return where rank {@code dst}'s output holds the block from {@code src} (used for the local self copy) */
    public long outputOffsetBytes(int src, int dst) {
        return sizes.outputOffsetBytes(src, dst);
    }

    @Override
    public RankSchedule rank(int rank) {
        if (rank < 0 || rank >= n) {
            throw new CollectiveException("rank " + rank + " outside 0.." + (n - 1));
        }
        return new Rank(rank);
    }

    private final class Rank implements RankSchedule {
        private final int rank;
        private final int recvTotal;
        private final int sendTotal;

        Rank(int rank) {
            this.rank = rank;
            this.recvTotal = sizes.recvPiecesBefore(rank, n);
            this.sendTotal = sizes.sendPiecesBefore(rank, n);
        }

        @Override
        public int opCount() {
            return recvTotal + sendTotal;
        }

        @Override
        public int streamCount() {
            return channels;
        }

        @Override
        public boolean isSend(int op) {
            check(op);
            return op >= recvTotal;
        }

        private void check(int op) {
            if (op < 0 || op >= recvTotal + sendTotal) {
                throw new IndexOutOfBoundsException("op " + op + " outside 0.." + (recvTotal + sendTotal - 1));
            }
        }

        /** @return the step (1..n-1) of op; receives and sends each ordered by (step, channel) */
        private int step(int op) {
            check(op);
            boolean send = op >= recvTotal;
            int ordinal = send ? op - recvTotal : op;
            int lo = 1;
            int hi = n - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                int before = send ? sizes.sendPiecesBefore(rank, mid) : sizes.recvPiecesBefore(rank, mid);
                if (before <= ordinal) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        private int channel(int op, int step) {
            return op >= recvTotal
                    ? op - recvTotal - sizes.sendPiecesBefore(rank, step)
                    : op - sizes.recvPiecesBefore(rank, step);
        }

        private int peerOf(int op, int step) {
            return op >= recvTotal ? (rank + step) % n : (rank - step + n) % n;
        }

        @Override
        public int peer(int op) {
            return peerOf(op, step(op));
        }

        @Override
        public long offsetBytes(int op) {
            int step = step(op);
            int c = channel(op, step);
            int peer = peerOf(op, step);
            if (op >= recvTotal) {
                return sizes.inputOffsetBytes(rank, peer)
                        + BlockSplit.offsetBytes(sizes.bytes(rank, peer), channels, c);
            }
            return sizes.outputOffsetBytes(peer, rank) + BlockSplit.offsetBytes(sizes.bytes(peer, rank), channels, c);
        }

        @Override
        public long bytes(int op) {
            int step = step(op);
            int c = channel(op, step);
            int peer = peerOf(op, step);
            long pair = op >= recvTotal ? sizes.bytes(rank, peer) : sizes.bytes(peer, rank);
            return BlockSplit.sizeBytes(pair, channels, c);
        }

        @Override
        public int stream(int op) {
            return channel(op, step(op));
        }

        @Override
        public boolean reduces(int op) {
            check(op);
            return false;
        }

        @Override
        public int matchOp(int op) {
            int step = step(op);
            requireSend(op);
            int peer = peerOf(op, step);
            return sizes.recvPiecesBefore(peer, step) + channel(op, step);
        }

        private void requireSend(int op) {
            if (op < recvTotal) {
                throw new IllegalArgumentException("op " + op + " is a receive");
            }
        }

        private int previousRecv(int op) {
            int step = step(op);
            requireSend(op);
            if (!pairwise || step == 1) {
                return -1;
            }
            int c = channel(op, step);
            int src = (rank - step + 1 + n) % n;
            return c < Math.min(sizes.bytes(src, rank), channels) ? sizes.recvPiecesBefore(rank, step - 1) + c : -1;
        }

        @Override
        public int depCount(int op) {
            return previousRecv(op) < 0 ? 0 : 1;
        }

        @Override
        public int dep(int op, int k) {
            int d = previousRecv(op);
            if (d < 0 || k != 0) {
                throw new IndexOutOfBoundsException("dependency " + k + " of op " + op);
            }
            return d;
        }

        @Override
        public boolean depWhole(int op, int k) {
            return true;
        }
    }

}

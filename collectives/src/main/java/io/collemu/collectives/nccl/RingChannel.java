package io.collemu.collectives.nccl;

/**
 * One channel of a ring all-reduce over a {@link RingOrder}, running steps {@code [stepFrom, stepTo)} of
 * 0 .. 2(n-1)-1: steps below n-1 reduce-scatter (receives add), the rest all-gather (receives copy).
 *
 * <p>Position p sends to p+1. At step t it sends the block of the rank at position {@code p-t-1} and receives
 * (from p-1) the block of the rank at {@code p-t-2}; blocks are indexed by rank, so after step n-2 each rank
 * holds its own block reduced, whatever the channel's order. The send of step t forwards what was received at
 * step t-1: a single overlap dependency.
 *
 * <p>Steps whose block piece is empty are not ops. When every block has a piece (or none has) counting is
 * arithmetic; for the one channel of a tiny buffer where only ranks {@code [0, S mod n)} have a byte, a prefix
 * count over positions (n+1 ints) is built once.
 *
 * <p>Immutable; thread-safe.
 */
final class RingChannel {

    final RingOrder order;
    final int n;
    final int stepFrom;
    final int stepTo;
    final int stream;
    final PieceOfBlock layout;
    private final int nonEmpty;
    private final int[] prefix;

    RingChannel(RingOrder order, int stepFrom, int stepTo, int stream, PieceOfBlock layout) {
        this.order = order;
        this.n = order.size();
        this.stepFrom = stepFrom;
        this.stepTo = stepTo;
        this.stream = stream;
        this.layout = layout;
        this.nonEmpty = layout.nonEmptyBlocks();
        if (nonEmpty > 0 && nonEmpty < n) {
            prefix = new int[n + 1];
            for (int p = 0; p < n; p++) {
                prefix[p + 1] = prefix[p] + (order.rankAt(p) < nonEmpty ? 1 : 0);
            }
        } else {
            prefix = null;
        }
    }

    /** @return true when every rank has the same number of ops in this channel (no partly empty blocks) */
    boolean sameCountEverywhere() {
        return prefix == null;
    }

    boolean reduces(int step) {
        return step < n - 1;
    }

    int recvBlock(int position, int step) {
        return order.rankAt(position - step - 2);
    }

    int sendBlock(int position, int step) {
        return order.rankAt(position - step - 1);
    }

    /** @return positions {@code from, from+1, ..., from+len-1 (mod n)} whose rank has a non-empty block */
    private int countRun(long from, int len) {
        if (prefix == null) {
            return nonEmpty == 0 ? 0 : len;
        }
        long f = Math.floorMod(from, (long) n);
        return (int) (countBelow(f + len) - countBelow(f));
    }

    private long countBelow(long x) {
        return x / n * nonEmpty + prefix[(int) (x % n)];
    }

    /** @return non-empty receives of {@code position} at steps {@code [stepFrom, step)} */
    int recvsBefore(int position, int step) {
        return countRun((long) position - step - 1, step - stepFrom);
    }

    /** @return non-empty sends of {@code position} at steps {@code [stepFrom, step)} */
    int sendsBefore(int position, int step) {
        return countRun((long) position - step, step - stepFrom);
    }

    int recvCount(int position) {
        return recvsBefore(position, stepTo);
    }

    int sendCount(int position) {
        return sendsBefore(position, stepTo);
    }

    /** @return the step of the {@code ordinal}-th non-empty receive of {@code position} */
    int recvStep(int position, int ordinal) {
        if (prefix == null) {
            return stepFrom + ordinal;
        }
        int lo = stepFrom;
        int hi = stepTo - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (recvsBefore(position, mid + 1) > ordinal) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** @return the step of the {@code ordinal}-th non-empty send of {@code position} */
    int sendStep(int position, int ordinal) {
        if (prefix == null) {
            return stepFrom + ordinal;
        }
        int lo = stepFrom;
        int hi = stepTo - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sendsBefore(position, mid + 1) > ordinal) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}

package io.collemu.collectives.algo;

/**
 * One ring over {@code members} ranks ({@code firstRank + i * strideRanks}) running the steps
 * {@code [stepFrom, stepTo)} of a ring all-reduce, numbered 0 .. 2(n-1)-1: steps below n-1 are the
 * reduce-scatter (receives add), the rest the all-gather (receives copy). Reduce-scatter alone is
 * {@code [0, n-1)}, all-gather alone {@code [n-1, 2n-2)}.
 *
 * <p>Member {@code i} sits at ring position {@code p = direction * i mod n} and sends to position p+1. At step
 * {@code t} it sends the block owned by the member at position {@code p-t-1} and receives (from p-1) the block
 * of position {@code p-t-2}; so after step n-2 position p holds its own block fully reduced, which makes member
 * {@code i} end the reduce-scatter with block {@code i}. The send of step t forwards exactly what was received
 * at step t-1, hence a single overlap dependency.
 *
 * <p>Steps whose block is empty are not ops. Ops are counted, and op ordinals turned back into steps, with
 * {@link CyclicSet} arithmetic (binary search when some blocks are empty): nothing is listed.
 * Immutable; thread-safe.
 */
final class RingPhase {

    final int members;
    final int firstRank;
    final int strideRanks;
    final int direction;
    final int stepFrom;
    final int stepTo;
    final int stream;
    final BlockLayout layout;
    private final boolean full;
    private final CyclicSet nonEmptyPositions;

    RingPhase(int members, int firstRank, int strideRanks, int direction, int stepFrom, int stepTo, int stream,
            BlockLayout layout) {
        this.members = members;
        this.firstRank = firstRank;
        this.strideRanks = strideRanks;
        this.direction = direction;
        this.stepFrom = stepFrom;
        this.stepTo = stepTo;
        this.stream = stream;
        this.layout = layout;
        int k = layout.nonEmptyBlocks();
        this.full = k == members;
        // members [0, k) hold non-empty blocks; mapped to positions that is [0,k) forward, {0, n-k+1..n-1} reversed
        int start = direction > 0 || k == 0 ? 0 : (members - k + 1) % members;
        this.nonEmptyPositions = new CyclicSet(members, start, k);
    }

    int positionOf(int rank) {
        int member = (rank - firstRank) / strideRanks;
        return direction > 0 ? member : (members - member) % members;
    }

    int memberAt(int position) {
        // positions handed in are within a few multiples of n of [0, n): avoid a division per op access
        int p = position;
        while (p < 0) {
            p += members;
        }
        while (p >= members) {
            p -= members;
        }
        return direction > 0 || p == 0 ? p : members - p;
    }

    int rankAt(int position) {
        return firstRank + memberAt(position) * strideRanks;
    }

    boolean reduces(int step) {
        return step < members - 1;
    }

    int recvBlock(int position, int step) {
        return memberAt(position - step - 2);
    }

    int sendBlock(int position, int step) {
        return memberAt(position - step - 1);
    }

    /** @return non-empty receives of {@code position} at steps {@code [stepFrom, step)} */
    int recvsBefore(int position, int step) {
        if (full) {
            return step - stepFrom;
        }
        return (int) nonEmptyPositions.countRun((long) position - step - 1, step - stepFrom);
    }

    /** @return non-empty sends of {@code position} at steps {@code [stepFrom, step)} */
    int sendsBefore(int position, int step) {
        if (full) {
            return step - stepFrom;
        }
        return (int) nonEmptyPositions.countRun((long) position - step, step - stepFrom);
    }

    int recvCount(int position) {
        return recvsBefore(position, stepTo);
    }

    int sendCount(int position) {
        return sendsBefore(position, stepTo);
    }

    /** @return the step of the {@code ordinal}-th non-empty receive of {@code position} */
    int recvStep(int position, int ordinal) {
        if (full) {
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
        if (full) {
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

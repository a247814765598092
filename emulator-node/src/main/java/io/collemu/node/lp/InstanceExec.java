package io.collemu.node.lp;

import io.collemu.collectives.RankSchedule;

/**
 * One rank's progress through one collective instance, inside a GPU LP: how far each receive has got, and for
 * each stream which send op and segment come next. Created at the task's start or at the first segment that
 * arrives for it, whichever is first.
 */
final class InstanceExec {
    final CollectiveInstance instance;
    final RankSchedule schedule;
    final int rank;
    final int task;
    final long segmentBytes;
    /** Bytes received (and reduced) per op; only recv ops are used. */
    final long[] recvDoneBytes;
    /** Per stream, its send ops in order. */
    final int[][] streamOps;
    final int[] cursor;
    final long[] nextOffsetBytes;
    final int[] waiting;
    final long[] readyAtPs;
    /** Per stream, cached facts of the current op. */
    final int[] curDstGpu;
    final long[] curFlowHash;
    final int[] curMatchOp;
    /** Per stream, the route of the current op (reused while the destination stays the same). */
    final int[][] curPath;
    /**
     * Per stream, the current op's dependencies, read from the schedule once when the op becomes the head (the
     * schedule computes them, and an op may have thousands: hierarchical all-gather waits on every inter-server
     * receive), and a cursor: dependencies before it are met for the current segment.
     */
    final int[][] depOp;
    final long[][] depOffset;
    final long[][] depBytes;
    final boolean[][] depWhole;
    final int[] depCount;
    final int[] depCursor;
    long remainingRecvBytes;
    long remainingSendSegments;
    boolean started;
    boolean done;

    InstanceExec(CollectiveInstance instance, int rank, int task, long segmentBytes) {
        this.instance = instance;
        this.schedule = instance.schedule().rank(rank);
        this.rank = rank;
        this.task = task;
        this.segmentBytes = segmentBytes;
        RankSchedule rs = schedule;
        int ops = rs.opCount();
        int streams = Math.max(1, rs.streamCount());
        this.recvDoneBytes = new long[ops];
        int[] perStream = new int[streams];
        for (int op = 0; op < ops; op++) {
            long b = rs.bytes(op);
            if (rs.isSend(op)) {
                perStream[rs.stream(op)]++;
                remainingSendSegments += (b + segmentBytes - 1) / segmentBytes;
            } else {
                remainingRecvBytes += b;
            }
        }
        this.streamOps = new int[streams][];
        for (int s = 0; s < streams; s++) {
            streamOps[s] = new int[perStream[s]];
        }
        int[] fill = new int[streams];
        for (int op = 0; op < ops; op++) {
            if (rs.isSend(op)) {
                int s = rs.stream(op);
                streamOps[s][fill[s]++] = op;
            }
        }
        this.cursor = new int[streams];
        this.nextOffsetBytes = new long[streams];
        this.waiting = new int[streams];
        this.readyAtPs = new long[streams];
        this.curDstGpu = new int[streams];
        this.curFlowHash = new long[streams];
        this.curMatchOp = new int[streams];
        this.curPath = new int[streams][];
        this.depOp = new int[streams][];
        this.depOffset = new long[streams][];
        this.depBytes = new long[streams][];
        this.depWhole = new boolean[streams][];
        this.depCount = new int[streams];
        this.depCursor = new int[streams];
    }

    int streams() {
        return streamOps.length;
    }

    /** Reads op's dependencies into stream s's cache (the op has just become the stream's head). */
    void loadDeps(int s, int op) {
        RankSchedule rs = schedule;
        int n = rs.depCount(op);
        if (depOp[s] == null || depOp[s].length < n) {
            int c = Math.max(4, n);
            depOp[s] = new int[c];
            depOffset[s] = new long[c];
            depBytes[s] = new long[c];
            depWhole[s] = new boolean[c];
        }
        for (int k = 0; k < n; k++) {
            int d = rs.dep(op, k);
            depOp[s][k] = d;
            depOffset[s][k] = rs.offsetBytes(d);
            depBytes[s][k] = rs.bytes(d);
            depWhole[s][k] = rs.depWhole(op, k);
        }
        depCount[s] = n;
        depCursor[s] = 0;
    }

    /**
     * Whether the bytes [a, b) of stream s's head op may be sent now, by the dependency rules of the schedule:
     * a whole dependency must be complete; an overlapping one must have received the bytes up to b it covers.
     * Receives only grow, so dependencies met for this segment stay met: the cursor skips them.
     */
    boolean depsSatisfied(int s, long a, long b) {
        int[] ops = depOp[s];
        long[] offs = depOffset[s];
        long[] lens = depBytes[s];
        boolean[] whole = depWhole[s];
        int n = depCount[s];
        for (int k = depCursor[s]; k < n; k++) {
            long m = lens[k];
            long needed;
            if (whole[k]) {
                needed = m;
            } else {
                long dOff = offs[k];
                needed = (b <= dOff || a >= dOff + m) ? 0 : Math.min(m, b - dOff);
            }
            if (recvDoneBytes[ops[k]] < needed) {
                depCursor[s] = k;
                return false;
            }
        }
        depCursor[s] = n;
        return true;
    }

    /** The stream moved on to another segment: its dependencies must be checked against the new range. */
    void segmentAdvanced(int s) {
        depCursor[s] = 0;
    }
}

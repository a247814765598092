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
    }

    int streams() {
        return streamOps.length;
    }

    /** Whether the bytes [a, b) of op's buffer may be sent now, by the dependency rules of the schedule. */
    boolean depsSatisfied(int op, long a, long b) {
        RankSchedule rs = schedule;
        int n = rs.depCount(op);
        for (int k = 0; k < n; k++) {
            int d = rs.dep(op, k);
            long m = rs.bytes(d);
            long needed;
            if (rs.depWhole(op, k)) {
                needed = m;
            } else {
                long dOff = rs.offsetBytes(d);
                needed = (b <= dOff || a >= dOff + m) ? 0 : Math.min(m, b - dOff);
            }
            if (recvDoneBytes[d] < needed) {
                return false;
            }
        }
        return true;
    }
}

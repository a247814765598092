package io.collemu.node.lp;

import io.collemu.collectives.RankSchedule;
import io.collemu.topology.route.Router;
import java.util.Arrays;

/**
 * One rank's progress through one collective instance, inside a GPU LP: how far each receive has got, and for
 * each stream which send op and segment come next, with the facts of its current op cached (destination, flow
 * hash, path, dependencies). Created at the task's start or at the first segment that arrives for it, whichever
 * is first. The GPU LP asks it for segments ({@link #takeSegment}) and tells it what was received
 * ({@link #applyRecv}) and what left ({@link #segmentStarted}, {@link #segmentSent}).
 *
 * <p>Not thread-safe: owned by one GPU LP.
 */
final class InstanceExec {
    final CollectiveInstance instance;
    final RankSchedule schedule;
    /** The segment this instance forwards (the run's, capped at an LL step: {@link InstanceTiming#segmentBytes}). */
    private final long segmentBytes;
    final int task;
    private final int gpu;
    private final Fabric fabric;
    private final ModelOptions options;
    private final InstanceTiming timing;
    /** The owning GPU's path buffer, shared by its instances (only used inside one call). */
    private final int[] pathScratch;
    /** Bytes received (and reduced) per op; only recv ops are used. */
    private final long[] recvDoneBytes;
    /** Per stream, its send ops in order. */
    private final int[][] streamOps;
    private final int[] cursor;
    private final long[] nextOffsetBytes;
    /** Per stream, segments waiting in the GPU's egress queue (not yet serializing). */
    private final int[] waiting;
    /** Per stream, the earliest time it may inject again (base latency, step latency, channel pacing). */
    private final long[] readyAtPs;
    /**
     * Per receive op: the streams with a send that depends on it, in the order of those sends: {@code
     * waiterStreams[waiterStart[op] .. waiterStart[op + 1])}. Two flat arrays rather than an array per op: a GPU of
     * a 16,384-GPU hierarchical all-reduce has about 4,100 ops, and an int[1] each (24 bytes and a reference) was
     * the largest share of a member's heap.
     */
    private final int[] waiterStart;
    private final int[] waiterStreams;
    /** Per stream, the time of the wake-up (STEP_READY) already scheduled, to schedule each one once. */
    private final long[] wakePs;
    /** Per stream, the software latency of the current op's step, and whether it has been paid. */
    private final long[] stepPs;
    private final boolean[] stepPaid;
    /** Per stream, cached facts of the current op. */
    private final int[] curDstGpu;
    private final long[] curFlowHash;
    private final int[] curMatchOp;
    /** Per stream, the current op's switch combining (NVLS), its sibling group and the group's size. */
    private final int[] curCombine;
    private final long[] curCombineGroup;
    private final int[] curCombineSize;
    /**
     * Per stream, when the current op is an NVLS multicast store: its other copies, the sibling ops that follow it
     * in the stream (their destination, receive, flow hash and path), sent with it segment by segment; else null.
     */
    private final int[][] sibOp;
    private final int[][] sibDst;
    private final int[][] sibMatch;
    private final long[][] sibHash;
    private final int[][][] sibPath;
    /** Per stream, the route of the current op (reused while the destination stays the same). */
    private final int[][] curPath;
    /**
     * Per stream, the current op's dependencies, read from the schedule once when the op becomes the head (the
     * schedule computes them, and an op may have thousands: hierarchical all-gather waits on every inter-server
     * receive), and a cursor: dependencies before it are met for the current segment.
     */
    private final int[][] depOp;
    private final long[][] depOffset;
    private final long[][] depBytes;
    private final boolean[][] depWhole;
    private final int[] depCount;
    private final int[] depCursor;
    private long remainingRecvBytes;
    private long remainingSendSegments;
    private boolean started;
    private boolean done;

    // ---- fault mode only (view != null) ----
    private final FaultView view;
    private final long originPs;
    /** Per stream, the epoch its current path was chosen in. */
    private final int[] curPathEpoch;
    /** Per recv op: bytes accepted in order (go-back-N receiver), and whether a NAK is out for the current gap. */
    private long[] arrivedBytes;
    private boolean[] nakSent;
    /** Per send op: the last go-back (when, from which offset) and the timeouts since the last sign of progress. */
    private long[] lastRewindPs;
    private long[] lastRewindOffset;
    private int[] retries;
    /** Per stream: the current op's bytes below this offset are being sent again, counting from rewindOriginPs. */
    private long[] rewindUntil;
    private long[] rewindOriginPs;
    /** Per stream: earlier ops being sent again, each {op, next offset, origin time}, in order. */
    private java.util.ArrayDeque<long[]>[] resend;
    private long retransmittedBytes;
    private long stallPs;
    private long failPs = -1;
    private int failPeer = -1;

    InstanceExec(CollectiveInstance instance, int rank, int task, ModelOptions options, int gpu, Fabric fabric,
            int[] pathScratch) {
        this(instance, rank, task, options, gpu, fabric, pathScratch, null, 0);
    }

    /** @param view the GPU's routing view in a run with faults (null without), and its start time */
    InstanceExec(CollectiveInstance instance, int rank, int task, ModelOptions options, int gpu, Fabric fabric,
            int[] pathScratch, FaultView view, long originPs) {
        this.instance = instance;
        this.schedule = instance.schedule().rank(rank);
        this.task = task;
        this.gpu = gpu;
        this.fabric = fabric;
        this.options = options;
        this.timing = instance.timing();
        this.segmentBytes = timing.segmentBytes(options.segmentBytes());
        this.pathScratch = pathScratch;
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
        int[] waiterCount = new int[ops];
        int[] lastWaiter = new int[ops];
        Arrays.fill(lastWaiter, -1);
        for (int op = 0; op < ops; op++) {
            if (rs.isSend(op)) {
                int s = rs.stream(op);
                streamOps[s][fill[s]++] = op;
                for (int k = 0; k < rs.depCount(op); k++) {
                    int d = rs.dep(op, k);
                    if (lastWaiter[d] != s) { // a stream already listed for d by its previous send is not added again
                        lastWaiter[d] = s;
                        waiterCount[d]++;
                    }
                }
            }
        }
        this.waiterStart = new int[ops + 1];
        for (int op = 0; op < ops; op++) {
            waiterStart[op + 1] = waiterStart[op] + waiterCount[op];
            waiterCount[op] = 0;
        }
        this.waiterStreams = new int[waiterStart[ops]];
        Arrays.fill(lastWaiter, -1);
        for (int op = 0; op < ops; op++) {
            if (rs.isSend(op)) {
                int s = rs.stream(op);
                for (int k = 0; k < rs.depCount(op); k++) {
                    int d = rs.dep(op, k);
                    if (lastWaiter[d] != s) {
                        lastWaiter[d] = s;
                        waiterStreams[waiterStart[d] + waiterCount[d]++] = s;
                    }
                }
            }
        }
        this.cursor = new int[streams];
        this.nextOffsetBytes = new long[streams];
        this.waiting = new int[streams];
        this.readyAtPs = new long[streams];
        this.wakePs = new long[streams];
        this.stepPs = new long[streams];
        this.stepPaid = new boolean[streams];
        this.curDstGpu = new int[streams];
        this.curFlowHash = new long[streams];
        this.curMatchOp = new int[streams];
        this.curCombine = new int[streams];
        this.curCombineGroup = new long[streams];
        this.curCombineSize = new int[streams];
        this.sibOp = new int[streams][];
        this.sibDst = new int[streams][];
        this.sibMatch = new int[streams][];
        this.sibHash = new long[streams][];
        this.sibPath = new int[streams][][];
        this.curPath = new int[streams][];
        this.depOp = new int[streams][];
        this.depOffset = new long[streams][];
        this.depBytes = new long[streams][];
        this.depWhole = new boolean[streams][];
        this.depCount = new int[streams];
        this.depCursor = new int[streams];
        this.view = view;
        this.originPs = originPs;
        this.curPathEpoch = view == null ? null : new int[streams];
        if (view != null) {
            this.arrivedBytes = new long[ops];
            this.nakSent = new boolean[ops];
        }
    }

    int streams() {
        return streamOps.length;
    }

    boolean started() {
        return started;
    }

    /**
     * The task has started: every stream's first op becomes its head, after the instance's base latency and the
     * channel's processing of its first segment. Later segments are paced after they leave (each one holds the
     * channel for its own processing time), so a stream of S bytes takes S at the channel's rate, and forwarding
     * along a ring or a tree adds no processing latency per hop (NCCL's model counts those in its latency).
     */
    void start(LpContext ctx) {
        started = true;
        for (int s = 0; s < streams(); s++) {
            beginOp(s, ctx.nowPs());
            long first = streamOps[s].length == 0 ? 0 : Math.min(segmentBytes,
                    schedule.bytes(streamOps[s][0]));
            readyAtPs[s] = ctx.nowPs() + timing.baseLatencyPs()
                    + (long) Math.ceil(first * timing.streamPsPerByte() / timing.parallelStreams());
        }
    }

    /**
     * Caches the facts of stream s's current send op (destination, flow hash, path, dependencies) and its step's
     * software latency: in the nccl mode NCCL's per-step latency for that peer (same server or not) less what the
     * step's first segment takes to cross its path unloaded (links and switches; for steps on the data's path also
     * its store-and-forward serialization, {@link InstanceTiming#stepsOnPath()}), so that an uncontended step
     * costs what NCCL's model says; else the flat {@code --step-latency-ns}.
     */
    private void beginOp(int s, long nowPs) {
        if (cursor[s] >= streamOps[s].length) {
            return;
        }
        int op = streamOps[s][cursor[s]];
        curMatchOp[s] = schedule.matchOp(op);
        curCombine[s] = schedule.combine(op);
        sibOp[s] = null;
        if (curCombine[s] != RankSchedule.COMBINE_NONE) {
            curCombineGroup[s] = schedule.combineGroup(op);
            curCombineSize[s] = schedule.combineSize(op);
            if (curCombine[s] == RankSchedule.COMBINE_MULTICAST && curCombineSize[s] > 1) {
                loadSiblings(s, op);
            }
        }
        loadDeps(s, op);
        int dst = instance.gpus()[schedule.peer(op)];
        if (view != null) {
            if (curDstGpu[s] != dst || curFlowHash[s] == 0) {
                curDstGpu[s] = dst;
                curFlowHash[s] = Router.flowHash(gpu, dst, flowId(options.seed(), instance.id(), s));
                curPathEpoch[s] = -1;
            }
            refreshPath(s, nowPs);
        } else if (curPath[s] == null || curDstGpu[s] != dst) {
            curDstGpu[s] = dst;
            long flowId = flowId(options.seed(), instance.id(), s);
            curFlowHash[s] = Router.flowHash(gpu, dst, flowId);
            int hops = fabric.router().path(gpu, dst, flowId, pathScratch);
            curPath[s] = Arrays.copyOf(pathScratch, hops);
        }
        stepPaid[s] = false;
        if (timing.isIdeal()) {
            stepPs[s] = options.stepLatencyPs();
        } else {
            int server = fabric.topology().serverOfGpu(gpu);
            boolean intra = server >= 0 && server == fabric.topology().serverOfGpu(dst);
            long step = intra ? timing.intraStepPs() : timing.interStepPs();
            long first = timing.protocolBytes(Math.min(segmentBytes, schedule.bytes(op)));
            long physical = curPath[s] == null ? 0 : timing.stepsOnPath() ? fabric.pathTransferPs(curPath[s], first)
                    : fabric.pathLatencyPs(curPath[s]);
            stepPs[s] = Math.max(0, step - physical);
        }
    }

    /**
     * Stream s's current op is the first of an NVLS multicast group: the next {@code combineSize - 1} ops of the
     * stream are its copies (same group, same bytes and offset), sent with it.
     *
     * @throws IllegalStateException if the schedule does not put the copies right after it
     */
    private void loadSiblings(int s, int op) {
        int k = curCombineSize[s] - 1;
        int[] ops = streamOps[s];
        if (cursor[s] + k >= ops.length) {
            throw new IllegalStateException("GPU " + gpu + ", instance " + instance.id() + ", op " + op
                    + ": multicast group of " + (k + 1) + " runs past the end of stream " + s);
        }
        int[] sop = new int[k];
        int[] dst = new int[k];
        int[] match = new int[k];
        long[] hash = new long[k];
        int[][] path = new int[k][];
        long flowId = flowId(options.seed(), instance.id(), s);
        for (int i = 0; i < k; i++) {
            int o = ops[cursor[s] + 1 + i];
            if (schedule.combine(o) != RankSchedule.COMBINE_MULTICAST || schedule.combineGroup(o) != curCombineGroup[s]
                    || schedule.bytes(o) != schedule.bytes(op) || schedule.offsetBytes(o) != schedule.offsetBytes(op)) {
                throw new IllegalStateException("GPU " + gpu + ", instance " + instance.id() + ", op " + o
                        + " is not a copy of multicast op " + op + " (copies follow it in its stream)");
            }
            sop[i] = o;
            dst[i] = instance.gpus()[schedule.peer(o)];
            match[i] = schedule.matchOp(o);
            hash[i] = Router.flowHash(gpu, dst[i], flowId);
            int hops = fabric.router().path(gpu, dst[i], flowId, pathScratch);
            path[i] = Arrays.copyOf(pathScratch, hops);
        }
        sibOp[s] = sop;
        sibDst[s] = dst;
        sibMatch[s] = match;
        sibHash[s] = hash;
        sibPath[s] = path;
    }

    /** The copies of multicast segment {@code g} (stream s's current op): same bytes, each to its own peer. */
    private Segment[] copies(int s, Segment g) {
        int k = sibOp[s].length;
        Segment[] out = new Segment[k];
        for (int i = 0; i < k; i++) {
            Segment c = new Segment();
            c.instance = g.instance;
            c.srcGpu = gpu;
            c.dstGpu = sibDst[s][i];
            c.recvOp = sibMatch[s][i];
            c.opOffsetBytes = g.opOffsetBytes;
            c.sizeBytes = g.sizeBytes;
            c.protocolBytes = g.protocolBytes;
            c.stream = s;
            c.flowHash = sibHash[s][i];
            c.injectPs = g.injectPs;
            c.sentPs = g.sentPs;
            c.upstreamLp = -1;
            c.upstreamPort = -1;
            c.path = sibPath[s][i];
            c.op = sibOp[s][i];
            c.combine = RankSchedule.COMBINE_MULTICAST;
            c.combineGroup = g.combineGroup;
            c.combineSize = g.combineSize;
            if (c.path.length == 0 || c.path[0] != g.path[0]) {
                throw new IllegalStateException("GPU " + gpu + ": multicast copies to GPU " + g.dstGpu + " and "
                        + c.dstGpu + " leave by different ports (NVLS needs one NVSwitch link)");
            }
            out[i] = c;
        }
        return out;
    }

    /** Fault mode: stream s's path for the current epoch (null if this GPU has no route to the destination). */
    private void refreshPath(int s, long nowPs) {
        int epoch = view.plan().epoch(nowPs - originPs);
        if (curPathEpoch[s] == epoch) {
            return;
        }
        curPathEpoch[s] = epoch;
        curPath[s] = routeFrom(curDstGpu[s], curFlowHash[s], epoch);
    }

    /** Fault mode: the path from this GPU in {@code epoch}, or null if some node on the way has no route. */
    private int[] routeFrom(int dst, long flowHash, int epoch) {
        int end = view.route(fabric.topology().gpuNode(gpu), dst, flowHash, epoch, pathScratch, 0);
        return end < 0 ? null : Arrays.copyOf(pathScratch, end);
    }

    /** Makes sure a STEP_READY wakes stream s when it may inject again. */
    private void wake(int s, LpContext ctx) {
        if (wakePs[s] != readyAtPs[s]) {
            wakePs[s] = readyAtPs[s];
            ctx.schedule(readyAtPs[s], EventKinds.STEP_READY, null, ((long) task << 32) | s);
        }
    }

    /**
     * The next segment of stream s, if the task has started, the stream's egress window has room, the schedule's
     * dependencies allow those bytes now, and the stream is ready: its base latency, its step's software latency
     * (counted from the moment the step's first segment may go: the receiver notices the data, then posts the
     * send) and the channel's pacing have elapsed; else null, with a wake-up scheduled when only time is missing.
     * The stream moves on past the segment (to its next op when the op is complete); the segment counts as waiting.
     */
    Segment takeSegment(int s, LpContext ctx) {
        int[] ops = streamOps[s];
        long now = ctx.nowPs();
        if (view != null && resend != null && resend[s] != null && !resend[s].isEmpty() && failPs < 0) {
            return takeResend(s, ctx);
        }
        if (!started || cursor[s] >= ops.length || waiting[s] >= options.maxWaitingPerStream() || failPs >= 0) {
            return null;
        }
        if (now < readyAtPs[s]) {
            wake(s, ctx);
            return null;
        }
        int op = ops[cursor[s]];
        long opBytes = schedule.bytes(op);
        long off = nextOffsetBytes[s];
        long len = Math.min(segmentBytes, opBytes - off);
        long a = schedule.offsetBytes(op) + off;
        if (!depsSatisfied(s, a, a + len)) {
            return null;
        }
        if (!stepPaid[s]) {
            stepPaid[s] = true;
            if (stepPs[s] > 0) {
                readyAtPs[s] = now + stepPs[s];
                wake(s, ctx);
                return null;
            }
        }
        depCursor[s] = 0; // the next segment checks its dependencies against its own range
        if (view != null) {
            refreshPath(s, now);
        }
        Segment g = new Segment();
        g.instance = instance.id();
        g.srcGpu = gpu;
        g.dstGpu = curDstGpu[s];
        g.recvOp = curMatchOp[s];
        g.opOffsetBytes = off;
        g.sizeBytes = (int) len;
        g.protocolBytes = (int) (curCombine[s] != RankSchedule.COMBINE_NONE ? timing.switchProtocolBytes(len)
                : timing.protocolBytes(len));
        g.stream = s;
        g.flowHash = curFlowHash[s];
        g.injectPs = now;
        g.upstreamLp = -1;
        g.upstreamPort = -1;
        g.path = curPath[s];
        g.hops = 0;
        g.op = op;
        g.sentPs = now;
        if (curCombine[s] != RankSchedule.COMBINE_NONE) {
            g.combine = curCombine[s];
            g.combineGroup = curCombineGroup[s];
            g.combineSize = curCombineSize[s];
            if (sibOp[s] != null) {
                g.siblings = copies(s, g);
            }
        }
        if (view != null) {
            g.pathEpoch = curPathEpoch[s];
            if (rewindUntil != null && off < rewindUntil[s]) {
                g.injectPs = rewindOriginPs[s];
                retransmittedBytes += len;
            }
        }
        waiting[s]++;
        if (timing.streamPsPerByte() > 0) {
            readyAtPs[s] = now + (long) Math.ceil(len * timing.streamPsPerByte());
        }
        if (off + len == opBytes) {
            cursor[s] += 1 + (sibOp[s] == null ? 0 : sibOp[s].length); // a multicast's copies went with it
            nextOffsetBytes[s] = 0;
            beginOp(s, now);
        } else {
            nextOffsetBytes[s] = off + len;
        }
        return g;
    }

    /**
     * Fault mode: the next segment of an earlier op of stream s being sent again (go-back-N), if the window and
     * the channel's pacing allow; its route is chosen now.
     */
    private Segment takeResend(int s, LpContext ctx) {
        long now = ctx.nowPs();
        if (waiting[s] >= options.maxWaitingPerStream()) {
            return null;
        }
        if (now < readyAtPs[s]) {
            wake(s, ctx);
            return null;
        }
        long[] e = resend[s].peek();
        int op = (int) e[0];
        long off = e[1];
        long opBytes = schedule.bytes(op);
        long len = Math.min(segmentBytes, opBytes - off);
        int dst = instance.gpus()[schedule.peer(op)];
        long hash = Router.flowHash(gpu, dst, flowId(options.seed(), instance.id(), s));
        int epoch = view.plan().epoch(now - originPs);
        Segment g = new Segment();
        g.instance = instance.id();
        g.srcGpu = gpu;
        g.dstGpu = dst;
        g.recvOp = schedule.matchOp(op);
        g.opOffsetBytes = off;
        g.sizeBytes = (int) len;
        g.protocolBytes = (int) timing.protocolBytes(len); // resent ops are never switch-combined (no NVLS with faults)
        g.stream = s;
        g.flowHash = hash;
        g.injectPs = e[2];
        g.sentPs = now;
        g.upstreamLp = -1;
        g.upstreamPort = -1;
        g.path = routeFrom(dst, hash, epoch);
        g.pathEpoch = epoch;
        g.hops = 0;
        g.op = op;
        retransmittedBytes += len;
        waiting[s]++;
        if (timing.streamPsPerByte() > 0) {
            readyAtPs[s] = now + (long) Math.ceil(len * timing.streamPsPerByte());
        }
        e[1] = off + len;
        if (e[1] >= opBytes) {
            resend[s].poll();
        }
        return g;
    }

    /**
     * Fault mode, receiver: whether an arriving segment is the next in its message. go-back-N accepts only that;
     * a later one is discarded and answered by one NAK per gap, an earlier one is a duplicate.
     *
     * @return 0 accept, 1 discard and send a NAK, 2 discard
     */
    int admit(Segment s) {
        int op = s.recvOp;
        long expected = arrivedBytes[op];
        if (s.opOffsetBytes == expected) {
            arrivedBytes[op] = expected + s.sizeBytes;
            nakSent[op] = false;
            return 0;
        }
        if (s.opOffsetBytes > expected && !nakSent[op]) {
            nakSent[op] = true;
            return 1;
        }
        return 2;
    }

    /** Fault mode, receiver: the offset the receive op expects next (what a NAK asks for). */
    long expectedBytes(int recvOp) {
        return arrivedBytes[recvOp];
    }

    private void senderState() {
        if (lastRewindPs == null) {
            int ops = schedule.opCount();
            lastRewindPs = new long[ops];
            Arrays.fill(lastRewindPs, Long.MIN_VALUE);
            lastRewindOffset = new long[ops];
            retries = new int[ops];
            int streams = streams();
            rewindUntil = new long[streams];
            rewindOriginPs = new long[streams];
            @SuppressWarnings("unchecked")
            java.util.ArrayDeque<long[]>[] q = new java.util.ArrayDeque[streams];
            resend = q;
        }
    }

    /**
     * Fault mode, sender: a NAK asks for op's bytes from {@code offsetBytes} again. Ignored if it answers a segment
     * sent before a go-back that already went back that far; else progress was made (the retry count restarts) and
     * the op goes back.
     */
    void onNak(Segment nak, long nowPs) {
        senderState();
        int op = nak.op;
        if (failPs >= 0 || (lastRewindPs[op] > nak.sentPs && lastRewindOffset[op] <= nak.opOffsetBytes)) {
            return;
        }
        retries[op] = 0;
        rewind(op, nak.opOffsetBytes, nak.injectPs, nowPs);
    }

    /**
     * Fault mode, sender: the ACK timeout of a lost segment expired. Ignored if a go-back since its send already
     * covers it; else one more retry, and the op goes back to it, or, with the retries used up, the rank gives up:
     * the collective fails here (NCCL reports the QP's IBV_WC_RETRY_EXC_ERR and aborts).
     *
     * @return true if the rank has just failed
     */
    boolean onTimeout(Segment lost, long nowPs) {
        senderState();
        int op = lost.op;
        if (failPs >= 0 || (lastRewindPs[op] > lost.sentPs && lastRewindOffset[op] <= lost.opOffsetBytes)) {
            return false;
        }
        if (++retries[op] > view.plan().retryCount()) {
            failPs = nowPs;
            failPeer = lost.dstGpu;
            return true;
        }
        rewind(op, lost.opOffsetBytes, lost.injectPs, nowPs);
        return false;
    }

    /** Sends op again from {@code offsetBytes} (go-back-N): the bytes from there on are queued anew. */
    private void rewind(int op, long offsetBytes, long originPs, long nowPs) {
        int s = schedule.stream(op);
        long seg = segmentBytes;
        long opBytes = schedule.bytes(op);
        long count = 0;
        boolean current = cursor[s] < streamOps[s].length && streamOps[s][cursor[s]] == op;
        if (current) {
            long next = nextOffsetBytes[s];
            if (offsetBytes < next) {
                count = (next - offsetBytes + seg - 1) / seg;
                nextOffsetBytes[s] = offsetBytes;
                rewindUntil[s] = Math.max(rewindUntil[s], next);
                rewindOriginPs[s] = originPs;
            }
        } else {
            if (resend[s] == null) {
                resend[s] = new java.util.ArrayDeque<>();
            }
            long[] found = null;
            for (long[] e : resend[s]) {
                if (e[0] == op) {
                    found = e;
                }
            }
            if (found == null) {
                count = (opBytes - offsetBytes + seg - 1) / seg;
                resend[s].add(new long[] {op, offsetBytes, originPs});
            } else if (offsetBytes < found[1]) {
                count = (found[1] - offsetBytes + seg - 1) / seg;
                found[1] = offsetBytes;
            }
        }
        if (count == 0) {
            return;
        }
        remainingSendSegments += count;
        lastRewindPs[op] = nowPs;
        lastRewindOffset[op] = offsetBytes;
        stallPs = Math.max(stallPs, nowPs - originPs);
    }

    /** Fault mode: whether this rank gave up on the collective. */
    boolean failed() {
        return failPs >= 0;
    }

    long retransmittedBytes() {
        return retransmittedBytes;
    }

    long stallPs() {
        return stallPs;
    }

    long failPs() {
        return failPs;
    }

    int failPeer() {
        return failPeer;
    }

    /**
     * The streams a receive of op {@code recvOp} may unblock, those with a send that depends on it, are {@link
     * #waiter} of {@code waitersFrom(recvOp)} up to {@code waitersFrom(recvOp + 1)}. Only a dependency waits for a
     * receive; pacing, windows and credits have their own wake-ups.
     */
    int waitersFrom(int recvOp) {
        return waiterStart[recvOp];
    }

    /** The i-th entry of the waiting streams (see {@link #waitersFrom}). */
    int waiter(int i) {
        return waiterStreams[i];
    }

    /** A segment of stream s left the egress queue for the serializer: its place in the window is free. */
    void segmentStarted(int s) {
        waiting[s]--;
    }

    /** A segment of this instance has been serialized. */
    void segmentSent() {
        remainingSendSegments--;
    }

    /** {@code count} segments of this instance have been serialized (an NVLS store and its copies). */
    void segmentsSent(int count) {
        remainingSendSegments -= count;
    }

    /**
     * Whether this segment reduces into the receiving buffer on the GPU (costs reduction time when that is
     * modelled); a sum the switch made (NVLS) arrives reduced.
     */
    boolean reduces(Segment s) {
        return schedule.reduces(s.recvOp) && s.combine != RankSchedule.COMBINE_REDUCE;
    }

    /**
     * A received segment is in (and reduced).
     *
     * @throws IllegalStateException if it is out of order or matches no receive
     */
    void applyRecv(Segment s) {
        int op = s.recvOp;
        if (schedule.isSend(op) || s.opOffsetBytes != recvDoneBytes[op]) {
            throw new IllegalStateException("GPU " + gpu + ", instance " + s.instance + ", op " + op
                    + ": segment at offset " + s.opOffsetBytes + " arrived with " + recvDoneBytes[op]
                    + " bytes received (out of order or unmatched)");
        }
        recvDoneBytes[op] += s.sizeBytes;
        remainingRecvBytes -= s.sizeBytes;
    }

    /** Whether the instance has just completed (true once: the caller ends the task). */
    boolean completeNow() {
        if (started && !done && remainingRecvBytes == 0 && remainingSendSegments == 0) {
            done = true;
            return true;
        }
        return false;
    }

    /** Reads op's dependencies into stream s's cache (the op has just become the stream's head). */
    private void loadDeps(int s, int op) {
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
    private boolean depsSatisfied(int s, long a, long b) {
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

    /** The ECMP flow id of one stream of one instance: like an NCCL channel's connection, one path per peer. */
    static long flowId(long seed, int instance, int stream) {
        return mix(seed ^ ((long) instance << 20) ^ stream);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

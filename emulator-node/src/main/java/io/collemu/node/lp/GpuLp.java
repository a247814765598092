package io.collemu.node.lp;

import io.collemu.collectives.RankSchedule;
import io.collemu.results.LatencyHistograms;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * A GPU as an LP: runs its program (collective ranks and compute spans), injects segments into its own egress
 * ports (NIC, NVLink) as the schedule's dependencies allow, segment by segment like NCCL's pipelining, receives
 * and reduces, and records each delivered segment's end-to-end latency and queueing delay.
 *
 * <pre>
 *  schedule streams --(deps met, window open)--> egress queue --serialize--> link --> switch port LPs --> GPU
 * </pre>
 */
public final class GpuLp implements Lp {
    private final int gpu;
    private final Fabric fabric;
    private final ModelOptions options;
    private final Workload workload;
    private final EgressPort[] ports;
    private final GpuTask[] tasks;
    private final int[] pendingDeps;
    private final int[][] dependents;
    private final long[] taskStartPs;
    private final long[] taskEndPs;
    private final int[] instanceKeys;
    private final int[] instanceTasks;
    private final InstanceExec[] execs;
    private final int[] pathScratch = new int[64];
    private final Histogram latencyNs = LatencyHistograms.newHistogram();
    private final Histogram queueingNs = LatencyHistograms.newHistogram();
    /** When the GPU's reduction (bound by HBM) is free again. */
    private long reduceFreePs;
    private long segmentsInjected;
    private long segmentsDelivered;
    private long bytesDelivered;
    /** Fault mode: the GPU's routing view (null: no faults), its start time, and its transport's counters. */
    private final FaultView view;
    private long originPs;
    private long segmentsDiscarded;
    private long segmentsLostAtSource;

    /**
     * GPU {@code gpu} with its egress ports and its program from the workload (none if the workload gives it none).
     *
     * @throws IllegalArgumentException if its program runs one collective instance twice
     */
    public GpuLp(int gpu, Fabric fabric, ModelOptions options, Workload workload) {
        this.gpu = gpu;
        this.fabric = fabric;
        this.options = options;
        this.workload = workload;
        Topology t = fabric.topology();
        int node = t.gpuNode(gpu);
        int n = t.portCountOf(node);
        this.ports = new EgressPort[n];
        for (int i = 0; i < n; i++) {
            ports[i] = new EgressPort(fabric, t.portOf(node, i), gpu, workload.maxProtocolBytes(options.segmentBytes()));
        }
        GpuTask[] program = gpu < workload.programs().length ? workload.programs()[gpu] : null;
        this.tasks = program == null ? new GpuTask[0] : program;
        int count = tasks.length;
        this.pendingDeps = new int[count];
        int[] dependentCount = new int[count];
        int collectives = 0;
        for (int i = 0; i < count; i++) {
            pendingDeps[i] = tasks[i].deps().length;
            for (int d : tasks[i].deps()) {
                dependentCount[d]++;
            }
            if (!tasks[i].isCompute()) {
                collectives++;
            }
        }
        this.dependents = new int[count][];
        for (int i = 0; i < count; i++) {
            dependents[i] = new int[dependentCount[i]];
        }
        int[] fill = new int[count];
        for (int i = 0; i < count; i++) {
            for (int d : tasks[i].deps()) {
                dependents[d][fill[d]++] = i;
            }
        }
        this.taskStartPs = new long[count];
        this.taskEndPs = new long[count];
        Arrays.fill(taskStartPs, -1);
        Arrays.fill(taskEndPs, -1);
        long[] keyed = new long[collectives];
        int k = 0;
        for (int i = 0; i < count; i++) {
            if (!tasks[i].isCompute()) {
                keyed[k++] = ((long) tasks[i].instance() << 32) | i;
            }
        }
        Arrays.sort(keyed);
        this.instanceKeys = new int[collectives];
        this.instanceTasks = new int[collectives];
        for (int i = 0; i < collectives; i++) {
            instanceKeys[i] = (int) (keyed[i] >>> 32);
            instanceTasks[i] = (int) keyed[i];
            if (i > 0 && instanceKeys[i] == instanceKeys[i - 1]) {
                throw new IllegalArgumentException("GPU " + gpu + " runs instance " + instanceKeys[i] + " twice");
            }
        }
        this.execs = new InstanceExec[count];
        this.view = fabric.faults().any() ? new FaultView(fabric) : null;
        if (view != null) {
            for (EgressPort p : ports) {
                p.enableFaults(view, this::dropped);
            }
        }
    }

    @Override
    public int id() {
        return gpu;
    }

    /** Schedules the tasks that depend on nothing. */
    @Override
    public void start(LpContext ctx) {
        originPs = ctx.nowPs();
        if (view != null) {
            for (EgressPort p : ports) {
                p.startFaults(ctx);
            }
        }
        for (int i = 0; i < tasks.length; i++) {
            if (pendingDeps[i] == 0) {
                ctx.schedule(Math.max(ctx.nowPs(), tasks[i].notBeforePs()), EventKinds.TASK_START, null, i);
            }
        }
    }

    @Override
    public void handle(int kind, Object payload, long aux, int srcLp, LpContext ctx) {
        switch (kind) {
            case EventKinds.DELIVER -> onDeliver((Segment) payload, ctx);
            case EventKinds.TX_DONE -> onTxDone((Segment) payload, (int) aux, ctx);
            case EventKinds.CREDIT -> {
                EgressPort p = ports[fabric.localIndexOfPort(EventKinds.creditPort(aux))];
                p.returnCredit(EventKinds.creditBytes(aux));
                kickAll(ctx);
            }
            case EventKinds.TASK_START -> startTask((int) aux, ctx);
            case EventKinds.RECV_DONE -> {
                Segment s = (Segment) payload;
                applyRecv(execForInstance(s.instance), s, ctx);
            }
            case EventKinds.COMPUTE_DONE -> endTask((int) aux, ctx);
            case EventKinds.STEP_READY -> {
                InstanceExec e = execs[(int) (aux >>> 32)];
                pumpStream(e, (int) aux, ctx);
                kickAll(ctx);
            }
            case EventKinds.LOSS -> onLoss((Segment) payload, ctx);
            case EventKinds.RTX_TIMEOUT -> {
                Segment s = (Segment) payload;
                InstanceExec e = execForInstance(s.instance);
                e.onTimeout(s, ctx.nowPs());
                resume(e, ctx);
            }
            case EventKinds.NAK -> {
                Segment nak = (Segment) payload;
                InstanceExec e = execForInstance(nak.instance);
                e.onNak(nak, ctx.nowPs());
                resume(e, ctx);
            }
            case EventKinds.FAULT_TICK -> kickAll(ctx);
            default -> throw new IllegalStateException("GPU LP " + gpu + ": unexpected event kind " + kind);
        }
    }

    private void startTask(int task, LpContext ctx) {
        taskStartPs[task] = ctx.nowPs();
        GpuTask t = tasks[task];
        if (t.isCompute()) {
            ctx.schedule(ctx.nowPs() + t.computePs(), EventKinds.COMPUTE_DONE, null, task);
            return;
        }
        InstanceExec e = exec(task);
        e.start(ctx);
        for (int s = 0; s < e.streams(); s++) {
            pumpStream(e, s, ctx);
        }
        kickAll(ctx);
        checkDone(e, ctx);
    }

    private void endTask(int task, LpContext ctx) {
        long now = ctx.nowPs();
        taskEndPs[task] = now;
        for (int d : dependents[task]) {
            if (--pendingDeps[d] == 0) {
                ctx.schedule(Math.max(now, tasks[d].notBeforePs()), EventKinds.TASK_START, null, d);
            }
        }
    }

    private InstanceExec exec(int task) {
        InstanceExec e = execs[task];
        if (e == null) {
            GpuTask t = tasks[task];
            e = new InstanceExec(workload.instances().get(t.instance()), t.rank(), task, options, gpu, fabric,
                    pathScratch, view, originPs);
            execs[task] = e;
        }
        return e;
    }

    private InstanceExec execForInstance(int instance) {
        int i = Arrays.binarySearch(instanceKeys, instance);
        if (i < 0) {
            throw new IllegalStateException("GPU " + gpu + " received a segment of instance " + instance
                    + " it does not take part in");
        }
        return exec(instanceTasks[i]);
    }

    /** Injects as many segments of stream s as its dependencies and its egress window allow. */
    private void pumpStream(InstanceExec e, int s, LpContext ctx) {
        Segment g;
        while ((g = e.takeSegment(s, ctx)) != null) {
            segmentsInjected += 1 + (g.siblings == null ? 0 : g.siblings.length);
            if (g.path == null) {
                // fault mode: no route from this GPU to the destination; lost here
                segmentsLostAtSource++;
                e.segmentStarted(g.stream);
                e.segmentSent();
                onLoss(g, ctx);
                continue;
            }
            ports[fabric.localIndexOfPort(g.path[0])].enqueue(g, ctx.nowPs());
        }
    }

    /** After a go-back: streams may have work again. */
    private void resume(InstanceExec e, LpContext ctx) {
        for (int st = 0; st < e.streams(); st++) {
            pumpStream(e, st, ctx);
        }
        kickAll(ctx);
        checkDone(e, ctx);
    }

    /** Fault mode: one of this GPU's ports lost a segment (from its queue, or on its link). */
    private void dropped(Segment s, boolean queued, LpContext ctx) {
        if (queued) {
            InstanceExec e = execForInstance(s.instance);
            e.segmentStarted(s.stream);
            e.segmentSent();
        }
        onLoss(s, ctx);
    }

    /**
     * Fault mode: a segment of ours was lost (its notice came back, or it was lost here). Its ACK timeout runs from
     * its send; the NIC retransmits then unless a NAK has made it go back already.
     */
    private void onLoss(Segment s, LpContext ctx) {
        long at = Math.max(ctx.nowPs(), s.sentPs + view.plan().ackTimeoutPs());
        ctx.schedule(at, EventKinds.RTX_TIMEOUT, s, 0);
    }

    /** Fault mode: answers a segment that arrived past a gap with a NAK along the reverse route. */
    private void sendNak(Segment s, InstanceExec e, LpContext ctx) {
        Topology t = fabric.topology();
        long hash = Router.flowHash(gpu, s.srcGpu, s.flowHash);
        int epoch = view.plan().epoch(ctx.nowPs() - originPs);
        int end = view.route(t.gpuNode(gpu), s.srcGpu, hash, epoch, pathScratch, 0);
        if (end <= 0) {
            return; // no route back: the sender's timeout will act
        }
        Segment nak = new Segment();
        nak.instance = s.instance;
        nak.srcGpu = gpu;
        nak.dstGpu = s.srcGpu;
        nak.op = s.op;
        nak.opOffsetBytes = e.expectedBytes(s.recvOp);
        nak.sentPs = s.sentPs;
        nak.injectPs = s.injectPs;
        nak.flowHash = hash;
        nak.path = Arrays.copyOf(pathScratch, end);
        nak.hops = 0;
        ports[fabric.localIndexOfPort(nak.path[0])].forwardControl(nak, ctx, fabric);
    }

    /**
     * Starts every idle port that can start; a started segment frees a place in its stream's window, which may
     * queue more work on any port, so repeat until nothing starts (at most once per port: it is then busy).
     */
    private void kickAll(LpContext ctx) {
        boolean started = true;
        while (started) {
            started = false;
            for (EgressPort p : ports) {
                if (p.tryStart(ctx)) {
                    started = true;
                    InstanceExec e = execForInstance(p.txInstance);
                    e.segmentStarted(p.txStream);
                    pumpStream(e, p.txStream, ctx);
                }
            }
        }
    }

    /** A port's serializer is free again; {@code s} is its segment in fault mode, else null (already handed on). */
    private void onTxDone(Segment s, int localPort, LpContext ctx) {
        EgressPort p = ports[localPort];
        int segments = p.txSegments; // an NVLS store's copies leave with it
        InstanceExec e = execForInstance(p.txInstance);
        boolean forwarded = p.finishTx(s, ctx);
        e.segmentsSent(segments);
        if (!forwarded) {
            onLoss(s, ctx);
        }
        kickAll(ctx);
        checkDone(e, ctx);
    }

    private void onDeliver(Segment s, LpContext ctx) {
        long now = ctx.nowPs();
        if (view != null) {
            InstanceExec e = execForInstance(s.instance);
            int verdict = e.admit(s);
            if (verdict != 0) {
                segmentsDiscarded++;
                if (verdict == 1) {
                    sendNak(s, e, ctx);
                }
                return;
            }
        }
        segmentsDelivered++;
        bytesDelivered += s.sizeBytes;
        latencyNs.recordValue((now - s.injectPs + 500) / 1000);
        queueingNs.recordValue((s.queuedPs + 500) / 1000);
        InstanceExec e = execForInstance(s.instance);
        if (options.reducePsPerByte() > 0 && e.reduces(s)) {
            // the GPU's HBM reduces one segment after another, in arrival order (so each op stays in order)
            long donePs = Math.max(now, reduceFreePs) + (long) Math.ceil(s.sizeBytes * options.reducePsPerByte());
            reduceFreePs = donePs;
            ctx.schedule(donePs, EventKinds.RECV_DONE, s, 0);
            return;
        }
        applyRecv(e, s, ctx);
    }

    private void applyRecv(InstanceExec e, Segment s, LpContext ctx) {
        e.applyRecv(s);
        if (e.started()) {
            // only a dependency waits for a receive
            for (int i = e.waitersFrom(s.recvOp), end = e.waitersFrom(s.recvOp + 1); i < end; i++) {
                pumpStream(e, e.waiter(i), ctx);
            }
            kickAll(ctx);
            checkDone(e, ctx);
        }
    }

    private void checkDone(InstanceExec e, LpContext ctx) {
        if (e.completeNow()) {
            endTask(e.task, ctx);
        }
    }

    // ---- read after the run ----

    @Override
    public LpReport report() {
        PortStats[] stats = new PortStats[ports.length];
        for (int i = 0; i < ports.length; i++) {
            stats[i] = ports[i].stats();
        }
        LpReport.FaultReport faults = null;
        if (view != null) {
            int n = tasks.length;
            long[] rtx = new long[n];
            long[] stall = new long[n];
            long[] fail = new long[n];
            int[] peer = new int[n];
            Arrays.fill(fail, -1);
            Arrays.fill(peer, -1);
            for (int i = 0; i < n; i++) {
                InstanceExec e = execs[i];
                if (e != null) {
                    rtx[i] = e.retransmittedBytes();
                    stall[i] = e.stallPs();
                    fail[i] = e.failPs();
                    peer[i] = e.failPeer();
                }
            }
            faults = new LpReport.FaultReport(rtx, stall, fail, peer, segmentsDiscarded, segmentsLostAtSource);
        }
        return new LpReport(gpu, taskStartPs.clone(), taskEndPs.clone(), latencyNs, queueingNs, stats,
                segmentsInjected, segmentsDelivered, bytesDelivered, faults);
    }
}

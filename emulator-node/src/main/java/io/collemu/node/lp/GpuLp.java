package io.collemu.node.lp;

import io.collemu.collectives.RankSchedule;
import io.collemu.node.engine.Lp;
import io.collemu.node.engine.LpContext;
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
    private final int node;
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
    private long segmentsInjected;
    private long segmentsDelivered;
    private long bytesDelivered;

    public GpuLp(int gpu, Fabric fabric, ModelOptions options, Workload workload) {
        this.gpu = gpu;
        this.fabric = fabric;
        this.options = options;
        this.workload = workload;
        Topology t = fabric.topology();
        this.node = t.gpuNode(gpu);
        int n = t.portCountOf(node);
        this.ports = new EgressPort[n];
        for (int i = 0; i < n; i++) {
            ports[i] = new EgressPort(fabric, t.portOf(node, i), gpu, options.segmentBytes());
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
    }

    @Override
    public int id() {
        return gpu;
    }

    /** Schedules the tasks that depend on nothing. */
    public void start(LpContext ctx) {
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
        e.started = true;
        for (int s = 0; s < e.streams(); s++) {
            beginOp(e, s, ctx);
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
            e = new InstanceExec(workload.instances().get(t.instance()), t.rank(), task, options.segmentBytes());
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

    /** Caches the facts of a stream's current send op (destination, flow hash) and applies the step latency. */
    private void beginOp(InstanceExec e, int s, LpContext ctx) {
        if (e.cursor[s] >= e.streamOps[s].length) {
            return;
        }
        int op = e.streamOps[s][e.cursor[s]];
        e.curMatchOp[s] = e.schedule.matchOp(op);
        e.loadDeps(s, op);
        int dst = e.instance.gpus()[e.schedule.peer(op)];
        if (e.curPath[s] == null || e.curDstGpu[s] != dst) {
            e.curDstGpu[s] = dst;
            long flowId = flowId(options.seed(), e.instance.id(), s);
            e.curFlowHash[s] = Router.flowHash(gpu, dst, flowId);
            int hops = fabric.router().path(gpu, dst, flowId, pathScratch);
            e.curPath[s] = Arrays.copyOf(pathScratch, hops);
        }
        if (options.stepLatencyPs() > 0) {
            e.readyAtPs[s] = ctx.nowPs() + options.stepLatencyPs();
            ctx.schedule(e.readyAtPs[s], EventKinds.STEP_READY, null, ((long) e.task << 32) | s);
        }
    }

    /** Injects as many segments of stream s as its dependencies and its egress window allow. */
    private void pumpStream(InstanceExec e, int s, LpContext ctx) {
        if (!e.started) {
            return;
        }
        RankSchedule rs = e.schedule;
        int[] ops = e.streamOps[s];
        long now = ctx.nowPs();
        while (e.cursor[s] < ops.length && e.waiting[s] < options.maxWaitingPerStream() && now >= e.readyAtPs[s]) {
            int op = ops[e.cursor[s]];
            long opBytes = rs.bytes(op);
            long off = e.nextOffsetBytes[s];
            long len = Math.min(e.segmentBytes, opBytes - off);
            long a = rs.offsetBytes(op) + off;
            if (!e.depsSatisfied(s, a, a + len)) {
                return;
            }
            e.segmentAdvanced(s);
            Segment g = new Segment();
            g.instance = e.instance.id();
            g.srcGpu = gpu;
            g.dstGpu = e.curDstGpu[s];
            g.recvOp = e.curMatchOp[s];
            g.opOffsetBytes = off;
            g.sizeBytes = (int) len;
            g.stream = s;
            g.flowHash = e.curFlowHash[s];
            g.injectPs = now;
            g.upstreamLp = -1;
            g.upstreamPort = -1;
            g.path = e.curPath[s];
            g.hops = 0;
            ports[fabric.localIndexOfPort(g.path[0])].enqueue(g, now);
            segmentsInjected++;
            e.waiting[s]++;
            if (off + len == opBytes) {
                e.cursor[s]++;
                e.nextOffsetBytes[s] = 0;
                beginOp(e, s, ctx);
            } else {
                e.nextOffsetBytes[s] = off + len;
            }
        }
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
                Segment s = p.tryStart(ctx);
                if (s != null) {
                    started = true;
                    InstanceExec e = execForInstance(s.instance);
                    e.waiting[s.stream]--;
                    pumpStream(e, s.stream, ctx);
                }
            }
        }
    }

    private void onTxDone(Segment s, int localPort, LpContext ctx) {
        int instance = s.instance;
        EgressPort p = ports[localPort];
        p.finishTx(s, ctx, fabric);
        InstanceExec e = execForInstance(instance);
        e.remainingSendSegments--;
        kickAll(ctx);
        checkDone(e, ctx);
    }

    private void onDeliver(Segment s, LpContext ctx) {
        long now = ctx.nowPs();
        segmentsDelivered++;
        bytesDelivered += s.sizeBytes;
        latencyNs.recordValue((now - s.injectPs + 500) / 1000);
        queueingNs.recordValue((s.queuedPs + 500) / 1000);
        InstanceExec e = execForInstance(s.instance);
        if (options.reducePsPerByte() > 0 && e.schedule.reduces(s.recvOp)) {
            long reducePs = (long) Math.ceil(s.sizeBytes * options.reducePsPerByte());
            ctx.schedule(now + reducePs, EventKinds.RECV_DONE, s, 0);
            return;
        }
        applyRecv(e, s, ctx);
    }

    private void applyRecv(InstanceExec e, Segment s, LpContext ctx) {
        int op = s.recvOp;
        if (e.schedule.isSend(op) || s.opOffsetBytes != e.recvDoneBytes[op]) {
            throw new IllegalStateException("GPU " + gpu + ", instance " + s.instance + ", op " + op
                    + ": segment at offset " + s.opOffsetBytes + " arrived with " + e.recvDoneBytes[op]
                    + " bytes received (out of order or unmatched)");
        }
        e.recvDoneBytes[op] += s.sizeBytes;
        e.remainingRecvBytes -= s.sizeBytes;
        if (e.started) {
            for (int st = 0; st < e.streams(); st++) {
                pumpStream(e, st, ctx);
            }
            kickAll(ctx);
            checkDone(e, ctx);
        }
    }

    private void checkDone(InstanceExec e, LpContext ctx) {
        if (e.started && !e.done && e.remainingRecvBytes == 0 && e.remainingSendSegments == 0) {
            e.done = true;
            endTask(e.task, ctx);
        }
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

    // ---- read after the run ----

    public LpReport report() {
        PortStats[] stats = new PortStats[ports.length];
        for (int i = 0; i < ports.length; i++) {
            stats[i] = ports[i].stats();
        }
        return new LpReport(gpu, taskStartPs.clone(), taskEndPs.clone(), latencyNs, queueingNs, stats,
                segmentsInjected, segmentsDelivered, bytesDelivered);
    }

    public GpuTask[] tasks() {
        return tasks;
    }

    public long taskStartPs(int task) {
        return taskStartPs[task];
    }

    public long taskEndPs(int task) {
        return taskEndPs[task];
    }

    public Histogram latencyNs() {
        return latencyNs;
    }

    public Histogram queueingNs() {
        return queueingNs;
    }

    public EgressPort[] ports() {
        return ports;
    }

    public long segmentsInjected() {
        return segmentsInjected;
    }

    public long segmentsDelivered() {
        return segmentsDelivered;
    }

    public long bytesDelivered() {
        return bytesDelivered;
    }
}

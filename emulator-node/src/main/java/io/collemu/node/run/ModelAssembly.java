package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Schedule;
import io.collemu.collectives.algo.Schedules;
import io.collemu.collectives.nccl.NcclFunction;
import io.collemu.collectives.nccl.NcclTuningTable;
import io.collemu.node.cluster.ModelFactory;
import io.collemu.node.engine.Job;
import io.collemu.node.lp.CollectiveInstance;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.GpuTask;
import io.collemu.node.lp.InstanceTiming;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.Workload;
import io.collemu.profiles.Plan;
import io.collemu.profiles.PlanBuilder;
import io.collemu.profiles.PlannedCollective;
import io.collemu.profiles.PlannedTask;
import io.collemu.profiles.spec.Profile;
import io.collemu.topology.model.GpuModel;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import io.collemu.topology.route.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where a run's model is put together, for local runs and for cluster members alike: the topology
 * (a profile's own fabric when the user named none), the fabric with its routing (and, in the nccl mode, each link's
 * data efficiency), the GPU preset, and the jobs: one per sweep step (each size's iterations back to back on every
 * GPU), or one for a profile's plan. In the nccl mode each collective runs what NCCL would run
 * ({@link NcclPlanner}: its schedule with its channel layout, its protocol and latencies); in the ideal mode today's
 * alpha-beta machine (ranks in rail-aware order, no overhead). Every job carries the recipe from which
 * {@link #factory()} rebuilds it on another member.
 *
 * <pre>
 *   TopologySource --parse--> Topology --Router, efficiencies--> Fabric --+
 *   SweepSpec  --(kind, size)--> Step (schedule, timing, choice) --back to back--> Workload --> Job (+ recipe)
 *   ProfileSpec --load--> Profile --PlanBuilder--> Plan --(re-planned by NCCL)--> Workload --> Job (+ recipe)
 * </pre>
 *
 * <p>Not thread-safe (the planner's cache); one per run, or per member.
 */
public final class ModelAssembly {
    private final TopologySource source;
    private final WorkloadSpec workload;
    private final ModelOptions options;
    private final Fidelity fidelity;
    private final Topology topology;
    private final Fabric fabric;
    private final GpuModel gpu;
    private final NcclPlanner planner;
    private final Profile profile;
    private final Plan plan;
    private final FaultSettings faults;

    /** One sweep step: what runs and how, and what NCCL chose. */
    public record Step(Schedule schedule, InstanceTiming timing, SizeRun.StepChoice choice) {
    }

    private ModelAssembly(TopologySource source, WorkloadSpec workload, ModelOptions options, Fidelity fidelity,
            Profile profile, Fabric fabric, FaultSettings faults) {
        this.source = source;
        this.workload = workload;
        this.fidelity = fidelity;
        this.profile = profile;
        this.faults = faults;
        this.fabric = fabric != null ? fabric : withFaults(fabricOf(source, fidelity), faults, options.seed());
        this.topology = this.fabric.topology();
        this.gpu = gpuOf(topology, fidelity);
        this.options = fidelity.gpuReduce() && options.reducePsPerByte() == 0 && fidelity.nccl()
                ? new ModelOptions(options.segmentBytes(), gpu.reducePsPerByte(), options.stepLatencyPs(),
                        options.maxWaitingPerStream(), options.seed())
                : options;
        this.planner = fidelity.nccl() ? new NcclPlanner(this.fabric, gpu, fidelity) : null;
        this.plan = profile == null ? null
                : PlanBuilder.build(profile, topology.gpuCount(), topology.gpusPerServer(), options.seed());
    }

    /**
     * Parses the topology and the profile and checks that every sweep step has a schedule.
     *
     * @throws RuntimeException a one-line user error (topology, profile or collective) if anything is invalid
     */
    public static ModelAssembly of(TopologySource source, WorkloadSpec workload, ModelOptions options,
            Fidelity fidelity) {
        return of(source, workload, options, fidelity, FaultSettings.NONE);
    }

    /**
     * As {@link #of(TopologySource, WorkloadSpec, ModelOptions, Fidelity)}, with faults resolved against the fabric.
     *
     * @throws RuntimeException a one-line user error, also for a fault naming what the fabric does not have
     */
    public static ModelAssembly of(TopologySource source, WorkloadSpec workload, ModelOptions options,
            Fidelity fidelity, FaultSettings faults) {
        Profile profile = workload instanceof ProfileSpec p ? p.load() : null;
        TopologySource resolved = source;
        if (profile != null && !source.explicit() && profile.fabric() != null && !profile.fabric().isBlank()) {
            resolved = source.withSpec(profile.fabric());
        }
        ModelAssembly a = new ModelAssembly(resolved, workload, options, fidelity, profile, null, faults);
        if (workload instanceof SweepSpec sweep) {
            for (CollectiveKind k : sweep.kinds()) {
                a.step(sweep, k, sweep.sizesBytes().get(0));
            }
        }
        return a;
    }

    /** The assembly of {@code settings}' topology, workload, model and fidelity. */
    public static ModelAssembly of(RunSettings settings) {
        return of(settings.topology(), settings.workload(), settings.model(), settings.fidelity(), settings.faults());
    }

    private static Fabric withFaults(Fabric f, FaultSettings faults, long seed) {
        return faults.any() ? f.withFaults(FaultPlans.build(faults, f.topology(), seed)) : f;
    }

    /** The faults of this assembly's runs. */
    public FaultSettings faults() {
        return faults;
    }

    private static Fabric fabricOf(TopologySource source, Fidelity fidelity) {
        Topology t = source.parse();
        double[] efficiency = null;
        if (fidelity.nccl()) {
            efficiency = new double[t.portCount()];
            for (int p = 0; p < efficiency.length; p++) {
                efficiency[p] = t.portDataEfficiency(p);
            }
            capAtPcie(t, gpuOf(t, fidelity), efficiency);
        }
        try {
            return new Fabric(t, new Router(t, source.routing()), efficiency);
        } catch (IllegalArgumentException e) {
            throw new TopologyException(e.getMessage());
        }
    }

    /**
     * A GPU reaches its NIC over PCIe, so no link between a GPU and the network carries more payload per second
     * than the GPU's PCIe path, in either direction: on H100 (Gen5 x16, 48 GB/s as NCCL's topology search counts
     * it, {@code src/graph/topo.cc} of NCCL v2.30.7-1) an 800G NIC (98 GB/s of payload) is PCIe-bound, on B200
     * (Gen6, 96 GB/s) it is not. NCCL's tuner already caps a ring's channels there; this caps every transfer
     * (point-to-point and PXN too), as the hardware does. Applied as a lower data efficiency on both directions
     * of the GPU's non-NVLink links: the serialization then takes as long as the PCIe transfer would.
     */
    static void capAtPcie(Topology t, GpuModel gpu, double[] efficiency) {
        double pcieBps = gpu.pcieGBps() * 8e9;
        for (int g = 0; g < t.gpuCount(); g++) {
            int node = t.gpuNode(g);
            for (int i = 0; i < t.portCountOf(node); i++) {
                int out = t.portOf(node, i);
                if (t.portNearEnd(out).technology() == LinkTechnology.NVLINK) {
                    continue;
                }
                cap(t, out, pcieBps, efficiency);
                int peer = t.portPeer(out);
                for (int j = 0; j < t.portCountOf(peer); j++) {
                    int in = t.portOf(peer, j);
                    if (t.portPeer(in) == node) {
                        cap(t, in, pcieBps, efficiency);
                    }
                }
            }
        }
    }

    private static void cap(Topology t, int port, double pcieBps, double[] efficiency) {
        efficiency[port] = Math.min(efficiency[port], pcieBps / t.portRateBps(port));
    }

    /** The GPU preset named by {@code --gpu}, else the one the fabric's NVLink implies (NVLink 5: B200). */
    private static GpuModel gpuOf(Topology t, Fidelity fidelity) {
        if (fidelity.gpu() != null) {
            return GpuModel.get(fidelity.gpu());
        }
        for (int p = 0; p < t.portCount(); p++) {
            if (t.portNearEnd(p).technology() == LinkTechnology.NVLINK) {
                return GpuModel.forScaleUp(t.portNearEnd(p));
            }
        }
        return GpuModel.H100;
    }

    /** The topology, as resolved (a profile's own fabric when the user named none). */
    public Topology topology() {
        return topology;
    }

    /** The fabric every job of this assembly shares. */
    public Fabric fabric() {
        return fabric;
    }

    /** The GPU preset the nccl mode models. */
    public GpuModel gpu() {
        return gpu;
    }

    /** The source of the topology, as resolved. */
    public TopologySource source() {
        return source;
    }

    /** The model's options (in the nccl mode with the GPU's reduction cost). */
    public ModelOptions options() {
        return options;
    }

    /** The profile's plan, or null for a sweep. */
    public Plan plan() {
        return plan;
    }

    /** The profile, or null for a sweep. */
    public Profile profile() {
        return profile;
    }

    /** The schedule of one sweep step over all GPUs of the fabric. */
    public Schedule schedule(SweepSpec sweep, CollectiveKind kind, long sizeBytes) {
        return step(sweep, kind, sizeBytes).schedule();
    }

    /** What one sweep step runs over every GPU: NCCL's plan in the nccl mode, the ideal schedule otherwise. */
    public Step step(SweepSpec sweep, CollectiveKind kind, long sizeBytes) {
        int n = topology.gpuCount();
        long[] matrix = kind == CollectiveKind.ALL_TO_ALL_V
                ? PairPatterns.matrix(sizeBytes, n, sweep.skew(), options.seed()) : null;
        int[] pairs = kind == CollectiveKind.SEND_RECV ? PairPatterns.pairs(sweep.pattern(), n) : null;
        if (planner != null) {
            NcclPlanner.Plan p = planner.plan(kind, sweep.algorithm(), sweep.channels(), sizeBytes, sweep.root(),
                    identity(n), matrix, pairs);
            return new Step(p.schedule(), p.timing(), new SizeRun.StepChoice(p.algorithm(), p.protocol(),
                    p.channels(), p.modelUs(), tuningTable(kind, sizeBytes, p), p.ncclPick()));
        }
        CollectiveRequest request = new CollectiveRequest(kind, sweep.algorithm(), sizeBytes, n,
                Math.max(1, sweep.channels()), sweep.root(), topology.gpusPerServer(), matrix, pairs);
        Schedule s = Schedules.of(request);
        return new Step(s, InstanceTiming.IDEAL, new SizeRun.StepChoice(s.algorithm(), "-",
                s.request().channels(), 0, ""));
    }

    private String tuningTable(CollectiveKind kind, long sizeBytes, NcclPlanner.Plan p) {
        if (p.choice() == null) {
            return "";
        }
        int[] all = identity(topology.gpuCount());
        var tuner = planner.tuner(planner.layout(all), all);
        NcclFunction fn = NcclFunction.of(kind).orElseThrow();
        return NcclTuningTable.format(tuner, fn, fn.ncclBytesOfTestSize(sizeBytes, NcclPlanner.ELEMENT_BYTES,
                topology.gpuCount()), "# ");
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** The job of one sweep step: {@code iterations} calls of the step back to back from {@code startPs}. */
    public Job sweepJob(SweepSpec sweep, CollectiveKind kind, long sizeBytes, Step step, long startPs) {
        int[] rankToGpu = fidelity.nccl() ? identity(topology.gpuCount()) : RankOrder.railAware(topology);
        Workload w = backToBack(step.schedule(), step.timing(), rankToGpu, topology.gpuCount(), sweep.iterations(),
                startPs);
        ModelRecipe recipe = new ModelRecipe(source, options, fidelity, sweep, kind, sizeBytes, null, startPs, faults);
        return new Job(fabric, w, options, startPs, recipe.encode());
    }

    /** The job of the profile's plan, from time 0. */
    public Job profileJob() {
        if (plan == null) {
            throw new IllegalStateException("not a profile run");
        }
        ModelRecipe recipe = new ModelRecipe(source, options, fidelity, null, null, 0, (ProfileSpec) workload, 0, faults);
        return new Job(fabric, workloadOf(plan, topology.gpuCount()), options, 0, recipe.encode());
    }

    /** The protocol each planned collective of the profile runs with (by collective id). */
    public List<String> profileProtocols() {
        List<String> out = new ArrayList<>();
        for (PlannedCollective c : plan.collectives()) {
            out.add(planner == null ? "-" : planCollective(c).protocol());
        }
        return out;
    }

    /**
     * Rebuilds jobs from recipes on a cluster member. It keeps the fabric of the last recipe and reuses it while
     * the topology source and fidelity stay the same (a sweep's steps share it).
     */
    public static ModelFactory factory() {
        return new ModelFactory() {
            private TopologySource lastSource;
            private Fidelity lastFidelity;
            private Fabric lastFabric;
            private FaultSettings lastFaults;

            @Override
            public synchronized Job job(byte[] bytes) {
                ModelRecipe r = ModelRecipe.decode(bytes);
                boolean same = r.topology().equals(lastSource) && r.fidelity().equals(lastFidelity)
                        && r.faults().equals(lastFaults);
                ModelAssembly a = new ModelAssembly(r.topology(), r.sweep() != null ? r.sweep() : r.profile(),
                        r.options(), r.fidelity(), r.profile() == null ? null : r.profile().load(),
                        same ? lastFabric : null, r.faults());
                lastSource = r.topology();
                lastFidelity = r.fidelity();
                lastFaults = r.faults();
                lastFabric = a.fabric;
                if (r.sweep() == null) {
                    return a.profileJob();
                }
                return a.sweepJob(r.sweep(), r.kind(), r.sizeBytes(), a.step(r.sweep(), r.kind(), r.sizeBytes()),
                        r.startPs());
            }
        };
    }

    /** Workload of {@code iterations} back-to-back calls of one schedule, rank r on GPU rankToGpu[r]. */
    static Workload backToBack(Schedule schedule, InstanceTiming timing, int[] rankToGpu, int gpus, int iterations,
            long startPs) {
        List<CollectiveInstance> instances = new ArrayList<>();
        for (int it = 0; it < iterations; it++) {
            instances.add(new CollectiveInstance(it, "", schedule.request().kind().cliName(), it, schedule,
                    rankToGpu, timing));
        }
        GpuTask[][] programs = new GpuTask[gpus][];
        for (int g = 0; g < gpus; g++) {
            programs[g] = new GpuTask[0];
        }
        for (int r = 0; r < schedule.ranks(); r++) {
            GpuTask[] tasks = new GpuTask[iterations];
            for (int it = 0; it < iterations; it++) {
                tasks[it] = GpuTask.collective(it, r, it == 0 ? new int[0] : new int[] {it - 1}, startPs);
            }
            programs[rankToGpu[r]] = tasks;
        }
        return new Workload(instances, programs);
    }

    /** NCCL's plan for one planned collective of a profile, on its own communicator. */
    private NcclPlanner.Plan planCollective(PlannedCollective c) {
        CollectiveRequest q = c.schedule().request();
        return planner.plan(q.kind(), "auto", 0, q.sizeBytes(), q.root(), c.gpus(), q.pairBytes(), q.pairs());
    }

    /**
     * The plan as the engine's workload: instance i is plan collective i, a GPU's tasks in plan order. In the
     * nccl mode each collective is re-planned as NCCL would run it on its communicator.
     */
    Workload workloadOf(Plan p, int gpus) {
        List<CollectiveInstance> instances = new ArrayList<>(p.collectives().size());
        for (PlannedCollective c : p.collectives()) {
            if (planner == null) {
                instances.add(new CollectiveInstance(c.id(), c.job(), c.op(), c.iteration(), c.schedule(),
                        c.gpus()));
            } else {
                NcclPlanner.Plan n = planCollective(c);
                instances.add(new CollectiveInstance(c.id(), c.job(), c.op(), c.iteration(), n.schedule(), c.gpus(),
                        n.timing()));
            }
        }
        GpuTask[][] programs = new GpuTask[gpus][];
        for (int g = 0; g < gpus; g++) {
            List<PlannedTask> tasks = g < p.tasksByGpu().size() ? p.tasksByGpu().get(g) : List.of();
            GpuTask[] program = new GpuTask[tasks.size()];
            for (int i = 0; i < program.length; i++) {
                PlannedTask t = tasks.get(i);
                program[i] = t.isCompute() ? GpuTask.compute(t.computePs(), t.deps(), 0)
                        : GpuTask.collective(t.collective(), t.rank(), t.deps(), 0);
            }
            programs[g] = program;
        }
        return new Workload(instances, programs);
    }
}

package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;
import io.collemu.collectives.algo.Schedules;
import io.collemu.node.cluster.ModelFactory;
import io.collemu.node.engine.Job;
import io.collemu.node.lp.CollectiveInstance;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.GpuTask;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.Workload;
import io.collemu.profiles.Plan;
import io.collemu.profiles.PlanBuilder;
import io.collemu.profiles.PlannedCollective;
import io.collemu.profiles.PlannedTask;
import io.collemu.profiles.spec.Profile;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where a run's model is put together, for local runs and for cluster members alike: the topology
 * (a profile's own fabric when the user named none), the fabric with its routing, and the jobs: one per sweep step
 * (each size's iterations back to back on every GPU, ranks in rail-aware order), or one for a profile's plan.
 * Every job carries the recipe from which {@link #factory()} rebuilds it on another member.
 *
 * <pre>
 *   TopologySource --parse--> Topology --Router--> Fabric --+
 *   SweepSpec  --(kind, size)--> Schedule --back to back--> Workload --> Job (+ recipe)
 *   ProfileSpec --load--> Profile --PlanBuilder--> Plan --------> Workload --> Job (+ recipe)
 * </pre>
 *
 * <p>Immutable after construction; its jobs share the fabric read-only.
 */
public final class ModelAssembly {
    private final TopologySource source;
    private final WorkloadSpec workload;
    private final ModelOptions options;
    private final Topology topology;
    private final Fabric fabric;
    private final Profile profile;
    private final Plan plan;

    private ModelAssembly(TopologySource source, WorkloadSpec workload, ModelOptions options, Profile profile,
            Fabric fabric) {
        this.source = source;
        this.workload = workload;
        this.options = options;
        this.profile = profile;
        this.fabric = fabric != null ? fabric : fabricOf(source);
        this.topology = this.fabric.topology();
        this.plan = profile == null ? null
                : PlanBuilder.build(profile, topology.gpuCount(), topology.gpusPerServer(), options.seed());
    }

    /**
     * Parses the topology and the profile and checks that every sweep step has a schedule.
     *
     * @throws RuntimeException a one-line user error (topology, profile or collective) if anything is invalid
     */
    public static ModelAssembly of(TopologySource source, WorkloadSpec workload, ModelOptions options) {
        Profile profile = workload instanceof ProfileSpec p ? p.load() : null;
        TopologySource resolved = source;
        if (profile != null && !source.explicit() && profile.fabric() != null && !profile.fabric().isBlank()) {
            resolved = source.withSpec(profile.fabric());
        }
        ModelAssembly a = new ModelAssembly(resolved, workload, options, profile, null);
        if (workload instanceof SweepSpec sweep) {
            for (CollectiveKind k : sweep.kinds()) {
                a.schedule(sweep, k, sweep.sizesBytes().get(0));
            }
        }
        return a;
    }

    /** The assembly of {@code settings}' topology, workload and model. */
    public static ModelAssembly of(RunSettings settings) {
        return of(settings.topology(), settings.workload(), settings.model());
    }

    private static Fabric fabricOf(TopologySource source) {
        Topology t = source.parse();
        try {
            return new Fabric(t, new Router(t, source.routing()));
        } catch (IllegalArgumentException e) {
            throw new io.collemu.topology.model.TopologyException(e.getMessage());
        }
    }

    /** The topology, as resolved (a profile's own fabric when the user named none). */
    public Topology topology() {
        return topology;
    }

    /** The fabric every job of this assembly shares. */
    public Fabric fabric() {
        return fabric;
    }

    /** The source of the topology, as resolved. */
    public TopologySource source() {
        return source;
    }

    /** The model's options. */
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
        int n = topology.gpuCount();
        long[] matrix = kind == CollectiveKind.ALL_TO_ALL_V
                ? PairPatterns.matrix(sizeBytes, n, sweep.skew(), options.seed()) : null;
        int[] pairs = kind == CollectiveKind.SEND_RECV ? PairPatterns.pairs(sweep.pattern(), n) : null;
        CollectiveRequest request = new CollectiveRequest(kind, sweep.algorithm(), sizeBytes, n, sweep.channels(),
                sweep.root(), topology.gpusPerServer(), matrix, pairs);
        return Schedules.of(request);
    }

    /** The job of one sweep step: {@code iterations} calls of {@code schedule} back to back from {@code startPs}. */
    public Job sweepJob(SweepSpec sweep, CollectiveKind kind, long sizeBytes, Schedule schedule, long startPs) {
        Workload w = backToBack(schedule, RankOrder.railAware(topology), topology.gpuCount(), sweep.iterations(),
                startPs);
        ModelRecipe recipe = new ModelRecipe(source, options, sweep, kind, sizeBytes, null, startPs);
        return new Job(fabric, w, options, startPs, recipe.encode());
    }

    /** The job of the profile's plan, from time 0. */
    public Job profileJob() {
        if (plan == null) {
            throw new IllegalStateException("not a profile run");
        }
        ModelRecipe recipe = new ModelRecipe(source, options, null, null, 0, (ProfileSpec) workload, 0);
        return new Job(fabric, workloadOf(plan, topology.gpuCount()), options, 0, recipe.encode());
    }

    /**
     * Rebuilds jobs from recipes on a cluster member. It keeps the fabric of the last recipe and reuses it while
     * the topology source stays the same (a sweep's steps share it).
     */
    public static ModelFactory factory() {
        return new ModelFactory() {
            private TopologySource lastSource;
            private Fabric lastFabric;

            @Override
            public synchronized Job job(byte[] bytes) {
                ModelRecipe r = ModelRecipe.decode(bytes);
                Fabric fabric = r.topology().equals(lastSource) ? lastFabric : null;
                ModelAssembly a = new ModelAssembly(r.topology(), r.sweep() != null ? r.sweep() : r.profile(),
                        r.options(), r.profile() == null ? null : r.profile().load(), fabric);
                lastSource = r.topology();
                lastFabric = a.fabric;
                if (r.sweep() == null) {
                    return a.profileJob();
                }
                Schedule s = a.schedule(r.sweep(), r.kind(), r.sizeBytes());
                return a.sweepJob(r.sweep(), r.kind(), r.sizeBytes(), s, r.startPs());
            }
        };
    }

    /** Workload of {@code iterations} back-to-back calls of one schedule, rank r on GPU rankToGpu[r]. */
    static Workload backToBack(Schedule schedule, int[] rankToGpu, int gpus, int iterations, long startPs) {
        List<CollectiveInstance> instances = new ArrayList<>();
        for (int it = 0; it < iterations; it++) {
            instances.add(new CollectiveInstance(it, "", schedule.request().kind().cliName(), it, schedule,
                    rankToGpu));
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

    /** The plan as the engine's workload: instance i is plan collective i, a GPU's tasks in plan order. */
    static Workload workloadOf(Plan plan, int gpus) {
        List<CollectiveInstance> instances = new ArrayList<>(plan.collectives().size());
        for (PlannedCollective c : plan.collectives()) {
            instances.add(new CollectiveInstance(c.id(), c.job(), c.op(), c.iteration(), c.schedule(), c.gpus()));
        }
        GpuTask[][] programs = new GpuTask[gpus][];
        for (int g = 0; g < gpus; g++) {
            List<PlannedTask> tasks = g < plan.tasksByGpu().size() ? plan.tasksByGpu().get(g) : List.of();
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

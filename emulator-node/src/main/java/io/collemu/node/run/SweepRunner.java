package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.CollectiveInstance;
import io.collemu.node.cluster.ModelRecipe;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.Model;
import io.collemu.node.lp.GpuTask;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a sweep as nccl-tests does: one (collective, size) after another, each size's iterations back to back on
 * every GPU, a barrier between sizes. Each size is its own emulation on an idle fabric, placed on one virtual
 * timeline (a size starts where the previous one ended).
 */
public final class SweepRunner {
    private final Fabric fabric;
    private final ModelOptions options;
    private final Engine engine;
    private final TopologySource source;

    /**
     * Where the topology came from, so that other cluster members can build the same one.
     *
     * @param yaml the file's text when the topology is a YAML file, else null
     */
    public record TopologySource(String spec, String yaml, String link, String routing) {
    }

    public SweepRunner(Fabric fabric, ModelOptions options, Engine engine) {
        this(fabric, options, engine, null);
    }

    public SweepRunner(Fabric fabric, ModelOptions options, Engine engine, TopologySource source) {
        this.fabric = fabric;
        this.options = options;
        this.engine = engine;
        this.source = source;
    }

    /** The schedule of one sweep step over all GPUs of the fabric. */
    public Schedule schedule(SweepSpec spec, CollectiveKind kind, long sizeBytes) {
        int gpus = fabric.gpuCount();
        CollectiveRequest request = new CollectiveRequest(kind, spec.algorithm(), sizeBytes, gpus, spec.channels(),
                spec.root(), fabric.topology().gpusPerServer(), null, null);
        return Collectives.schedule(request);
    }

    /** Workload of {@code iterations} back-to-back calls of one schedule, rank r on GPU r. */
    public static Workload backToBack(Schedule schedule, int gpus, int iterations, long startPs) {
        int[] identity = new int[schedule.ranks()];
        for (int r = 0; r < identity.length; r++) {
            identity[r] = r;
        }
        return backToBack(schedule, identity, gpus, iterations, startPs);
    }

    /** Workload of {@code iterations} back-to-back calls of one schedule, rank r on GPU rankToGpu[r]. */
    public static Workload backToBack(Schedule schedule, int[] rankToGpu, int gpus, int iterations, long startPs) {
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

    /** Runs every step; {@code afterEach} sees each step as it completes (for progress and partial output). */
    public List<SizeRun> run(SweepSpec spec, Progress progress, Consumer<SizeRun> afterEach) {
        List<SizeRun> out = new ArrayList<>();
        long t = 0;
        for (CollectiveKind kind : spec.kinds()) {
            for (long size : spec.sizesBytes()) {
                Schedule schedule = schedule(spec, kind, size);
                Workload w = backToBack(schedule, RankOrder.railAware(fabric.topology()), fabric.gpuCount(),
                        spec.iterations(), t);
                ModelRecipe recipe = source == null ? null : new ModelRecipe(source.spec(), source.yaml(),
                        source.link(), source.routing(), kind.cliName(), spec.algorithm(), size, spec.channels(),
                        spec.iterations(), spec.root(), options.segmentBytes(), options.reducePsPerByte(),
                        options.stepLatencyPs(), options.maxWaitingPerStream(), options.seed(), t);
                ExecutionResult r = Emulation.execute(new Model(fabric, w, options, recipe), engine, t, progress);
                SizeRun run = new SizeRun(kind, size, schedule, spec.iterations(), r);
                out.add(run);
                afterEach.accept(run);
                t = r.endPs();
            }
        }
        return out;
    }
}

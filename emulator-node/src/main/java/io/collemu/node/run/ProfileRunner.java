package io.collemu.node.run;

import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.CollectiveInstance;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.GpuTask;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.Model;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.Workload;
import io.collemu.profiles.IterationResult;
import io.collemu.profiles.OpResult;
import io.collemu.profiles.Plan;
import io.collemu.profiles.PlannedCollective;
import io.collemu.profiles.PlannedTask;
import io.collemu.profiles.ProfileResults;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a load profile: its plan (every GPU's DAG of collectives and compute, for every job and iteration)
 * becomes one emulation on one timeline, several jobs sharing the fabric; the results are per job and iteration.
 */
public final class ProfileRunner {
    private ProfileRunner() {
    }

    /** What a profile run measured. */
    public record ProfileRun(Plan plan, ExecutionResult result, List<IterationResult> iterations,
            List<OpResult> ops) {
    }

    /** The plan as the engine's workload: instance i is plan collective i, a GPU's tasks in plan order. */
    public static Workload workload(Plan plan, int gpus) {
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

    public static ProfileRun run(Fabric fabric, Plan plan, ModelOptions options, Engine engine, Progress progress) {
        Workload w = workload(plan, fabric.gpuCount());
        ExecutionResult r = Emulation.execute(new Model(fabric, w, options), engine, 0, progress);
        int gpus = fabric.gpuCount();
        long[][] starts = new long[gpus][];
        long[][] ends = new long[gpus][];
        for (int g = 0; g < gpus; g++) {
            LpReport rep = r.reports()[g];
            starts[g] = rep.taskStartPs();
            ends[g] = rep.taskEndPs();
        }
        return new ProfileRun(plan, r, ProfileResults.iterations(plan, starts, ends),
                ProfileResults.ops(plan, r.instanceStartPs(), r.instanceEndPs()));
    }
}

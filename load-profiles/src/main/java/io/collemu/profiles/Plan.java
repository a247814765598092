package io.collemu.profiles;

import io.collemu.profiles.spec.Profile;
import java.util.List;

/**
 * A profile bound to a fabric: every collective instance and what every GPU runs. Built by {@link PlanBuilder}.
 *
 * <pre>
 *   Profile --PlanBuilder.build(gpuCount, gpusPerServer, seed)--> Plan
 *      collectives[c]      : PlannedCollective (Schedule + rank -> global GPU)
 *      tasksByGpu[g][i]    : PlannedTask (compute, or GPU g's part of collective c), deps into tasksByGpu[g]
 *   engine runs it, records task start/end --> ProfileResults.iterations / ops
 * </pre>
 *
 * <p>Immutable by convention (lists are unmodifiable; arrays inside records are shared, not to be modified);
 * safe to read from several threads.
 *
 * @param collectives every collective instance, {@code collectives.get(c).id() == c}
 * @param tasksByGpu  index = global GPU {@code 0..gpuCount-1}; empty list for idle GPUs; each list is in a
 *                    topological order (a task's deps are smaller indices of the same list)
 * @param jobs        the jobs, in profile order
 */
public record Plan(List<PlannedCollective> collectives, List<List<PlannedTask>> tasksByGpu, List<JobInfo> jobs) {

    public Plan {
        collectives = List.copyOf(collectives);
        tasksByGpu = tasksByGpu.stream().map(List::copyOf).toList();
        jobs = List.copyOf(jobs);
    }

    /** @return total number of tasks over all GPUs */
    public long taskCount() {
        long n = 0;
        for (List<PlannedTask> tasks : tasksByGpu) {
            n += tasks.size();
        }
        return n;
    }
}

package io.collemu.profiles;

import io.collemu.profiles.spec.ProfileException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.profiles.spec.Loc;
import io.collemu.topology.model.FabricLimits;
import java.util.List;

/**
 * How much a profile may plan, estimated BEFORE anything is expanded, so that {@code iterations: 1000000} with a
 * {@code repeat: 100000} is refused in a millisecond instead of filling the heap. A plan holds one
 * {@link PlannedTask} per GPU per operation per iteration (about 100 bytes each with its dependencies) and at
 * most half as many {@link PlannedCollective}s (every collective has two or more ranks), so its size is bounded
 * by counting tasks:
 *
 * <pre>
 *   tasks &lt;= (warmup + iterations) x sum over the ops of one iteration of
 *            jobGpus (compute, collective) | 2 x jobGpus (send-recv: a send and a receive per pair) | 0 (recv)
 * </pre>
 *
 * A task with its share of collectives takes about {@value #HEAP_BYTES_PER_TASK} bytes (measured: 79 bytes in the
 * built-in dense training step on 4,096 GPUs, 4 M tasks; 97 bytes in the pipeline step), and the plan may take at
 * most half of the maximum heap, as a fabric may ({@link io.collemu.topology.model.FabricLimits}): 16 M tasks with
 * a 3 GiB heap. One iteration may have at most {@value #MAX_OPS_PER_ITERATION} operations after repeats and
 * sweeps. Before the job's GPUs are known (a profile loaded without a fabric) each operation counts as one task,
 * a lower bound.
 *
 * <p>Stateless.
 */
final class PlanBudget {
    /** Heap of one planned task with its share of collectives, measured. */
    static final long HEAP_BYTES_PER_TASK = 100;
    /** Most operations of one iteration of a job, after repeat blocks and size sweeps are expanded. */
    static final long MAX_OPS_PER_ITERATION = 1_000_000;

    private PlanBudget() {
    }

    /** Upper bound of the tasks one iteration of {@code ops} puts on {@code jobGpus} GPUs. */
    static long tasksPerIteration(List<ExpandedOp> ops, long jobGpus) {
        long tasks = 0;
        for (ExpandedOp x : ops) {
            boolean sendRecv = x.type() == ExpandedOp.Type.COLLECTIVE && x.kind() == CollectiveKind.SEND_RECV;
            tasks += x.type() == ExpandedOp.Type.RECV ? 0 : sendRecv ? 2 * jobGpus : jobGpus;
        }
        return tasks;
    }

    /**
     * @param at           the job's {@code iterations} field, where the error is reported
     * @param iterations   warm-up plus measured iterations
     * @param ops          operations of one iteration
     * @param perIteration tasks of one iteration ({@link #tasksPerIteration})
     * @param planned      tasks the plan already holds (earlier jobs)
     * @return the tasks the plan will hold with this job
     * @throws ProfileException when that is more than {@link #maxTasks()}
     */
    static long check(Loc at, long iterations, int ops, long perIteration, long planned) {
        long tasks = saturatingAdd(planned, saturatingProduct(iterations, perIteration));
        long heap = Runtime.getRuntime().maxMemory();
        if (tasks > maxTasks()) {
            throw at.error(iterations + " iterations of " + ops + " operations would plan " + count(tasks)
                    + " GPU tasks" + (planned > 0 ? " with the jobs before it" : "") + ", more than the "
                    + FabricLimits.count(maxTasks()) + " this JVM can hold (" + HEAP_BYTES_PER_TASK + " bytes each in"
                    + " half of its " + FabricLimits.bytes(heap) + " maximum heap; raise it with -Xmx): lower"
                    + " iterations, warmup, the repeat counts or the job's GPUs");
        }
        return tasks;
    }

    /** Most GPU tasks of a whole plan (every job and iteration) in this JVM's heap. */
    static long maxTasks() {
        return Runtime.getRuntime().maxMemory() / 2 / HEAP_BYTES_PER_TASK;
    }

    private static long saturatingProduct(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatingAdd(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String count(long n) {
        return n == Long.MAX_VALUE ? "more than 9.2e18" : FabricLimits.count(n);
    }
}

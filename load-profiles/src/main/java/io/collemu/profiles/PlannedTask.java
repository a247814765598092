package io.collemu.profiles;

/**
 * One node of a GPU's program: a compute gap, or the GPU's part (one rank) of a collective. A task starts when
 * all its deps have ended; deps are indices into the same GPU's task list, always smaller than the task's own
 * index. A collective task ends when this rank's ops of the schedule are done.
 *
 * <p>Immutable by convention (do not modify {@code deps}).
 *
 * @param collective index into {@link Plan#collectives()}, -1 for compute
 * @param rank       this GPU's rank in that collective (0 for compute)
 * @param computePs  compute duration, already scaled by the GPU's straggler factor (0 for collectives)
 * @param deps       indices of tasks of the same GPU that must end first
 * @param job        job name
 * @param op         op instance name
 * @param iteration  0-based, warm-up iterations first
 * @param warmup     true for warm-up iterations
 */
public record PlannedTask(int collective, int rank, long computePs, int[] deps, String job, String op,
        int iteration, boolean warmup) {

    /** @return true for a compute task */
    public boolean isCompute() {
        return collective < 0;
    }
}

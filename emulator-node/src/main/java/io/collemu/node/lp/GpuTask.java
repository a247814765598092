package io.collemu.node.lp;

/**
 * One node of a GPU's program: either its rank's part of a collective instance, or a compute span. A task starts
 * once every task it depends on (indices into the same GPU's program) has ended, and not before
 * {@code notBeforePs}.
 *
 * @param instance  collective instance id, or -1 for a compute task
 * @param rank      this GPU's rank in the instance (collective tasks)
 * @param computePs duration of a compute task
 */
public record GpuTask(int instance, int rank, long computePs, int[] deps, long notBeforePs) {

    /** This GPU's rank {@code rank} of collective instance {@code instance}. */
    public static GpuTask collective(int instance, int rank, int[] deps, long notBeforePs) {
        return new GpuTask(instance, rank, 0, deps, notBeforePs);
    }

    /** A compute span of {@code computePs}. */
    public static GpuTask compute(long computePs, int[] deps, long notBeforePs) {
        return new GpuTask(-1, -1, computePs, deps, notBeforePs);
    }

    /** Whether this is a compute span (else a collective rank). */
    public boolean isCompute() {
        return instance < 0;
    }
}

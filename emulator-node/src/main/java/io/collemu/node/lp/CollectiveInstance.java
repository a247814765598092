package io.collemu.node.lp;

import io.collemu.collectives.Schedule;

/**
 * One collective call on one communicator: its schedule and which GPU plays each rank.
 *
 * @param id        dense id, 0..instances-1, unique in a workload
 * @param job       the job it belongs to ("" for single-job runs)
 * @param label     a name for reports (e.g. the profile op)
 * @param iteration iteration number within its job
 * @param gpus      rank -> GPU index
 * @param timing    protocol overhead, software latencies and channel caps ({@link InstanceTiming#IDEAL}: none)
 */
public record CollectiveInstance(int id, String job, String label, int iteration, Schedule schedule, int[] gpus,
        InstanceTiming timing) {

    /** An instance with the ideal timing. */
    public CollectiveInstance(int id, String job, String label, int iteration, Schedule schedule, int[] gpus) {
        this(id, job, label, iteration, schedule, gpus, InstanceTiming.IDEAL);
    }
}

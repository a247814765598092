package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Schedule;

/**
 * One (collective, size) step of a sweep and what its emulation measured.
 *
 * @param choice what ran: NCCL's choice in the nccl mode (algorithm, protocol, channels, model time)
 */
public record SizeRun(CollectiveKind kind, long sizeBytes, Schedule schedule, int iterations,
        ExecutionResult result, StepChoice choice) {

    /**
     * What a step ran, as NCCL_DEBUG=INFO would show it.
     *
     * @param modelUs NCCL's own predicted time (0 when its model does not cover the collective, or ideal mode)
     * @param tuning  NCCL's cost table for the size, as {@code #} lines (empty when not modelled)
     */
    public record StepChoice(String algorithm, String protocol, int channels, double modelUs, String tuning,
            String ncclPick) {

        /** A choice that is NCCL's own pick (or not NCCL's at all). */
        public StepChoice(String algorithm, String protocol, int channels, double modelUs, String tuning) {
            this(algorithm, protocol, channels, modelUs, tuning, "");
        }
    }
}

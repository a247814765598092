package io.collemu.profiles;

/**
 * Timing of one iteration of one job, from the engine's task timings. Times in picoseconds of virtual time.
 *
 * <p>Immutable value.
 *
 * @param job           job name
 * @param iteration     0-based, warm-up iterations first
 * @param warmup        true for a warm-up iteration
 * @param startPs       first task start of the iteration over the job's GPUs
 * @param endPs         last task end of the iteration over the job's GPUs
 * @param computePs     union of compute intervals on the critical GPU (the one with the most exposed
 *                      communication)
 * @param exposedCommPs max over the job's GPUs of (endPs - startPs) minus the union of that GPU's compute
 *                      intervals: the time compute did not hide
 * @param commPs        union of collective task intervals on the critical GPU, hidden or not
 */
public record IterationResult(String job, int iteration, boolean warmup, long startPs, long endPs, long computePs,
        long exposedCommPs, long commPs) {

    /** @return iteration time, {@code endPs - startPs} */
    public long durationPs() {
        return endPs - startPs;
    }
}

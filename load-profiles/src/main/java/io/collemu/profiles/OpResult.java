package io.collemu.profiles;

/**
 * Timing of one collective instance of a plan (one per communicator group). Times in picoseconds.
 *
 * <p>Immutable value.
 *
 * @param job       job name
 * @param op        op instance name, e.g. {@code grad-ar[3]}
 * @param iteration 0-based, warm-up iterations first
 * @param kind      collective kind, command-line name ({@code all-reduce})
 * @param sizeBytes nccl-tests size of the request (for all-to-all-v: bytes each rank sends, the row total)
 * @param ranks     ranks of the instance
 * @param startPs   first start of the collective over its ranks (as the engine reports)
 * @param endPs     last end over its ranks
 */
public record OpResult(String job, String op, int iteration, String kind, long sizeBytes, int ranks, long startPs,
        long endPs) {

    /** @return {@code endPs - startPs} */
    public long durationPs() {
        return endPs - startPs;
    }
}

package io.collemu.collectives;

/**
 * One collective turned into what every rank sends, receives and reduces. Created by
 * {@link io.collemu.collectives.algo.Schedules#of(CollectiveRequest)}.
 *
 * <p>Immutable and thread-safe. {@link #rank(int)} builds or computes a rank's ops lazily; it never holds
 * state for all ranks at once (a ring's ranks are pure arithmetic), so a schedule for 32,768 ranks is small.
 *
 * <p>Buffers: when {@link #inPlace()} a rank has one buffer of {@code max(inputBytes, outputBytes)} bytes; its
 * input and output sit at the positions nccl uses for in-place calls (reduce-scatter leaves rank {@code r}'s
 * result at block {@code r}'s offset, all-gather takes rank {@code r}'s contribution from block {@code r}'s
 * offset; blocks follow {@link BlockSplit}). Otherwise sends read the input buffer and receives write the
 * output buffer; a rank's own block in an all-to-all is a local copy, not an op.
 */
public interface Schedule {

    /** @return the validated request this schedule serves */
    CollectiveRequest request();

    /** @return the resolved algorithm name (never {@code auto}) */
    String algorithm();

    /** @return ranks in the communicator */
    int ranks();

    /** @return true when each rank has a single buffer that sends read and receives write/reduce into */
    boolean inPlace();

    /** @return bytes of {@code rank}'s input (its send buffer) */
    long inputBytes(int rank);

    /** @return bytes of {@code rank}'s output (its receive buffer) */
    long outputBytes(int rank);

    /** @return the ops of {@code rank}; cheap, may be computed on every call */
    RankSchedule rank(int rank);

    /** @return the exact sum of the bytes of all send ops of all ranks */
    long totalBytesSent();
}

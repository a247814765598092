package io.collemu.collectives.nccl;

import java.util.Arrays;
import java.util.Objects;

/**
 * What NCCL runs for one collective (NVIDIA/nccl v2.30.7-1, src/enqueue.cc:2028-2117 and 576-760): the
 * algorithm and protocol of the strict minimum time, the channels the collective really occupies, the
 * threads per channel, NCCL's predicted time, and the whole cost table it chose from.
 *
 * <p>{@code channels} is what NCCL uses, not only its upper bound: {@code topoGetAlgoInfo} first lowers the
 * communicator's channels while {@code nBytes < channels x threads x threshold} (an 8 B all-reduce on Tree/LL
 * gets 1), then the planner cuts the data into cells of at least 16 KiB (4 KiB for LL) of all-reduce count and
 * gives each channel at least one, so a small collective can use fewer channels than that bound.
 *
 * <p>Immutable value (the table is copied in and out); thread-safe.
 *
 * @param algorithm   the chosen algorithm
 * @param protocol    the chosen protocol
 * @param channels    channels used by the collective (0 for an empty one)
 * @param threads     threads per channel ({@code nWarps * 32})
 * @param predictedUs NCCL's predicted time in us (the table's minimum)
 * @param table       {@code [algorithm id][protocol id]} times in us, -1 where not eligible
 */
public record NcclChoice(NcclAlgorithm algorithm, NcclProtocol protocol, int channels, int threads,
                         double predictedUs, double[][] table) {

    /** Validates and copies the table. */
    public NcclChoice {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(protocol, "protocol");
        table = deepCopy(Objects.requireNonNull(table, "table"));
    }

    /** @return a copy of the cost table, {@code [algorithm id][protocol id]} in us, -1 where not eligible */
    @Override
    public double[][] table() {
        return deepCopy(table);
    }

    /** @return the table's time for (a, p) in us, -1 when not eligible */
    public double timeUs(NcclAlgorithm a, NcclProtocol p) {
        return table[a.id()][p.id()];
    }

    private static double[][] deepCopy(double[][] t) {
        double[][] c = new double[t.length][];
        for (int i = 0; i < t.length; i++) {
            c[i] = t[i].clone();
        }
        return c;
    }

    /** Equal when every component is equal, the table compared element by element. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NcclChoice c && algorithm == c.algorithm && protocol == c.protocol
                && channels == c.channels && threads == c.threads
                && Double.compare(predictedUs, c.predictedUs) == 0 && Arrays.deepEquals(table, c.table);
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(algorithm, protocol, channels, threads, predictedUs, Arrays.deepHashCode(table));
    }

    /** @return e.g. {@code NcclChoice[Tree/LL128, 16 channels, 640 threads, 62.505684 us]} */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "NcclChoice[%s/%s, %d channels, %d threads, %f us]",
                algorithm.cliName(), protocol.cliName(), channels, threads, predictedUs);
    }
}

package io.collemu.collectives.nccl;

import java.util.Locale;

/**
 * Prints NCCL's cost table for one collective size, for {@code #}-comment blocks in run outputs: the time of
 * every (algorithm, protocol) in microseconds, {@code -} where not eligible, the chosen one marked with
 * {@code *}, followed by the line NCCL itself traces (src/enqueue.cc:2068, {@code "%ld Bytes -> Algo %d proto
 * %d time %f"}, printed with NCCL_DEBUG=TRACE builds and NCCL_DEBUG_SUBSYS=TUNING,COLL) and the channels and
 * threads:
 * <pre>
 * # NCCL v2.30.7-1 model: AllReduce, 1048576 Bytes, 16 ranks on 2 nodes (time in us, * = chosen)
 * #     Algorithm |           LL  |        LL128  |       Simple
 * #          Tree |      151.725  |       62.506* |      107.299
 * #          Ring |       90.412  |       81.896  |      189.360
 * # CollNetDirect |            -  |            -  |            -
 * #           ...
 * # 1048576 Bytes -> Algo 0 proto 1 time 62.505661 (Tree/LL128, 16 channels, 640 threads)
 * </pre>
 * Stateless; thread-safe.
 */
public final class NcclTuningTable {

    private NcclTuningTable() {
    }

    /**
     * The table for {@code nBytes} (NCCL's byte count) of {@code f}, one line per algorithm.
     *
     * @param linePrefix put before every line, e.g. {@code "# "}
     * @return lines separated by {@code \n}, ending with one
     */
    public static String format(NcclTuner tuner, NcclFunction f, long nBytes, String linePrefix) {
        NcclChoice choice = tuner.choose(f, nBytes);
        NcclSystem sys = tuner.system();
        StringBuilder sb = new StringBuilder();
        sb.append(linePrefix).append(String.format(Locale.ROOT,
                "NCCL v2.30.7-1 model: %s, %d Bytes, %d ranks on %d nodes (time in us, * = chosen)\n",
                f.cliName(), nBytes, sys.nRanks(), sys.nNodes()));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%13s |", "Algorithm"));
        for (NcclProtocol p : NcclProtocol.values()) {
            header.append(cell(p.cliName(), ' '));
        }
        line(sb, linePrefix, header);
        for (NcclAlgorithm a : NcclAlgorithm.values()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%13s |", a.cliName()));
            for (NcclProtocol p : NcclProtocol.values()) {
                double t = choice.timeUs(a, p);
                boolean chosen = a == choice.algorithm() && p == choice.protocol();
                row.append(cell(t < 0 ? "-" : String.format(Locale.ROOT, "%.3f", t), chosen ? '*' : ' '));
            }
            line(sb, linePrefix, row);
        }
        sb.append(linePrefix).append(traceLine(choice, nBytes)).append(String.format(Locale.ROOT,
                " (%s/%s, %d channels, %d threads)\n", choice.algorithm().cliName(), choice.protocol().cliName(),
                choice.channels(), choice.threads()));
        return sb.toString();
    }

    private static String cell(String value, char mark) {
        return String.format(Locale.ROOT, " %12s%c |", value, mark);
    }

    /** Appends one table line without its last separator and trailing blanks. */
    private static void line(StringBuilder sb, String prefix, StringBuilder row) {
        String s = row.substring(0, row.length() - 1).stripTrailing();
        sb.append(prefix).append(s).append('\n');
    }

    /**
     * NCCL's trace line for a choice, {@code "%ld Bytes -> Algo %d proto %d time %f"} (src/enqueue.cc:2068),
     * e.g. {@code 128 Bytes -> Algo 0 proto 0 time 25.214764}.
     *
     * @param nBytes NCCL's byte count the choice was made for
     */
    public static String traceLine(NcclChoice choice, long nBytes) {
        return String.format(Locale.ROOT, "%d Bytes -> Algo %d proto %d time %f", nBytes, choice.algorithm().id(),
                choice.protocol().id(), choice.predictedUs());
    }

    /**
     * The line NCCL_DEBUG=INFO NCCL_DEBUG_SUBSYS=TUNING prints on rank 0 for each collective,
     * {@code "%s: %ld Bytes -> Algo %s proto %s channel{Lo..Hi}={%d..%d}"} (src/enqueue.cc:822-824), with
     * {@code count * typeSize} bytes and the channels from 0, e.g.
     * {@code AllReduce: 1048576 Bytes -> Algo TREE proto LL128 channel{Lo..Hi}={0..15}}.
     *
     * @param nBytes NCCL's byte count the choice was made for
     */
    public static String infoLine(NcclTuner tuner, NcclFunction f, NcclChoice choice, long nBytes) {
        long countBytes = f.countBytes(nBytes, tuner.system().nRanks());
        return String.format(Locale.ROOT, "%s: %d Bytes -> Algo %s proto %s channel{Lo..Hi}={%d..%d}", f.cliName(),
                countBytes, choice.algorithm().name(), choice.protocol().name(), 0, choice.channels() - 1);
    }
}

package io.collemu.results;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.HdrHistogram.HistogramLogWriter;

/**
 * {@code latency.hlog}: interval histograms over virtual time in HdrHistogram's log format (written by
 * {@link HistogramLogWriter}, read by {@code HistogramLogReader} and {@code HistogramLogProcessor}).
 *
 * <p>Time scaling: the log format keeps timestamps in seconds with 3 decimals, far too coarse for virtual time,
 * so 1 log "second" is 1 virtual microsecond (and so 1 log millisecond, the unit HistogramLogReader stamps the
 * histograms it reads with, is 1 virtual nanosecond). Recorded values stay nanoseconds; the Interval_Max column
 * is in microseconds. Both facts are repeated in comment lines of the file. Stateless; the histograms must not be
 * recorded into while they are written.
 */
public final class HlogExport {

    /** Picoseconds of virtual time per log "second". */
    public static final double PS_PER_LOG_SECOND = 1e6;
    /** Divisor of the Interval_Max column: values are ns, the column is us. */
    public static final double MAX_VALUE_UNIT_RATIO = 1000.0;

    private HlogExport() {
    }

    /**
     * Writes {@code intervals}, sorted by start, to {@code p}, replacing an existing file.
     *
     * @param comment free text for the head of the file (each line becomes a comment line)
     */
    public static void write(Path p, List<IntervalHistogram> intervals, String comment) throws IOException {
        List<IntervalHistogram> sorted = new ArrayList<>(intervals);
        // HistogramLogReader stops at the first interval out of order when asked for a range
        sorted.sort(Comparator.comparingLong(IntervalHistogram::startPs));
        try (OutputStream file = Files.newOutputStream(p);
             PrintStream out = new PrintStream(file, false, StandardCharsets.US_ASCII)) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            if (comment != null) {
                for (String line : comment.split("\\R")) {
                    writer.outputComment(line);
                }
            }
            writer.outputComment("collemu latency log: recorded values are nanoseconds; timestamps are virtual time"
                + " scaled so that 1 log second = 1 virtual microsecond (1 log ms = 1 virtual ns);"
                + " Interval_Max is in microseconds");
            writer.outputLogFormatVersion();
            // a fixed origin, so that every timestamp is an offset from virtual time 0, not from the first interval
            out.print("#[StartTime: 0.000 (virtual time origin, not seconds since the epoch)]\n");
            out.print("#[BaseTime: 0.000 (virtual time origin)]\n");
            writer.outputLegend();
            for (IntervalHistogram interval : sorted) {
                writer.outputIntervalHistogram(interval.startPs() / PS_PER_LOG_SECOND,
                    interval.endPs() / PS_PER_LOG_SECOND, interval.histogram(), MAX_VALUE_UNIT_RATIO);
            }
            out.flush();
            if (out.checkError()) {
                throw new IOException("could not write " + p);
            }
        }
    }
}

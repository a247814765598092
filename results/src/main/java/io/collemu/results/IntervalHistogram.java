package io.collemu.results;

import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * The latency histogram (values in nanoseconds) of one interval of virtual time, a line of {@code latency.hlog}.
 * The histogram is owned by this record once built: callers must not record into it any more.
 *
 * @param startPs   interval start, virtual picoseconds
 * @param endPs     interval end, virtual picoseconds, not before {@code startPs}
 * @param histogram segment latencies recorded in the interval, nanoseconds
 */
public record IntervalHistogram(long startPs, long endPs, Histogram histogram) {

    public IntervalHistogram {
        Objects.requireNonNull(histogram, "histogram");
        if (endPs < startPs) {
            throw new IllegalArgumentException("interval ends at " + endPs + " ps before its start at " + startPs + " ps");
        }
    }
}

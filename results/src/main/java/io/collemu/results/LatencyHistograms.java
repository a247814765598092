package io.collemu.results;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The contract for segment-latency histograms: how they are made, shipped between members and merged.
 *
 * <p>Values are nanoseconds with 3 significant digits. Histograms auto-resize (the range starts at 1 ns and grows
 * past an hour if needed) so that thousands of LPs each holding one cost little memory until they see a long
 * latency. A {@link Histogram} has one writer: each LP records into its own and hands it over (encoded) at the
 * end of an interval; the coordinator merges. Merging is exact: counts add up bucket by bucket.
 */
public final class LatencyHistograms {

    /** Significant decimal digits kept for every latency. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private LatencyHistograms() {
    }

    /** @return an empty, auto-resizing histogram for latencies in nanoseconds; one per writer thread */
    public static Histogram newHistogram() {
        return new Histogram(SIGNIFICANT_DIGITS);
    }

    /** @return {@code h} deflated with HdrHistogram's compressed encoding (timestamps are not carried) */
    public static byte[] encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Arrays.copyOf(buffer.array(), length);
    }

    /**
     * @return the histogram encoded by {@link #encode}, auto-resizing again
     * @throws IllegalArgumentException when the bytes are not a compressed histogram
     */
    public static Histogram decode(byte[] bytes) {
        try {
            Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
            // the encoding does not carry the auto-resize flag; merges into a decoded histogram must still grow
            h.setAutoResize(true);
            return h;
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not a compressed HdrHistogram (" + bytes.length + " bytes): " + e, e);
        }
    }

    /** @return a new histogram holding every count of every input; the inputs are left unchanged */
    public static Histogram merge(Collection<Histogram> histograms) {
        long max = 0;
        long start = Long.MAX_VALUE;
        long end = 0;
        for (Histogram h : histograms) {
            max = Math.max(max, h.getMaxValue());
            start = Math.min(start, h.getStartTimeStamp());
            end = Math.max(end, h.getEndTimeStamp());
        }
        // sized by the largest value alone: an auto-resizing histogram keeps the value that last made it grow as
        // its highest trackable value, which its encoding carries, so merging in another grouping (a cluster
        // member's GPUs first, then the members) would give other bytes for the same counts
        Histogram merged = new Histogram(1, Math.max(2, max), SIGNIFICANT_DIGITS);
        merged.setAutoResize(true);
        for (Histogram h : histograms) {
            merged.add(h);
        }
        if (start != Long.MAX_VALUE) {
            merged.setStartTimeStamp(start);
        }
        merged.setEndTimeStamp(end);
        return merged;
    }

    /**
     * @return count, mean, p50, p90, p99, p99.9, p99.99 and max of {@code h}, values in nanoseconds, in that order
     *     (keys carry the unit: "p99Ns"); every value is 0 for an empty histogram
     */
    public static Map<String, Object> figures(Histogram h) {
        Map<String, Object> figures = new LinkedHashMap<>();
        boolean empty = h.getTotalCount() == 0;
        figures.put("count", h.getTotalCount());
        figures.put("meanNs", empty ? 0.0 : h.getMean());
        figures.put("minNs", empty ? 0L : h.getMinValue());
        figures.put("p50Ns", h.getValueAtPercentile(50.0));
        figures.put("p90Ns", h.getValueAtPercentile(90.0));
        figures.put("p99Ns", h.getValueAtPercentile(99.0));
        figures.put("p999Ns", h.getValueAtPercentile(99.9));
        figures.put("p9999Ns", h.getValueAtPercentile(99.99));
        figures.put("maxNs", h.getMaxValue());
        return figures;
    }
}

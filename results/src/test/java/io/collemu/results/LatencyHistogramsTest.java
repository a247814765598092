package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyHistogramsTest {

    @Test
    void shouldRoundTripThroughCompressedBytes() {
        Histogram h = Fixtures.latencies(7, 50_000, 800);
        byte[] bytes = LatencyHistograms.encode(h);
        Histogram back = LatencyHistograms.decode(bytes);
        assertEquals(h, back);
        assertEquals(h.getTotalCount(), back.getTotalCount());
        assertTrue(bytes.length < h.getNeededByteBufferCapacity(), "compressed is smaller than plain");
    }

    @ParameterizedTest(name = "{0} LPs")
    @ValueSource(ints = {1, 3, 64})
    void shouldMergeExactlySoThatCountsAddUp(int lps) {
        // each LP records its own share; the merge must equal one histogram that saw every value
        Histogram everything = LatencyHistograms.newHistogram();
        List<Histogram> perLp = new ArrayList<>();
        Random random = new Random(lps);
        long expectedTotal = 0;
        for (int lp = 0; lp < lps; lp++) {
            Histogram h = LatencyHistograms.newHistogram();
            int n = 1 + random.nextInt(2000);
            for (int i = 0; i < n; i++) {
                long v = 1 + (long) Math.abs(random.nextGaussian() * 1000 * (lp + 1));
                h.recordValue(v);
                everything.recordValue(v);
            }
            expectedTotal += n;
            // histograms travel between members compressed
            perLp.add(LatencyHistograms.decode(LatencyHistograms.encode(h)));
        }
        Histogram merged = LatencyHistograms.merge(perLp);
        assertEquals(expectedTotal, merged.getTotalCount());
        assertEquals(everything, merged);
        for (HistogramIterationValue v : everything.recordedValues()) {
            assertEquals(v.getCountAtValueIteratedTo(), merged.getCountAtValue(v.getValueIteratedTo()));
        }
    }

    @Test
    void shouldGrowPastAnHourAndAcceptDecodedHistogramsOfAnyRange() {
        Histogram small = LatencyHistograms.newHistogram();
        small.recordValue(5);
        Histogram huge = LatencyHistograms.newHistogram();
        long twoHoursNs = 2L * 3600 * 1_000_000_000L;
        huge.recordValue(twoHoursNs);
        Histogram decodedSmall = LatencyHistograms.decode(LatencyHistograms.encode(small));
        decodedSmall.add(huge);
        assertEquals(2, decodedSmall.getTotalCount());
        Histogram merged = LatencyHistograms.merge(List.of(small, huge));
        assertEquals(huge.highestEquivalentValue(twoHoursNs), merged.getMaxValue());
    }

    @Test
    void shouldKeepThreeSignificantDigits() {
        Histogram h = LatencyHistograms.newHistogram();
        h.recordValue(123_456_789);
        long stored = h.getMaxValue();
        assertTrue(Math.abs(stored - 123_456_789) <= 123_456_789 / 1000, "value kept to 3 digits: " + stored);
    }

    @Test
    void shouldRejectBytesThatAreNotAHistogram() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LatencyHistograms.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        assertTrue(e.getMessage().contains("9 bytes"), e.getMessage());
    }

    @Test
    void shouldGiveFiguresOfAMergedHistogram() {
        Histogram h = LatencyHistograms.newHistogram();
        for (int v = 1; v <= 1000; v++) {
            h.recordValue(v);
        }
        Map<String, Object> f = LatencyHistograms.figures(h);
        assertEquals(1000L, f.get("count"));
        assertEquals(500L, f.get("p50Ns"));
        assertEquals(990L, f.get("p99Ns"));
        assertEquals(1000L, f.get("maxNs"));
        assertEquals(0L, LatencyHistograms.figures(LatencyHistograms.newHistogram()).get("p99Ns"));
    }

    @Test
    void shouldEncodeTheSameBytesWhateverTheGroupingOfTheMerge() {
        // one by one, an auto-resizing histogram grows for 5 ms and then holds 7 ms in the same bucket range; merged
        // as a member of LPs 1-2 first (its largest value 7 ms), it would grow for 7 ms instead
        List<Histogram> perLp = new ArrayList<>();
        long[] peaks = {3_000, 5_000_000, 7_000_000};
        for (int i = 0; i < peaks.length; i++) {
            Histogram h = LatencyHistograms.newHistogram();
            h.recordValue(1_000 + i);
            h.recordValue(peaks[i]);
            perLp.add(h);
        }
        Histogram flat = LatencyHistograms.merge(perLp);
        // as a cluster: each member merges its own LPs, then the leader merges the members
        Histogram grouped = LatencyHistograms.merge(List.of(LatencyHistograms.merge(perLp.subList(0, 1)),
                LatencyHistograms.merge(perLp.subList(1, 3))));
        assertEquals(flat, grouped);
        assertEquals(java.util.Arrays.toString(LatencyHistograms.encode(flat)),
                java.util.Arrays.toString(LatencyHistograms.encode(grouped)));
    }
}

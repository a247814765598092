package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlogExportTest {

    private static final long INTERVAL_PS = 100_000; // 100 ns of virtual time

    @TempDir
    Path dir;

    private final List<IntervalHistogram> intervals = new ArrayList<>();
    private long total;

    @BeforeEach
    void tenIntervals() {
        for (int i = 0; i < 10; i++) {
            Histogram h = Fixtures.latencies(i, 100 * (i + 1), 500 + 50 * i);
            intervals.add(new IntervalHistogram(i * INTERVAL_PS, (i + 1) * INTERVAL_PS, h));
            total += h.getTotalCount();
        }
    }

    @Test
    void shouldReadBackWithHistogramLogReaderAndSumToTheTotal() throws IOException {
        Path file = dir.resolve("latency.hlog");
        // written out of order on purpose: the log must come out sorted
        List<IntervalHistogram> shuffled = new ArrayList<>(intervals);
        java.util.Collections.reverse(shuffled);
        HlogExport.write(file, shuffled, "run 42\nseed 7");

        HistogramLogReader reader = new HistogramLogReader(file.toFile());
        Histogram sum = LatencyHistograms.newHistogram();
        int read = 0;
        EncodableHistogram next;
        while ((next = reader.nextIntervalHistogram()) != null) {
            Histogram h = (Histogram) next;
            // the reader stamps milliseconds of log time, which the scaling makes nanoseconds of virtual time
            assertEquals(read * INTERVAL_PS / 1000.0, h.getStartTimeStamp(), 1.0, "start of interval " + read);
            assertEquals((read + 1) * INTERVAL_PS / 1000.0, h.getEndTimeStamp(), 1.0, "end of interval " + read);
            assertEquals(intervals.get(read).histogram(), h);
            sum.add(h);
            read++;
        }
        reader.close();
        assertEquals(10, read);
        assertEquals(total, sum.getTotalCount());
        assertEquals(LatencyHistograms.merge(intervals.stream().map(IntervalHistogram::histogram).toList()), sum);

        String text = Files.readString(file);
        assertTrue(text.startsWith("#run 42\n#seed 7\n"), text.substring(0, 40));
        assertTrue(text.contains("1 log second = 1 virtual microsecond"), "the scaling is stated in the file");
    }

    @Test
    void shouldSelectIntervalsByVirtualTimeRange() throws IOException {
        Path file = dir.resolve("latency.hlog");
        HlogExport.write(file, intervals, null);
        HistogramLogReader reader = new HistogramLogReader(file.toFile());
        // log seconds are virtual microseconds: 0.2 .. 0.45 us covers intervals starting at 200, 300 and 400 ns
        List<Long> starts = new ArrayList<>();
        EncodableHistogram h;
        while ((h = reader.nextIntervalHistogram(0.2, 0.45)) != null) {
            starts.add(h.getStartTimeStamp());
        }
        assertEquals(List.of(200L, 300L, 400L), starts);
        reader.close();
    }

    @Test
    void shouldBeReadByHistogramLogProcessor() throws IOException {
        Path file = dir.resolve("latency.hlog");
        HlogExport.write(file, intervals, "processor check");
        Path out = dir.resolve("processed");
        new HistogramLogProcessor(new String[] {"-i", file.toString(), "-o", out.toString(),
            "-outputValueUnitRatio", "1"}).run();
        Path hgrm = dir.resolve("processed.hgrm");
        assertTrue(Files.exists(hgrm), "HistogramLogProcessor wrote " + hgrm);
        String accumulated = Files.readString(hgrm);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Total count\\s*=\\s*(\\d+)\\]")
            .matcher(accumulated);
        assertTrue(m.find(), accumulated);
        assertEquals(total, Long.parseLong(m.group(1)));
        List<String> perInterval = Files.readAllLines(out);
        assertTrue(perInterval.size() >= 10, "one line per interval: " + perInterval);
    }

    @Test
    void shouldWriteAnEmptyLogThatReadsBackEmpty() throws IOException {
        Path file = dir.resolve("latency.hlog");
        HlogExport.write(file, List.of(), "nothing recorded");
        HistogramLogReader reader = new HistogramLogReader(file.toFile());
        assertNull(reader.nextIntervalHistogram());
        reader.close();
        assertNotNull(Files.readString(file));
    }
}

package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HgrmExportTest {

    @TempDir
    Path dir;

    @Test
    void shouldWritePercentilesEqualToTheMergedHistogram() throws IOException {
        Histogram merged = LatencyHistograms.merge(List.of(Fixtures.latencies(1, 20_000, 700),
            Fixtures.latencies(2, 5_000, 2_000), Fixtures.latencies(3, 1, 90)));
        Path file = dir.resolve("latency.hgrm");
        HgrmExport.write(file, merged);

        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).trim().startsWith("Value"), "HdrHistogram's header first: " + lines.get(0));
        int dataLines = 0;
        boolean sawMedian = false;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (line.isBlank() || line.startsWith("#") || f[0].equals("Value")) {
                continue;
            }
            dataLines++;
            long value = Math.round(Double.parseDouble(f[0]));
            double percentile = Double.parseDouble(f[1]) * 100.0;
            long totalCount = Long.parseLong(f[2]);
            assertEquals(merged.getValueAtPercentile(percentile), value, "value at p" + percentile);
            assertEquals(merged.getCountBetweenValues(0, value), totalCount, "count up to " + value);
            sawMedian |= Math.abs(percentile - 50.0) < 1e-9;
        }
        assertTrue(dataLines > 20, "a line per percentile tick, got " + dataLines);
        assertTrue(sawMedian, "the median is one of the ticks");
        String footer = String.join("\n", lines);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
            "#\\[Max\\s*=\\s*([\\d.]+), Total count\\s*=\\s*(\\d+)\\]").matcher(footer);
        assertTrue(m.find(), footer);
        assertEquals(merged.getMaxValue(), Math.round(Double.parseDouble(m.group(1))));
        assertEquals(merged.getTotalCount(), Long.parseLong(m.group(2)));
    }

    @Test
    void shouldWriteHdrHistogramsOwnTextUnchanged() throws IOException {
        Histogram h = Fixtures.latencies(9, 1000, 300);
        Path file = dir.resolve("latency.hgrm");
        HgrmExport.write(file, h);
        var expected = new java.io.ByteArrayOutputStream();
        h.outputPercentileDistribution(new java.io.PrintStream(expected, true), 5, 1.0);
        assertEquals(expected.toString(), Files.readString(file));
    }
}

package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NcclTestsTableTest {

    /**
     * What scripts that parse nccl-tests output match (size count type redop root time algbw busbw #wrong), by
     * position; with more than one instance per size four per-iteration columns follow, after the nine.
     */
    private static final Pattern DATA = Pattern.compile(
        "^\\s*(\\d+)\\s+(\\d+)\\s+(\\w+)\\s+(\\w+)\\s+(-?\\d+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+(\\d+)"
            + "(\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+)?$");

    private static CollectiveRecord allReduce(int iteration, long sizeBytes, long durationPs) {
        return Fixtures.collective("j", iteration, "all-reduce", sizeBytes, 8, iteration * 100_000_000L, durationPs,
            10);
    }

    @Test
    void shouldAverageTheTimeOverIterationsAndDeriveBandwidthsFromTheMean() {
        // 10, 20 and 30 us: nccl-tests reports the mean time and the bandwidths of that mean
        List<CollectiveRecord> rows = List.of(allReduce(0, 1 << 20, 10_000_000), allReduce(1, 1 << 20, 20_000_000),
            allReduce(2, 1 << 20, 30_000_000));
        String text = NcclTestsTable.render(rows);
        double algbw = (1 << 20) / 20e-6 / 1e9;
        String expected = String.format(Locale.ROOT, "%12d  %12d  %8s  %6s  %6d  %7s  %6.2f  %6.2f  %6d",
            1 << 20, 1 << 18, "float", "sum", -1, "  20.00", algbw, algbw * 1.75, 0);
        // then i_min, i_max, i_p99 (us) and i_cv% (sample standard deviation 10 us over a mean of 20 us)
        assertTrue(text.contains(expected + "    10.00    30.00    30.00   50.00\n"), text);
        assertTrue(text.contains(String.format(Locale.ROOT, "# Avg bus bandwidth    : %.4f \n", algbw * 1.75)), text);
    }

    @Test
    void shouldPrintOneLinePerSizeInOrderParseableLikeNcclTests() {
        List<CollectiveRecord> rows = new ArrayList<>(Fixtures.sweep(100, 900_000, 21.0));
        java.util.Collections.shuffle(rows, new java.util.Random(3));
        String text = NcclTestsTable.render(rows);
        List<Long> sizes = new ArrayList<>();
        List<Double> busbws = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = DATA.matcher(line);
            if (m.matches()) {
                sizes.add(Long.parseLong(m.group(1)));
                busbws.add(Double.parseDouble(m.group(8)));
                assertEquals("0", m.group(9));
            } else {
                assertTrue(line.startsWith("#"), "every other line is a comment: " + line);
            }
        }
        // all-reduce 1 KiB .. 64 MiB by 4x, then all-gather 1 MiB and 16 MiB
        assertEquals(List.of(1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L, 16777216L, 67108864L,
            1048576L, 16777216L), sizes);
        // large sizes approach the 100 GB/s bottleneck, as busbw is defined to
        assertEquals(100.0, busbws.get(8), 3.0);
        assertEquals(2, count(text, "# Collective test: "));
        assertEquals(2, count(text, "# Avg bus bandwidth    : "));
        assertTrue(text.contains("# Collective test: all_gather_perf (all-gather, algorithm ring, 8 ranks"), text);
    }

    @Test
    void shouldPrintTheOutOfPlaceBlockOnlyAndSaySo() {
        List<CollectiveRecord> once = Fixtures.sweep(100, 900_000, 21.0).stream()
            .filter(r -> r.iteration() == 0).toList();
        String text = NcclTestsTable.render(once);
        assertTrue(text.contains("only the out-of-place block is printed"), text);
        String columns = text.lines().filter(l -> l.contains("algbw")).findFirst().orElseThrow();
        assertEquals("#       size         count      type   redop    root     time   algbw   busbw  #wrong",
            columns);
        assertEquals(1, count(columns, "time"));
        assertFalse(text.lines().anyMatch(l -> l.trim().endsWith("in-place")), text);
        String perIteration = NcclTestsTable.render(Fixtures.sweep(100, 900_000, 21.0)).lines()
            .filter(l -> l.contains("algbw")).findFirst().orElseThrow();
        assertEquals(columns + "    i_min    i_max    i_p99   i_cv%", perIteration);
    }

    @ParameterizedTest(name = "{0} us prints as ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "12345.6|'  12346'",
        "250.5|'  250.5'",
        "3.25|'   3.25'",
        "0.5|'   0.50'"})
    void shouldUseNcclTestsTimePrecision(double us, String printed) {
        String text = NcclTestsTable.render(List.of(allReduce(0, 4096, Math.round(us * 1e6))));
        assertTrue(text.contains("  -1  " + printed + "  "), text);
    }

    @Test
    void shouldSayWhenNothingRan() {
        assertTrue(NcclTestsTable.render(List.of()).contains("no collective was run"));
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}

package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    private static String[] line(String text, String startsWith) {
        return text.lines().filter(l -> l.startsWith(startsWith)).findFirst().orElseThrow(
            () -> new AssertionError("no line starting with '" + startsWith + "' in\n" + text)).split("\\s{2,}");
    }

    @Test
    void shouldShowEachRunAndItsPercentDifferenceFromTheFirst() {
        String text = ComparisonTable.render(Fixtures.threeRuns());
        String[] header = line(text, "metric");
        assertEquals(List.of("metric", "unit", "pluggable-dsp", "lpo", "vs pluggable-dsp", "cpo",
            "vs pluggable-dsp"), Arrays.asList(header));
        // 8.5 kW and 4.5 kW against 17 kW
        String[] idle = line(text, "idle");
        assertEquals(List.of("idle", "W", "17000", "8500", "-50.0%", "4500", "-73.5%"), Arrays.asList(idle));
        // 10.5 and 5.6 pJ/bit against 21
        String[] pj = line(text, "per bit moved");
        assertEquals(List.of("per bit moved", "pJ/bit", "21.00", "10.50", "-50.0%", "5.60", "-73.3%"),
            Arrays.asList(pj));
        for (String section : List.of("[completion time]", "[bus bandwidth]", "[segment latency]",
            "[optics power]", "[energy]", "[workload]")) {
            assertTrue(text.contains("\n" + section + "\n"), section + " in\n" + text);
        }
        for (String metric : List.of("p50", "p99", "p99.9", "max", "all-reduce 64 MiB (8 ranks)",
            "all-gather 1 MiB (8 ranks)")) {
            line(text, metric);
        }
    }

    @Test
    void shouldComputeTimeDifferencesPerSize() {
        List<RunOutcome> runs = List.of(Fixtures.run("slow", 50, 900_000, 21, 1000, 100, 1),
            Fixtures.run("fast", 100, 900_000, 21, 1000, 100, 1));
        List<ComparisonRow> rows = ComparisonRow.of(runs);
        ComparisonRow big = rows.stream().filter(r -> r.section().equals("bus bandwidth")
            && r.metric().startsWith("all-reduce 64 MiB")).findFirst().orElseThrow();
        // twice the link rate: busbw of a large all-reduce nearly doubles
        assertEquals(100.0, big.percentVsFirst(1), 3.0);
        assertEquals(0.0, big.percentVsFirst(0), 0.0);
    }

    @Test
    void shouldShowMissingFiguresAsDashes() {
        RunOutcome empty = new RunOutcome("empty", List.of(), LatencyHistograms.newHistogram(), 0, 0, 0, 0);
        String text = ComparisonTable.render(List.of(Fixtures.threeRuns().get(0), empty));
        String[] p99 = line(text, "p99 ");
        assertEquals("-", p99[3]);
        assertEquals("n/a", p99[4]);
    }

    @Test
    void shouldLabelSizesWithBinaryPrefixesOnlyWhenExact() {
        assertEquals("1 MiB", ComparisonRow.sizeLabel(1 << 20));
        assertEquals("3 KiB", ComparisonRow.sizeLabel(3 * 1024));
        assertEquals("1000 B", ComparisonRow.sizeLabel(1000));
        assertEquals("1536 B", ComparisonRow.sizeLabel(1536));
    }
}

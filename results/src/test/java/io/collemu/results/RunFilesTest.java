package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {

    @TempDir
    Path root;

    @Test
    void shouldWriteEveryPerRunFile() throws IOException {
        Path dir = RunDirectory.create(root.resolve("runs"));
        List<CollectiveRecord> collectives = Fixtures.sweep(100, 900_000, 5.6);
        List<IntervalHistogram> intervals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            intervals.add(new IntervalHistogram(i * 1_000_000L, (i + 1) * 1_000_000L,
                Fixtures.latencies(i, 500, 800)));
        }
        Histogram latency = LatencyHistograms.merge(intervals.stream().map(IntervalHistogram::histogram).toList());
        List<PortRecord> ports = List.of(new PortRecord(0, "gpu-0", "nic-leaf", "leaf-0", "cpo", "cpo",
            800_000_000_000L, 100, 1000, 0, 1, 0.5, 1e-9, 1e-9, 1e-6, 1e-6));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("collemuVersion", "test");
        summary.put("seed", 1);
        summary.put("engine", "sequential");
        summary.put("members", 1);
        summary.put("inputs", Map.of());
        summary.put("latency", LatencyHistograms.figures(latency));

        RunFiles.write(dir, summary, collectives, ports, latency, intervals, "test run");

        for (String name : List.of(RunDirectory.SUMMARY_JSON, RunDirectory.COLLECTIVES_CSV,
            RunDirectory.NCCL_TESTS_TXT, RunDirectory.LATENCY_HGRM, RunDirectory.LATENCY_HLOG,
            RunDirectory.PORTS_CSV)) {
            assertTrue(Files.size(dir.resolve(name)) > 0, name);
        }
        assertEquals(collectives, CollectivesCsv.read(dir.resolve(RunDirectory.COLLECTIVES_CSV)));
        assertEquals(ports, PortsCsv.read(dir.resolve(RunDirectory.PORTS_CSV)));
    }
}

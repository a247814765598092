package io.collemu.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Writes every per-run file into a run directory in one call: {@code summary.json}, {@code collectives.csv},
 * {@code nccl-tests.txt}, {@code latency.hgrm}, {@code latency.hlog} and {@code ports.csv} (names in
 * {@link RunDirectory}). {@code report.html} is written separately with {@link ComparisonReport}, since it needs
 * the optics power figures of a {@link RunOutcome}. Stateless; the caller must not record into the histograms
 * while they are written.
 */
public final class RunFiles {

    private RunFiles() {
    }

    /**
     * @param dir         the run directory, from {@link RunDirectory#create}
     * @param summary     see {@link SummaryJson}
     * @param collectives every collective instance
     * @param ports       every egress port
     * @param latency     segment latencies merged across LPs and members, nanoseconds
     * @param intervals   interval histograms over virtual time
     * @param hlogComment comment at the head of {@code latency.hlog}, e.g. the run's inputs
     */
    public static void write(Path dir, Map<String, Object> summary, List<CollectiveRecord> collectives,
                             List<PortRecord> ports, Histogram latency, List<IntervalHistogram> intervals,
                             String hlogComment) throws IOException {
        SummaryJson.write(dir.resolve(RunDirectory.SUMMARY_JSON), summary);
        CollectivesCsv.write(dir.resolve(RunDirectory.COLLECTIVES_CSV), collectives);
        NcclTestsTable.write(dir.resolve(RunDirectory.NCCL_TESTS_TXT), collectives);
        HgrmExport.write(dir.resolve(RunDirectory.LATENCY_HGRM), latency);
        HlogExport.write(dir.resolve(RunDirectory.LATENCY_HLOG), intervals, hlogComment);
        PortsCsv.write(dir.resolve(RunDirectory.PORTS_CSV), ports);
    }
}

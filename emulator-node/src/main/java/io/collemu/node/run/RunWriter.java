package io.collemu.node.run;

import io.collemu.node.lp.FaultPlan;
import io.collemu.node.lp.PortStats;
import io.collemu.profiles.IterationResult;
import io.collemu.profiles.OpResult;
import io.collemu.results.CollectiveRecord;
import io.collemu.results.CollectivesCsv;
import io.collemu.results.ComparisonReport;
import io.collemu.results.HgrmExport;
import io.collemu.results.HlogExport;
import io.collemu.results.IntervalHistogram;
import io.collemu.results.LatencyHistograms;
import io.collemu.results.NcclTestsTable;
import io.collemu.results.PortRecord;
import io.collemu.results.PortsCsv;
import io.collemu.results.RunDirectory;
import io.collemu.results.SummaryJson;
import io.collemu.results.TableCsv;
import io.collemu.topology.model.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Writes a run directory, for sweeps and profiles alike: collectives.csv, latency.hgrm, latency.hlog, ports.csv
 * and summary.json, plus nccl-tests.txt for a sweep and iterations.csv and ops.csv for a profile. A sweep is
 * rewritten after every step with {@code "partial": true}, so a run that fails half way keeps what it measured.
 */
public final class RunWriter {
    private final Path dir;
    private final Topology topology;
    private final Map<String, Object> header;
    private final Map<String, Object> inputs;
    private final long segmentBytes;
    private final FaultSettings faults;
    private final FaultPlan plan;

    /**
     * @param header what summary.json puts first (see {@link RunSettings#header()})
     * @param inputs the run's inputs as given (flags)
     * @param faults the run's faults and their plan: with any, ports.csv and collectives.csv gain their columns,
     *               summary.json a faults block, and faults.csv is written
     */
    public RunWriter(Path dir, Topology topology, Map<String, Object> header, Map<String, Object> inputs,
            long segmentBytes, FaultSettings faults, FaultPlan plan) {
        this.dir = dir;
        this.topology = topology;
        this.header = header;
        this.inputs = inputs;
        this.segmentBytes = segmentBytes;
        this.faults = faults;
        this.plan = plan;
    }

    /** A sweep step's name in the fault log: "all-reduce 1048576". */
    static String stepLabel(SizeRun r) {
        return r.kind().cliName() + " " + r.sizeBytes();
    }

    /** The directory written. */
    public Path dir() {
        return dir;
    }

    /** What one run directory holds in common, whatever the workload. */
    private record Contents(List<CollectiveRecord> rows, List<IntervalHistogram> intervals, Histogram latencyNs,
            Histogram queueingNs, List<PortRecord> ports, long virtualTimePs, String hlogComment) {
    }

    /** Writes every file from the sweep steps done so far. */
    public void writeSweep(List<SizeRun> runs, Map<String, Object> engineFigures, boolean partial)
            throws IOException {
        List<CollectiveRecord> rows = new ArrayList<>();
        List<IntervalHistogram> intervals = new ArrayList<>();
        List<Histogram> latency = new ArrayList<>();
        List<Histogram> queueing = new ArrayList<>();
        PortStats[] ports = new PortStats[topology.portCount()];
        long startPs = runs.isEmpty() ? 0 : runs.get(0).result().startPs();
        long endPs = startPs;
        for (SizeRun run : runs) {
            rows.addAll(Records.sweep(run, topology, segmentBytes));
            ExecutionResult r = run.result();
            intervals.add(new IntervalHistogram(r.startPs(), r.endPs(), r.latencyNs()));
            latency.add(r.latencyNs());
            queueing.add(r.queueingNs());
            for (int p = 0; p < ports.length; p++) {
                PortStats s = r.portsById()[p];
                if (s != null) {
                    ports[p] = ports[p] == null ? s : ports[p].plus(s);
                }
            }
            endPs = Math.max(endPs, r.endPs());
        }
        List<FaultOutputs.Step> steps = new ArrayList<>();
        for (SizeRun run : runs) {
            steps.add(new FaultOutputs.Step(stepLabel(run), run.result()));
        }
        List<PortRecord> portRecords = EnergyAccount.portRecords(topology, ports, endPs - startPs);
        if (plan.any()) {
            portRecords = FaultOutputs.ports(portRecords, plan, steps, ports);
        }
        Contents c = new Contents(rows, intervals, LatencyHistograms.merge(latency),
                LatencyHistograms.merge(queueing), portRecords,
                endPs - startPs, "collemu segment latency (ns) per sweep step; 1 log second = 1 virtual microsecond");
        Map<String, Object> summary = summary(c, engineFigures, partial);
        summary.put("collectives", SummaryJson.collectiveFigures(rows));
        summary.put("choices", choiceFigures(runs));
        writeData(c);
        writeFaults(summary, steps);
        Files.writeString(dir.resolve(RunDirectory.NCCL_TESTS_TXT), NcclTestsTable.render(rows) + choiceTable(runs));
        SummaryJson.write(dir.resolve(RunDirectory.SUMMARY_JSON), summary); // last: its presence means complete
    }

    /** Writes every file of a profile run. */
    public void writeProfile(ProfileRun run, Map<String, Object> engineFigures) throws IOException {
        ExecutionResult r = run.result();
        List<FaultOutputs.Step> steps = List.of(new FaultOutputs.Step("profile", r));
        List<PortRecord> portRecords = EnergyAccount.portRecords(topology, r.portsById(), r.durationPs());
        if (plan.any()) {
            portRecords = FaultOutputs.ports(portRecords, plan, steps, r.portsById());
        }
        Contents c = new Contents(Records.profile(run, topology, segmentBytes),
                List.of(new IntervalHistogram(r.startPs(), r.endPs(), r.latencyNs())), r.latencyNs(),
                r.queueingNs(), portRecords, r.durationPs(),
                "collemu segment latency (ns) of a profile run; 1 log second = 1 virtual microsecond");
        double[] joules = Records.iterationJoules(run, topology);
        Map<String, Object> summary = summary(c, engineFigures, false);
        summary.put("iterations", iterationFigures(run.iterations(), joules));
        writeData(c);
        writeFaults(summary, steps);
        List<List<Object>> its = new ArrayList<>();
        for (int i = 0; i < run.iterations().size(); i++) {
            IterationResult it = run.iterations().get(i);
            its.add(List.of(it.job(), it.iteration(), it.warmup(), it.startPs(), it.endPs(), it.durationPs(),
                    it.computePs(), it.commPs(), it.exposedCommPs(), joules[i]));
        }
        TableCsv.write(dir.resolve("iterations.csv"), List.of("job", "iteration", "warmup", "start_ps", "end_ps",
                "duration_ps", "compute_ps", "comm_ps", "exposed_comm_ps", "optics_joules"), its);
        List<List<Object>> ops = new ArrayList<>();
        for (OpResult o : run.ops()) {
            ops.add(List.of(o.job(), o.op(), o.iteration(), o.kind(), o.sizeBytes(), o.ranks(), o.startPs(),
                    o.endPs(), o.durationPs()));
        }
        TableCsv.write(dir.resolve("ops.csv"), List.of("job", "op", "iteration", "kind", "size_bytes", "ranks",
                "start_ps", "end_ps", "duration_ps"), ops);
        SummaryJson.write(dir.resolve(RunDirectory.SUMMARY_JSON), summary);
    }

    /** Writes report.html: the comparison report's charts for this one run. */
    public void writeReport(RunResult result, String label, String title) throws IOException {
        Map<String, String> in = new LinkedHashMap<>();
        inputs.forEach((k, v) -> in.put(k, String.valueOf(v)));
        ComparisonReport.write(dir.resolve(RunDirectory.REPORT_HTML), List.of(Records.outcome(label, result)), title,
                in);
    }

    /**
     * What ran per step, as {@code #} lines after nccl-tests' tables (so their parsers still read the file): size,
     * algorithm, protocol, channels, NCCL's predicted time and the emulated one, as NCCL_DEBUG=INFO reports it.
     */
    public static String choiceTable(List<SizeRun> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("#\n# What ran per size (NCCL's choice in the nccl mode; model = NCCL's own time model, "
                + "src/graph/tuning.cc of v2.30.7-1)\n");
        sb.append(String.format(java.util.Locale.ROOT, "# %-14s %12s %10s %8s %8s %12s %14s%n", "collective",
                "size(B)", "algorithm", "protocol", "channels", "model(us)", "emulated(us)"));
        boolean other = false;
        for (SizeRun r : runs) {
            SizeRun.StepChoice ch = r.choice();
            double emulated = r.result().instanceEndPs()[0] - r.result().instanceStartPs()[0];
            sb.append(String.format(java.util.Locale.ROOT, "# %-14s %12d %10s %8s %8d %12s %14.2f%s%n",
                    r.kind().cliName(), r.sizeBytes(), ch.algorithm(), ch.protocol(), ch.channels(),
                    ch.modelUs() > 0 ? String.format(java.util.Locale.ROOT, "%.2f", ch.modelUs()) : "-",
                    emulated / 1e6, ch.ncclPick().isEmpty() ? "" : "  (NCCL picks " + ch.ncclPick() + ")"));
            other |= !ch.ncclPick().isEmpty();
        }
        if (other) {
            sb.append("# (NCCL picks ...): NCCL's model prefers an algorithm collemu does not emulate yet (NVLSTree, "
                    + "PAT, CollNet); the row shows the best one it does\n");
        }
        return sb.toString();
    }

    private static List<Map<String, Object>> choiceFigures(List<SizeRun> runs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SizeRun r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("collective", r.kind().cliName());
            m.put("sizeBytes", r.sizeBytes());
            m.put("algorithm", r.choice().algorithm());
            m.put("protocol", r.choice().protocol());
            m.put("channels", r.choice().channels());
            m.put("ncclModelUs", r.choice().modelUs() > 0 ? r.choice().modelUs() : null);
            if (!r.choice().ncclPick().isEmpty()) {
                m.put("ncclOwnPick", r.choice().ncclPick());
            }
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> iterationFigures(List<IterationResult> iterations, double[] joules) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < iterations.size(); i++) {
            IterationResult it = iterations.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", it.job());
            m.put("iteration", it.iteration());
            m.put("warmup", it.warmup());
            m.put("timeUs", it.durationPs() / 1e6);
            m.put("computeUs", it.computePs() / 1e6);
            m.put("commUs", it.commPs() / 1e6);
            m.put("exposedCommUs", it.exposedCommPs() / 1e6);
            m.put("opticsJoules", joules[i]);
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> summary(Contents c, Map<String, Object> engineFigures, boolean partial) {
        Map<String, Object> summary = new LinkedHashMap<>(header);
        summary.put("partial", partial);
        summary.put("inputs", inputs);
        summary.put("engineFigures", engineFigures);
        summary.put("virtualTimePs", c.virtualTimePs());
        summary.put("latencyNs", LatencyHistograms.figures(c.latencyNs()));
        summary.put("queueingNs", LatencyHistograms.figures(c.queueingNs()));
        double joules = EnergyAccount.totalJoules(c.ports());
        double bits = 0;
        for (CollectiveRecord r : c.rows()) {
            bits += r.bitsMoved();
        }
        Map<String, Object> energy = new LinkedHashMap<>();
        energy.put("opticsJoules", joules);
        energy.put("opticsDynamicJoules", EnergyAccount.dynamicJoules(c.ports()));
        energy.put("bitsMoved", bits);
        energy.put("pjPerBitMoved", bits == 0 ? null : joules / bits * 1e12);
        summary.put("energy", energy);
        return summary;
    }

    /** With faults: the fault log, and the summary's faults block. */
    private void writeFaults(Map<String, Object> summary, List<FaultOutputs.Step> steps) throws IOException {
        if (!plan.any() && !faults.any()) {
            return;
        }
        summary.put("faults", FaultOutputs.summary(faults, plan, steps, topology));
        FaultOutputs.writeLog(dir, plan, steps, topology);
    }

    private void writeData(Contents c) throws IOException {
        Files.createDirectories(dir);
        CollectivesCsv.write(dir.resolve(RunDirectory.COLLECTIVES_CSV), c.rows());
        HgrmExport.write(dir.resolve(RunDirectory.LATENCY_HGRM), c.latencyNs());
        HlogExport.write(dir.resolve(RunDirectory.LATENCY_HLOG), c.intervals(), c.hlogComment());
        PortsCsv.write(dir.resolve(RunDirectory.PORTS_CSV), c.ports());
    }
}

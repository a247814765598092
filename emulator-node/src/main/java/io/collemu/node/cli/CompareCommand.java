package io.collemu.node.cli;

import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineKind;
import io.collemu.node.engine.Engines;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.run.RunOutputs;
import io.collemu.node.run.SizeRun;
import io.collemu.results.CollectiveRecord;
import io.collemu.results.ComparisonReport;
import io.collemu.results.ComparisonTable;
import io.collemu.results.LatencyHistograms;
import io.collemu.results.RunDirectory;
import io.collemu.results.RunOutcome;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.model.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code collemu compare}: the same workload on the same topology with the same seed, once per link model; a
 * self-contained report.html side by side and the table of differences on stdout.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Runs the same workload once per link model and writes report.html (latency percentiles, "
            + "completion time and busbw by size, optics power and energy, differences in %).",
            "Example: collemu compare --link pluggable-dsp-800g,lpo-800g,cpo-1.6t --sizes 1M:256M:x4"})
public final class CompareCommand implements Callable<Integer> {
    @Mixin
    ScenarioOptions scenario;

    @Option(names = "--link", paramLabel = "PRESET,PRESET[,...]", split = ",", required = true,
            description = "Two or more link presets to compare; the first is the baseline of the % differences.")
    List<String> links;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where run directories go (default: runs/ at the collemu checkout, else ./runs).")
    Path out;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (new LinkedHashSet<>(links).size() < 2) {
            throw new UserError("--link: give two or more different presets, e.g. pluggable-dsp-800g,cpo-1.6t");
        }
        ModelOptions model = scenario.model();
        EngineKind engineKind = scenario.engineKind();
        int threads = scenario.threads();
        List<SweepSession> sessions = new ArrayList<>();
        for (String link : new LinkedHashSet<>(links)) {
            Topology t = scenario.topology(link);
            Map<String, Object> inputs = scenario.asInputs();
            inputs.put("link", link);
            SweepSession s = new SweepSession(t, scenario.routing(), scenario.sweep(), model, engineKind, threads, inputs,
                    scenario.source(link));
            s.validate();
            sessions.add(s);
        }
        Path dir = RunDirectory.create(RunCommand.runsRoot(out));
        o.printf("# collemu compare: %s, %s engine, seed %d -> %s%n", String.join(" vs ", new LinkedHashSet<>(links)),
                engineKind.cliName(), model.seed(), dir);
        o.flush();
        List<RunOutcome> outcomes = new ArrayList<>();
        try (Engine engine = Engines.create(engineKind, threads);
                ProgressReporter progress = new ProgressReporter(System.err, "compare",
                        sessions.get(0).steps() * sessions.size(), !noProgress)) {
            for (SweepSession s : sessions) {
                String label = s.topology().spec();
                String link = (String) s.inputs().get("link");
                List<SizeRun> runs = s.run(engine, dir.resolve(link), progress, 1);
                outcomes.add(outcome(link, s.topology(), runs, model));
                o.printf("# %s done (%s)%n", link, label);
                o.flush();
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        scenario.asInputs().forEach((k, v) -> inputs.put(k, String.valueOf(v)));
        inputs.put("link", String.join(",", new LinkedHashSet<>(links)));
        ComparisonReport.write(dir.resolve(RunDirectory.REPORT_HTML), outcomes,
                "collemu compare: " + String.join(" vs ", new LinkedHashSet<>(links)), inputs);
        o.print(ComparisonTable.render(outcomes));
        o.printf("# report: %s%n", dir.resolve(RunDirectory.REPORT_HTML));
        o.flush();
        return 0;
    }

    static RunOutcome outcome(String label, Topology t, List<SizeRun> runs, ModelOptions model) {
        List<CollectiveRecord> rows = new ArrayList<>();
        List<Histogram> latencies = new ArrayList<>();
        double joules = 0;
        double bits = 0;
        for (SizeRun r : runs) {
            for (CollectiveRecord c : RunOutputs.records(r, t, "", model.segmentBytes())) {
                rows.add(c);
                joules += c.energyJoules();
                bits += c.bitsMoved();
            }
            latencies.add(r.result().latencyNs());
        }
        Inventory inv = Inventory.of(t);
        return new RunOutcome(label, rows, LatencyHistograms.merge(latencies), inv.opticsIdleWatts(),
                inv.opticsLoadedWatts(), joules, bits);
    }
}

package io.collemu.node.cli;

import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineKind;
import io.collemu.node.engine.Engines;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.run.ProfileOutputs;
import io.collemu.node.run.ProfileRunner;
import io.collemu.node.run.RunOutputs;
import io.collemu.node.run.SizeRun;
import io.collemu.profiles.Plan;
import io.collemu.profiles.PlanBuilder;
import io.collemu.profiles.Profile;
import io.collemu.profiles.ProfileLoader;
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
            + "completion time and busbw by size, optics power and energy, differences in %%).",
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

    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "Compare a load profile (a training step, several jobs) instead of a sweep.")
    String profile;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Override a profile parameter (repeatable).")
    List<String> params = new ArrayList<>();

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
        if (profile != null) {
            return compareProfile(o, model, engineKind, threads);
        }
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
        try (Engine engine = Engines.create(engineKind, threads, scenario.actorGroups());
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
        List<Topology> ts = new ArrayList<>();
        for (SweepSession ss : sessions) {
            ts.add(ss.topology());
        }
        printInterruptions(o, new ArrayList<>(new LinkedHashSet<>(links)), ts);
        o.printf("# report: %s%n", dir.resolve(RunDirectory.REPORT_HTML));
        o.flush();
        return 0;
    }

    /** The same profile once per link model: the training step side by side. */
    private int compareProfile(PrintWriter o, ModelOptions model, EngineKind engineKind, int threads)
            throws IOException {
        Map<String, String> overrides = ProfileLoader.parseParams(params);
        Profile p = ProfileLoader.loadOrBuiltin(profile, overrides);
        boolean topologyGiven = spec.commandLine().getParseResult().hasMatchedOption("--topology");
        if (!topologyGiven && p.fabric() != null && !p.fabric().isBlank()) {
            scenario.topology = p.fabric();
        }
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(links));
        List<Topology> topologies = new ArrayList<>();
        List<Plan> plans = new ArrayList<>();
        for (String link : distinct) {
            Topology t = scenario.topology(link);
            topologies.add(t);
            plans.add(PlanBuilder.build(p, t.gpuCount(), t.gpusPerServer(), model.seed()));
        }
        Path dir = RunDirectory.create(RunCommand.runsRoot(out));
        o.printf("# collemu compare: profile %s, %s, %s engine, seed %d -> %s%n", p.name(),
                String.join(" vs ", distinct), engineKind.cliName(), model.seed(), dir);
        o.flush();
        List<RunOutcome> outcomes = new ArrayList<>();
        List<ProfileRunner.ProfileRun> runs = new ArrayList<>();
        Map<String, Object> inputs = scenario.asInputs();
        inputs.put("profile", profile);
        inputs.put("params", new LinkedHashMap<>(overrides));
        try (Engine engine = Engines.create(engineKind, threads, scenario.actorGroups());
                ProgressReporter progress = new ProgressReporter(System.err, "compare", distinct.size(),
                        !noProgress)) {
            for (int i = 0; i < distinct.size(); i++) {
                Topology t = topologies.get(i);
                var run = ProfileRunner.run(RunCommand.fabric(t, scenario.routing()),
                        plans.get(i), model, engine, progress);
                progress.stepDone();
                runs.add(run);
                Map<String, Object> in = new LinkedHashMap<>(inputs);
                in.put("link", distinct.get(i));
                ProfileOutputs.write(dir.resolve(distinct.get(i)), run, t, model.segmentBytes(),
                        RunCommand.header(engineKind, model, threads), in, new LinkedHashMap<>());
                List<CollectiveRecord> rows = ProfileOutputs.records(run, t, model.segmentBytes());
                double joules = 0;
                double bits = 0;
                for (CollectiveRecord c : rows) {
                    bits += c.bitsMoved();
                }
                for (double j : ProfileOutputs.iterationJoules(run, t)) {
                    joules += j;
                }
                Inventory inv = Inventory.of(t);
                outcomes.add(new RunOutcome(distinct.get(i), rows, run.result().latencyNs(), inv.opticsIdleWatts(),
                        inv.opticsLoadedWatts(), joules, bits));
            }
        }
        Map<String, String> strInputs = new LinkedHashMap<>();
        inputs.forEach((k, v) -> strInputs.put(k, String.valueOf(v)));
        strInputs.put("link", String.join(",", distinct));
        ComparisonReport.write(dir.resolve(RunDirectory.REPORT_HTML), outcomes,
                "collemu compare: " + p.name() + ", " + String.join(" vs ", distinct), strInputs);
        printSteps(o, distinct, runs, topologies);
        o.print(ComparisonTable.render(outcomes));
        printInterruptions(o, distinct, topologies);
        o.printf("# report: %s%n", dir.resolve(RunDirectory.REPORT_HTML));
        o.flush();
        return 0;
    }

    /**
     * Expected optics hard failures (each one an interruption of a synchronous training job) from the presets'
     * per-end failure rates over every optical end of the fabric.
     */
    static void printInterruptions(PrintWriter o, List<String> links, List<Topology> topologies) {
        o.println("# interruptions: expected optics hard failures of the fabric (presets' failure rate per end-hour "
                + "x optical ends)");
        double base = 0;
        for (int i = 0; i < links.size(); i++) {
            double perDay = Inventory.of(topologies.get(i)).expectedHardFailuresPerHour() * 24;
            if (i == 0) {
                base = perDay;
            }
            o.printf("  %-22s %10.4f per day  %10.1f per 1000 days%s%n", links.get(i), perDay, perDay * 1000,
                    i == 0 || base == 0 ? "" : String.format("  %+.1f%%", 100 * (perDay - base) / base));
        }
    }

    /** Per job: mean measured iteration time, exposed communication and optics energy, per link, % vs the first. */
    static void printSteps(PrintWriter o, List<String> links, List<ProfileRunner.ProfileRun> runs,
            List<Topology> topologies) {
        o.println("# training step: mean over measured iterations; % relative to " + links.get(0));
        o.printf("%-16s %-22s", "job", "metric");
        for (String l : links) {
            o.printf(" %18s %8s", l, "");
        }
        o.println();
        List<String> jobs = new ArrayList<>();
        for (var it : runs.get(0).iterations()) {
            if (!jobs.contains(it.job())) {
                jobs.add(it.job());
            }
        }
        String[] metrics = {"iteration (us)", "exposed comm (us)", "optics (J/iter)"};
        for (String job : jobs) {
            for (int m = 0; m < metrics.length; m++) {
                o.printf("%-16s %-22s", job, metrics[m]);
                double base = 0;
                for (int i = 0; i < runs.size(); i++) {
                    double v = meanOf(runs.get(i), topologies.get(i), job, m);
                    if (i == 0) {
                        base = v;
                        o.printf(" %18.1f %8s", v, "");
                    } else {
                        o.printf(" %18.1f %+7.1f%%", v, base == 0 ? 0 : 100 * (v - base) / base);
                    }
                }
                o.println();
            }
        }
    }

    private static double meanOf(ProfileRunner.ProfileRun run, Topology t, String job,
            int metric) {
        double[] joules = ProfileOutputs.iterationJoules(run, t);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < run.iterations().size(); i++) {
            var it = run.iterations().get(i);
            if (!it.job().equals(job) || it.warmup()) {
                continue;
            }
            sum += switch (metric) {
                case 0 -> it.durationPs() / 1e6;
                case 1 -> it.exposedCommPs() / 1e6;
                default -> joules[i];
            };
            n++;
        }
        return n == 0 ? 0 : sum / n;
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

package io.collemu.node.cli;

import io.collemu.node.run.Comparison;
import io.collemu.node.run.EngineSettings;
import io.collemu.node.run.RunResult;
import io.collemu.node.run.RunSettings;
import io.collemu.results.ComparisonTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

    @Mixin
    ActorOptions actors;

    @Mixin
    OutputOptions output;

    @Option(names = "--link", paramLabel = "PRESET,PRESET[,...]", split = ",", required = true,
            description = "Two or more link presets to compare; the first is the baseline of the %% differences.")
    List<String> links;

    @Option(names = "--engine", paramLabel = "sequential|actors", defaultValue = "actors",
            description = "Engine: actors (Pekko actors, default) or sequential (the oracle).")
    String engine;

    @Mixin
    FaultOptions faultOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(links));
        RunSettings base = Settings.conclude(() -> {
            Map<String, Object> inputs = scenario.inputs();
            inputs.put("engine", engine);
            inputs.putAll(faultOptions.inputs());
            return new RunSettings(scenario.topologySource(distinct.get(0), spec), scenario.workload(spec),
                    scenario.model(), scenario.fidelity(spec),
                    EngineSettings.local(RunCommand.engineKind(engine), actors.settings()),
                    output.runsRoot(), inputs, faultOptions.settings());
        });
        PrintWriter o = spec.commandLine().getOut();
        Comparison.Result result;
        try (ProgressReporter progress = new ProgressReporter(System.err, o, "compare", base,
                ProgressReporter.steps(base) * distinct.size(), output.progress()).linesTo(spec.commandLine().getErr())) {
            result = Comparison.run(base, distinct, progress);
        }
        List<Comparison.LinkRun> runs = result.links();
        if (runs.get(0).result() instanceof RunResult.Profile) {
            printSteps(o, runs);
        }
        o.print(ComparisonTable.render(runs.stream().map(Comparison.LinkRun::outcome).toList()));
        printInterruptions(o, runs);
        printCosts(o, runs);
        o.printf("# report: %s%n", result.report());
        o.flush();
        return 0;
    }

    /** Expected optics hard failures of each fabric (each one an interruption of a synchronous training job). */
    private static void printInterruptions(PrintWriter o, List<Comparison.LinkRun> runs) {
        o.println("# interruptions: expected optics hard failures of the fabric (presets' failure rate per end-hour "
                + "x optical ends)");
        double base = runs.get(0).failuresPerDay();
        for (int i = 0; i < runs.size(); i++) {
            double perDay = runs.get(i).failuresPerDay();
            o.printf("  %-22s %10.4f per day  %10.1f per 1000 days%s%n", runs.get(i).link(), perDay, perDay * 1000,
                    i == 0 || base == 0 ? "" : String.format("  %+.1f%%", 100 * (perDay - base) / base));
        }
    }

    /** The cost of a year of each fabric (capital share, energy at the measured optics power, expected downtime). */
    private static void printCosts(PrintWriter o, List<Comparison.LinkRun> runs) {
        o.println("# cost per year, USD: capital / lifetime, optics energy at the run's mean power, downtime of the"
                + " expected interruptions of a job on every GPU (all prices and rates assumed; see 'collemu"
                + " reliability' for a campaign with degraded running)");
        o.printf("  %-22s %12s %12s %12s %12s %14s%n", "link model", "capital", "energy", "downtime", "total",
                "interruptions");
        double base = 0;
        for (int i = 0; i < runs.size(); i++) {
            Comparison.LinkRun r = runs.get(i);
            var t = r.result().topology();
            double seconds = (r.outcome().collectives().stream().mapToLong(c -> c.endPs()).max().orElse(0)
                    - r.outcome().collectives().stream().mapToLong(c -> c.startPs()).min().orElse(0)) * 1e-12;
            double watts = seconds > 0 ? r.outcome().energyJoules() / seconds : r.outcome().opticsIdleWatts();
            var y = io.collemu.node.run.Reliability.yearCost(t, io.collemu.node.run.CostModel.defaults(2.5), watts);
            if (i == 0) {
                base = y.total();
            }
            o.printf("  %-22s %12s %12s %12s %12s %14.2f%s%n", r.link(), usd(y.capex()), usd(y.energy()),
                    usd(y.downtime()), usd(y.total()), y.interruptionsPerYear(),
                    i == 0 || base == 0 ? "" : String.format("  %+.1f%%", 100 * (y.total() - base) / base));
        }
    }

    private static String usd(double v) {
        return String.format(java.util.Locale.ROOT, "$%,.0f", v);
    }

    /** Per job: mean measured iteration time, exposed communication and optics energy, per link, % vs the first. */
    private static void printSteps(PrintWriter o, List<Comparison.LinkRun> runs) {
        o.println("# training step: mean over measured iterations; % relative to " + runs.get(0).link());
        o.printf("%-16s %-22s", "job", "metric");
        for (Comparison.LinkRun r : runs) {
            o.printf(" %18s %8s", r.link(), "");
        }
        o.println();
        String[] metrics = {"iteration (us)", "exposed comm (us)", "optics (J/iter)"};
        for (String job : Comparison.jobs((RunResult.Profile) runs.get(0).result())) {
            for (int m = 0; m < metrics.length; m++) {
                o.printf("%-16s %-22s", job, metrics[m]);
                double base = 0;
                for (int i = 0; i < runs.size(); i++) {
                    Comparison.StepMeans means = Comparison.stepMeans((RunResult.Profile) runs.get(i).result(), job);
                    double v = m == 0 ? means.iterationUs() : m == 1 ? means.exposedCommUs()
                            : means.opticsJoulesPerIteration();
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
}

package io.collemu.node.cli;

import io.collemu.node.run.EngineSettings;
import io.collemu.node.run.Grid;
import io.collemu.node.run.RunSettings;
import io.collemu.node.run.UserError;
import io.collemu.results.RunDirectory;
import io.collemu.results.SizeAggregate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code collemu sweep}: a grid of runs over topologies ({@code {a,b}} templates), link presets, collectives or
 * profiles, and seeds, one after another; one table, one grid.csv and one report.html over the grid; resumable.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Runs a grid: every combination of topology, link preset, collective (or profile) and seed, "
            + "each an nccl-tests style sweep of --sizes, into runs/<timestamp>/point-NNN/, with grid.csv and "
            + "report.html over the grid. --resume DIR continues an interrupted grid.",
            "Example: collemu sweep --topology 'rail-optimized:gpus={64,128},gpus-per-server=8,scale-up=nvlink4' "
                + "--link pluggable-dsp-800g,cpo-1.6t --collective all-reduce,all-to-all --sizes 1M,64M"})
public final class SweepCommand implements Callable<Integer> {
    /** The most points one grid may have. */
    static final int MAX_POINTS = 1_000;

    @Mixin
    ScenarioOptions scenario;

    @Mixin
    ActorOptions actors;

    @Mixin
    OutputOptions output;

    @Mixin
    FaultOptions faultOptions;

    /** The faults every point runs with, parsed once. */
    private io.collemu.node.run.FaultSettings faults;

    @Option(names = "--link", paramLabel = "PRESET[,PRESET...]", split = ",",
            description = "Link presets, one grid axis (default: the topology's own).")
    List<String> links = new ArrayList<>();

    @Option(names = "--seeds", paramLabel = "N[,N...]", split = ",",
            description = "Seeds, one grid axis (default: --seed).")
    List<Long> seeds = new ArrayList<>();

    @Option(names = "--engine", paramLabel = "sequential|actors", defaultValue = "actors",
            description = "Engine: actors (default) or sequential.")
    String engine;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "A sweep directory to continue: finished points are read back, the rest run.")
    Path resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Grid.Point> points = Settings.conclude(this::points);
        Path dir = resume != null ? resumeDir() : newDir();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("# collemu sweep: %d points -> %s%s%n", points.size(), dir, resume != null ? " (resumed)" : "");
        o.flush();
        Grid.Result r;
        long steps = 0;
        for (Grid.Point p : points) {
            steps += ProgressReporter.steps(p.settings());
        }
        try (ProgressReporter progress = new ProgressReporter(System.err, o, "sweep", points.get(0).settings(), steps,
                output.progress()).linesTo(spec.commandLine().getErr())) {
            r = Grid.run(points, dir, resume != null, new QuietListener(progress));
        }
        print(o, r);
        return 0;
    }

    private Path newDir() {
        return io.collemu.node.run.Runner.createRunDirectory(output.runsRoot());
    }

    private Path resumeDir() {
        if (!Files.isDirectory(resume) || !Files.exists(resume.resolve(Grid.POINTS_FILE))) {
            throw new UserError("--resume: " + resume + " is not a sweep directory (no " + Grid.POINTS_FILE + ")");
        }
        return resume;
    }

    private List<Grid.Point> points() {
        faults = faultOptions.settings();
        List<String> topologies = Grid.expand(scenario.topology);
        List<String> linkAxis = links.isEmpty() ? java.util.Collections.singletonList((String) null) : links;
        List<Long> seedAxis = seeds.isEmpty() ? List.of(scenario.seed) : seeds;
        List<String> workloads = scenario.profile != null ? List.of(scenario.profile.split(","))
                : scenario.collectives;
        if (workloads.isEmpty()) {
            throw new UserError("--profile: '" + scenario.profile + "' names no profile");
        }
        boolean explicit = spec.commandLine().getParseResult().hasMatchedOption("--topology");
        List<Grid.Point> out = new ArrayList<>();
        for (String t : topologies) {
            for (String link : linkAxis) {
                for (String w : workloads) {
                    for (long seed : seedAxis) {
                        if (out.size() >= MAX_POINTS) {
                            throw new UserError("the grid has more than " + MAX_POINTS + " points: fewer values");
                        }
                        out.add(point(t, link, w, seed, explicit));
                    }
                }
            }
        }
        return out;
    }

    private Grid.Point point(String topology, String link, String workload, long seed, boolean explicit) {
        boolean profile = scenario.profile != null;
        Map<String, Object> inputs = new LinkedHashMap<>(scenario.inputs());
        inputs.putAll(Grid.axes(topology, link, workload, seed));
        inputs.putAll(faultOptions.inputs());
        RunSettings s = new RunSettings(scenario.topologySource(topology, link, explicit),
                scenario.workload(spec, profile ? List.of() : List.of(workload), profile ? workload.trim() : null),
                scenario.model(seed), scenario.fidelity(spec), EngineSettings.local(RunCommand.engineKind(engine), actors.settings()),
                null, inputs, faults);
        String label = topology + (link == null ? "" : " | " + link) + " | " + workload.trim() + " | seed " + seed;
        return new Grid.Point(label, s);
    }

    private static void print(PrintWriter o, Grid.Result r) {
        for (int i = 0; i < r.points().size(); i++) {
            Grid.PointResult p = r.points().get(i);
            o.printf("# point %d: %s%s%n", i + 1, p.point().label(), p.resumed() ? " (read back)" : "");
        }
        o.printf("# %5s %-14s %12s %12s %10s %10s %10s%n", "point", "collective", "size(B)", "time(us)", "algbw",
                "busbw", "p99(ns)");
        for (int i = 0; i < r.points().size(); i++) {
            Grid.PointResult p = r.points().get(i);
            for (SizeAggregate a : SizeAggregate.of(p.outcome().collectives())) {
                long p99 = p.outcome().collectives().stream().filter(c -> c.sizeBytes() == a.sizeBytes()
                        && c.kind().equals(a.kind())).mapToLong(c -> c.latencyP99Ns()).max().orElse(0);
                o.printf("  %5d %-14s %12d %12.2f %10.2f %10.2f %10d%n", i + 1, a.kind(), a.sizeBytes(),
                        a.meanDurationPs() / 1e6, a.algbwGBps(), a.busbwGBps(), p99);
            }
        }
        o.printf("# grid: %s%n# report: %s%n", r.dir().resolve(Grid.CSV), r.dir().resolve(RunDirectory.REPORT_HTML));
        o.flush();
    }

    /** The grid's runs print no per-run header lines; progress goes on. */
    private record QuietListener(ProgressReporter progress) implements io.collemu.node.run.RunListener {
        @Override
        public void update(long virtualPs, long events) {
            progress.update(virtualPs, events);
        }

        @Override
        public void stepDone() {
            progress.stepDone();
        }

        @Override
        public void interruption(String line) {
            progress.interruption(line);
        }
    }
}

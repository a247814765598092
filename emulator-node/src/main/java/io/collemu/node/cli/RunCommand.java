package io.collemu.node.cli;

import io.collemu.node.cluster.ClusterEngine;
import io.collemu.node.cluster.ClusterSettings;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineKind;
import io.collemu.node.engine.Engines;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.run.RunOutputs;
import io.collemu.node.run.SizeRun;
import io.collemu.results.CollectiveRecord;
import io.collemu.results.NcclTestsTable;
import io.collemu.results.RunDirectory;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;
import io.collemu.topology.route.RoutingMode;
import java.io.IOException;
import java.io.PrintWriter;
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

/** {@code collemu run}: an nccl-tests style sweep of one or more collectives over a fabric. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs collectives over a fabric, nccl-tests style, and writes runs/<timestamp>/.",
            "With no flags: the default what-if (128 GPUs, rail-optimized, 800G DSP pluggables, all-reduce and "
                + "all-to-all from 1M to 1G)."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ScenarioOptions scenario;

    @Option(names = "--link", paramLabel = "PRESET",
            description = "Link preset for the fabric links, replacing the topology's link= (see 'collemu topology presets').")
    String link;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where run directories go (default: runs/ at the collemu checkout, else ./runs).")
    Path out;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Option(names = "--members", paramLabel = "N", defaultValue = "1",
            description = "Cluster members to run on (this process and N-1 'collemu node' processes); 1 = embedded "
                + "(default: ${DEFAULT-VALUE}).")
    int members;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "Replay a load profile (built-in name or YAML file; see 'collemu profiles list') instead "
                + "of a sweep.")
    String profile;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "Override a profile parameter (repeatable), e.g. --param tp=8 --param bucketBytes=50M.")
    java.util.List<String> params = new java.util.ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (profile != null) {
            return ProfileSession.run(this, o);
        }
        if (!params.isEmpty()) {
            throw new UserError("--param needs --profile");
        }
        Topology topology = scenario.topology(link);
        ModelOptions model = scenario.model();
        EngineKind engineKind = scenario.engineKind();
        int threads = scenario.threads();
        Map<String, Object> inputs = scenario.asInputs();
        inputs.put("link", link);
        if (members < 1 || members > 256) {
            throw new UserError("--members: " + members + " is out of range 1..256");
        }
        if (members > 1 && engineKind != EngineKind.ACTORS) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--engine")) {
                throw new UserError("--members " + members + " needs --engine actors");
            }
            engineKind = EngineKind.ACTORS; // a cluster run is an actor run
        }
        inputs.put("members", members);
        SweepSession session = new SweepSession(topology, scenario.routing(), scenario.sweep(), model, engineKind,
                threads, inputs, scenario.source(link));
        session.validate();
        ClusterSettings clusterSettings = members > 1 ? cluster.settings(threads) : null;
        try (Engine engine = members > 1 ? new ClusterEngine(clusterSettings, members, cluster.memberWait(), scenario.actorGroups())
                : Engines.create(engineKind, threads, scenario.actorGroups())) {
            if (engine instanceof ClusterEngine) {
                o.printf("# cluster of %d members up at %s%n", members, clusterSettings.selfAddress());
            }
            Path dir = RunDirectory.create(runsRoot(out));
            o.printf("# collemu %s: %s, %d GPUs, %s engine, segment %s, seed %d%n", CollemuCommand.VERSION,
                    topology.spec(), topology.gpuCount(), engineKind.cliName(), Sizes.format(model.segmentBytes()),
                    model.seed());
            o.printf("# output: %s%n", dir);
            o.flush();
            long wallStart = System.nanoTime();
            try (ProgressReporter progress = new ProgressReporter(System.err, "run", session.steps(),
                    !noProgress)) {
                List<SizeRun> done = session.run(engine, dir, progress, members);
                if (engine instanceof ClusterEngine ce && ce.lastPartition() != null) {
                    o.printf("# partition: %s%n", ce.lastPartition().describe());
                    o.printf("# cluster: %s%n", ce.figures());
                }
                progress.close();
                printTables(o, done, topology, model);
                double wall = (System.nanoTime() - wallStart) / 1e9;
                o.printf("# %d events in %.2f s wall (%.2f M events/s); results in %s%n", progress.totalEvents(),
                        wall, progress.totalEvents() / wall / 1e6, dir);
                o.flush();
            }
        }
        return 0;
    }

    static Fabric fabric(Topology topology, RoutingMode routing) {
        try {
            return new Fabric(topology, new Router(topology, routing));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static Path runsRoot(Path out) {
        if (out != null) {
            return out;
        }
        String home = System.getProperty("collemu.home");
        return home == null ? Path.of("runs") : Path.of(home, "runs");
    }

    static Map<String, Object> header(EngineKind engine, ModelOptions model, int threads) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("collemuVersion", CollemuCommand.VERSION);
        h.put("seed", model.seed());
        h.put("engine", engine.cliName());
        h.put("members", 1);
        h.put("threads", engine == EngineKind.ACTORS ? threads : 1);
        return h;
    }

    static void printTables(PrintWriter o, List<SizeRun> done, Topology topology, ModelOptions model) {
        List<CollectiveRecord> rows = new ArrayList<>();
        for (SizeRun r : done) {
            rows.addAll(RunOutputs.records(r, topology, "", model.segmentBytes()));
        }
        o.print(NcclTestsTable.render(rows));
        o.println();
        o.println("# segment latency (ns), end to end, per size");
        o.printf("# %-14s %12s %10s %10s %10s %10s %12s%n", "collective", "size(B)", "p50", "p99", "p99.9", "max",
                "segments");
        for (SizeRun r : done) {
            var h = r.result().latencyNs();
            o.printf("  %-14s %12d %10d %10d %10d %10d %12d%n", r.kind().cliName(), r.sizeBytes(),
                    h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                    h.getMaxValue(), r.result().segmentsDelivered());
        }
        o.flush();
    }
}

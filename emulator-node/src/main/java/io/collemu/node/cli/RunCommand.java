package io.collemu.node.cli;

import io.collemu.node.run.EngineKind;
import io.collemu.node.run.EngineSettings;
import io.collemu.node.run.RunResult;
import io.collemu.node.run.RunSettings;
import io.collemu.node.run.Runner;
import io.collemu.node.run.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code collemu run}: an nccl-tests style sweep, or a load profile, over a fabric. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs collectives over a fabric, nccl-tests style, and writes runs/<timestamp>/.",
            "With no flags: the default what-if (128 GPUs, rail-optimized, 800G DSP pluggables, all-reduce and "
                + "all-to-all from 1M to 1G)."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ScenarioOptions scenario;

    @Mixin
    ActorOptions actors;

    @Mixin
    OutputOptions output;

    @Mixin
    FaultOptions faultOptions;

    @Option(names = "--link", paramLabel = "PRESET",
            description = "Link preset for the fabric links, replacing the topology's link= (see 'collemu topology "
                + "presets').")
    String link;

    @Option(names = "--engine", paramLabel = "sequential|actors", defaultValue = "actors",
            description = "Engine: actors (Pekko actors, default) or sequential (the oracle).")
    String engine;

    @Option(names = "--members", paramLabel = "N", defaultValue = "1",
            description = "Cluster members to run on (this process and N-1 'collemu node' processes); 1 = embedded "
                + "(default: ${DEFAULT-VALUE}).")
    int members;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the nccl-tests figures as JSON to FILE (- = stdout), as nccl-tests -J does.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RunSettings settings = settings();
        PrintWriter o = spec.commandLine().getOut();
        if (members > 1 && cluster.insecureInUse()) {
            spec.commandLine().getErr().println("collemu run: --insecure: plain TCP on "
                    + settings.engine().cluster().host() + ": anyone who reaches the port can join the run");
        }
        try (ProgressReporter progress = new ProgressReporter(System.err, o, "run", settings,
                ProgressReporter.steps(settings), output.progress()).linesTo(spec.commandLine().getErr())) {
            RunResult r = Runner.run(settings, progress);
            progress.close();
            if (json != null) {
                writeJson(r, settings, o);
            }
            Tables.print(o, r);
            o.printf("# %d events in %.2f s wall (%.2f M events/s); results in %s%n", r.figures().events(),
                    r.figures().wallSeconds(), r.figures().eventsPerSecond() / 1e6, r.dir());
            o.flush();
        }
        return 0;
    }

    private RunSettings settings() {
        return Settings.conclude(() -> {
            EngineKind kind = engineKind(engine);
            if (members > 1 && kind != EngineKind.ACTORS) {
                if (spec.commandLine().getParseResult().hasMatchedOption("--engine")) {
                    throw new UserError("--members " + members + " needs --engine actors");
                }
                kind = EngineKind.ACTORS; // a cluster run is an actor run
            }
            var actorSettings = actors.settings();
            // the flags are checked even when unused; the address only when this run listens on it
            var clusterSettings = members > 1 ? cluster.settings(actorSettings.threads())
                    : cluster.settingsUnprobed(actorSettings.threads());
            EngineSettings e = members == 1 ? EngineSettings.local(kind, actorSettings)
                    : new EngineSettings(kind, actorSettings, members, clusterSettings, cluster.memberWait());
            Map<String, Object> inputs = scenario.inputs();
            inputs.put("link", link);
            inputs.put("engine", engine);
            inputs.put("members", members);
            inputs.putAll(faultOptions.inputs());
            return new RunSettings(scenario.topologySource(link, spec), scenario.workload(spec), scenario.model(),
                    scenario.fidelity(spec), e,
                    output.runsRoot(), inputs, faultOptions.settings());
        });
    }

    /** The nccl-tests figures as JSON: the run's configuration and one object per (kind, ranks, size). */
    private void writeJson(RunResult r, RunSettings settings, PrintWriter o) {
        Map<String, Object> doc = new java.util.LinkedHashMap<>(settings.header());
        doc.put("inputs", settings.inputs());
        doc.put("results", io.collemu.results.NcclTestsTable.json(r.records()));
        String text = io.collemu.results.Json.write(doc);
        if (json.toString().equals("-")) {
            o.println(text);
            return;
        }
        try {
            java.nio.file.Files.writeString(json, text + "\n");
        } catch (IOException | RuntimeException e) {
            throw new UserError("--json: cannot write " + json + ": " + e.getMessage());
        }
    }

    /** The engine a {@code --engine} value names. */
    static EngineKind engineKind(String name) {
        try {
            return EngineKind.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--engine: '" + name + "' is not sequential or actors");
        }
    }
}

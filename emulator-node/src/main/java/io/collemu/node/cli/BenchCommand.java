package io.collemu.node.cli;

import io.collemu.node.run.Bench;
import io.collemu.node.run.EngineKind;
import io.collemu.node.run.EngineSettings;
import io.collemu.node.run.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code collemu bench}: named scenarios, each run by one or both engines in this process, printing events/s
 * (an event = one LP handling one event: a segment reaching a port or GPU, a serialization ending, a credit
 * returning, a task starting), wall time and peak heap.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures the engines on named scenarios: events/s, wall time, peak heap.",
            "Scenarios: ring-ar-1024 (1,024-GPU ring all-reduce of 256 MiB), a2a-1024 (1,024-GPU all-to-all, "
                + "1 MiB per pair), default (the default what-if at 64 MiB), small (128 GPUs, quick), "
                + "hier-16k (16,384-GPU hierarchical all-reduce of 64 MiB, rail-optimized, 1.6T CPO), "
                + "pkt-ar128, pkt-a2a128, pkt-a2a1024 (htsim's anchors: fat-trees k=8 and k=16 at 400G, 4 KiB "
                + "packets), topology-32k (build and route a 32,768-GPU rail-optimized fabric)."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--scenario", split = ",", paramLabel = "NAME[,NAME...]",
            description = "Scenarios to run (default: ring-ar-1024,a2a-1024).")
    List<String> scenarios = new ArrayList<>(List.of("ring-ar-1024", "a2a-1024"));

    @Option(names = "--engine", paramLabel = "sequential|actors|both", defaultValue = "both",
            description = "Which engines (default: ${DEFAULT-VALUE}).")
    String engine;

    @Mixin
    ActorOptions actors;

    @Option(names = "--segment-bytes", paramLabel = "BYTES", description = "Override the scenarios' segment size.")
    String segmentBytes;

    @Option(names = "--fidelity", paramLabel = "ideal|nccl", defaultValue = "ideal",
            description = "ideal (the engines' raw speed, comparable across releases) or nccl (default: "
                + "${DEFAULT-VALUE}).")
    String fidelity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<EngineKind> engines = switch (engine.toLowerCase(Locale.ROOT)) {
            case "both" -> List.of(EngineKind.SEQUENTIAL, EngineKind.ACTORS);
            case "sequential" -> List.of(EngineKind.SEQUENTIAL);
            case "actors" -> List.of(EngineKind.ACTORS);
            default -> throw new UserError("--engine: '" + engine + "' is not sequential, actors or both");
        };
        for (String name : scenarios) {
            if (!Bench.SCENARIOS.containsKey(name)) {
                throw new UserError("--scenario: unknown scenario '" + name + "' (known: "
                        + String.join(", ", Bench.SCENARIOS.keySet()) + ")");
            }
        }
        long seg = segmentBytes == null ? 0 : Settings.conclude(() -> {
            long b = Sizes.parse(segmentBytes, "--segment-bytes");
            io.collemu.node.lp.ModelOptions.defaults(b, 1); // the one place its bounds are checked
            return b;
        });
        var actorSettings = actors.settings();
        io.collemu.node.run.Fidelity f = switch (fidelity.toLowerCase(Locale.ROOT)) {
            case "ideal" -> io.collemu.node.run.Fidelity.IDEAL;
            case "nccl" -> io.collemu.node.run.Fidelity.NCCL;
            default -> throw new UserError("--fidelity: '" + fidelity + "' is not ideal or nccl");
        };
        PrintWriter o = spec.commandLine().getOut();
        o.printf("# collemu bench on %d cores, %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        o.printf("%-14s %-10s %14s %10s %12s %12s %12s %12s%n", "scenario", "engine", "events", "wall(s)",
                "Mevents/s", "Mseg-hops/s", "peakHeap(MiB)", "virtual(us)");
        o.flush();
        for (String name : scenarios) {
            Bench.Scenario s = Bench.SCENARIOS.get(name);
            if (s.kind() == null) {
                printTopology(o, Bench.measureTopology(s));
                continue;
            }
            double[] walls = new double[engines.size()];
            for (int i = 0; i < engines.size(); i++) {
                Bench.Row row = Bench.measure(s, EngineSettings.local(engines.get(i), actorSettings), seg, f);
                walls[i] = row.wallSeconds();
                printRow(o, row);
            }
            if (engines.size() == 2) {
                o.printf("%-14s ratio actors/sequential = %.2f (wall time sequential/actors)%n", name,
                        walls[0] / walls[1]);
            }
            o.flush();
        }
        return 0;
    }

    private static void printRow(PrintWriter o, Bench.Row r) {
        var st = r.stats();
        o.printf("%-14s %-10s %14d %10.2f %12.2f %12.2f %12d %12.1f%s%n", r.scenario().name(), r.engine().cliName(),
                st.events(), r.wallSeconds(), r.eventsPerSecond() / 1e6, r.segmentHopsPerSecond() / 1e6,
                r.peakHeapBytes() >> 20, r.virtualUs(),
                r.engine() == EngineKind.ACTORS ? String.format("   windows %d, activations %d (%.2f events each)",
                        st.windows(), st.activations(), st.events() / (double) Math.max(1, st.activations())) : "");
        o.flush();
    }

    private static void printTopology(PrintWriter o, Bench.TopologyRow t) {
        o.printf("%-14s build %.2f s (%d nodes, %d ports); %d random routes in %.2f s (%.2f M routes/s, mean %.2f"
                + " hops); peak heap %d MiB%n", t.scenario().name(), t.buildSeconds(), t.nodes(), t.ports(),
                t.routes(), t.routeSeconds(), t.routes() / t.routeSeconds() / 1e6, t.meanHops(),
                t.peakHeapBytes() >> 20);
        o.flush();
    }
}

package io.collemu.node.cli;

import io.collemu.collectives.CollectiveKind;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineKind;
import io.collemu.node.engine.Engines;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.run.ExecutionResult;
import io.collemu.node.run.SizeRun;
import io.collemu.node.run.SweepRunner;
import io.collemu.node.run.SweepSpec;
import io.collemu.topology.build.TopologySpecs;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
                + "topology-32k (build and route a 32,768-GPU rail-optimized fabric)."})
public final class BenchCommand implements Callable<Integer> {
    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        String rail1024 = "rail-optimized:gpus=1024,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g";
        add(new Scenario("ring-ar-1024", rail1024, CollectiveKind.ALL_REDUCE, "ring", 256L << 20, 64 << 10));
        add(new Scenario("a2a-1024", rail1024, CollectiveKind.ALL_TO_ALL, "auto", 1024L << 20, 64 << 10));
        add(new Scenario("default", ScenarioOptions.DEFAULT_TOPOLOGY, CollectiveKind.ALL_REDUCE, "auto", 64L << 20,
                64 << 10));
        add(new Scenario("small", ScenarioOptions.DEFAULT_TOPOLOGY, CollectiveKind.ALL_REDUCE, "ring", 16L << 20,
                64 << 10));
        add(new Scenario("hier-16k", "rail-optimized:gpus=16384,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t",
                CollectiveKind.ALL_REDUCE, "hierarchical", 64L << 20, 64 << 10));
        add(new Scenario("topology-32k", "rail-optimized:gpus=32768,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t",
                null, null, 0, 0));
    }

    @Option(names = "--scenario", split = ",", paramLabel = "NAME[,NAME...]",
            description = "Scenarios to run (default: ring-ar-1024,a2a-1024).")
    List<String> scenarios = new ArrayList<>(List.of("ring-ar-1024", "a2a-1024"));

    @Option(names = "--engine", paramLabel = "sequential|actors|both", defaultValue = "both",
            description = "Which engines (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Actor dispatcher threads; 0 = one per core (default).")
    int threads;

    @Option(names = "--segment-bytes", paramLabel = "BYTES", description = "Override the scenarios' segment size.")
    String segmentBytes;

    @Option(names = "--actor-groups", paramLabel = "lp|server|switch", defaultValue = "switch",
            description = "How the actor engine groups LPs into actors (default: ${DEFAULT-VALUE}).")
    String actorGroups;

    @Spec
    CommandSpec spec;

    record Scenario(String name, String topology, CollectiveKind kind, String algorithm, long sizeBytes,
            long segmentBytes) {
    }

    private static void add(Scenario s) {
        SCENARIOS.put(s.name(), s);
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        List<EngineKind> engines = switch (engine.toLowerCase(Locale.ROOT)) {
            case "both" -> List.of(EngineKind.SEQUENTIAL, EngineKind.ACTORS);
            case "sequential" -> List.of(EngineKind.SEQUENTIAL);
            case "actors" -> List.of(EngineKind.ACTORS);
            default -> throw new UserError("--engine: '" + engine + "' is not sequential, actors or both");
        };
        for (String name : scenarios) {
            if (!SCENARIOS.containsKey(name)) {
                throw new UserError("--scenario: unknown scenario '" + name + "' (known: "
                        + String.join(", ", SCENARIOS.keySet()) + ")");
            }
        }
        if (threads < 0 || threads > 256) {
            throw new UserError("--threads: " + threads + " is out of range 0..256");
        }
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        o.printf("# collemu bench on %d cores, %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        o.printf("%-14s %-10s %14s %10s %12s %12s %12s%n", "scenario", "engine", "events", "wall(s)", "Mevents/s",
                "peakHeap(MiB)", "virtual(us)");
        o.flush();
        for (String name : scenarios) {
            Scenario s = SCENARIOS.get(name);
            if (s.kind() == null) {
                benchTopology(o, s);
                continue;
            }
            double[] rates = new double[engines.size()];
            for (int i = 0; i < engines.size(); i++) {
                rates[i] = benchOne(o, s, engines.get(i), t);
            }
            if (engines.size() == 2) {
                o.printf("%-14s ratio actors/sequential = %.2f%n", name, rates[1] / rates[0]);
            }
            o.flush();
        }
        return 0;
    }

    private double benchOne(PrintWriter o, Scenario s, EngineKind kind, int threads) {
        Topology topology = TopologySpecs.parse(s.topology());
        Fabric fabric = new Fabric(topology);
        long seg = segmentBytes == null ? s.segmentBytes() : Sizes.parse(segmentBytes, "--segment-bytes");
        ModelOptions model = ModelOptions.defaults(seg, 1);
        SweepSpec sweep = new SweepSpec(List.of(s.kind()), s.algorithm(), List.of(s.sizeBytes()), 1, 1, 0);
        resetPeaks();
        long t0 = System.nanoTime();
        ExecutionResult r;
        io.collemu.node.engine.Grouping.Mode mode;
        try {
            mode = io.collemu.node.engine.Grouping.Mode.fromName(actorGroups);
        } catch (IllegalArgumentException e) {
            throw new UserError("--actor-groups: '" + actorGroups + "' is not lp, server or switch");
        }
        try (Engine engine = Engines.create(kind, threads, mode)) {
            List<SizeRun> runs = new SweepRunner(fabric, model, engine).run(sweep, Progress.NONE, x -> { });
            r = runs.get(0).result();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double rate = r.stats().events() / wall;
        o.printf("%-14s %-10s %14d %10.2f %12.2f %12d %12.1f%s%n", s.name(), kind.cliName(), r.stats().events(), wall,
                rate / 1e6, peakHeapBytes() >> 20, r.durationPs() / 1e6, kind == EngineKind.ACTORS
                        ? String.format("   windows %d, activations %d (%.2f events each)", r.stats().windows(),
                                r.stats().activations(), r.stats().events() / (double) Math.max(1,
                                        r.stats().activations())) : "");
        o.flush();
        return rate;
    }

    private void benchTopology(PrintWriter o, Scenario s) {
        resetPeaks();
        long t0 = System.nanoTime();
        Topology t = TopologySpecs.parse(s.topology());
        long built = System.nanoTime();
        Router router = new Router(t);
        SplittableRandom rnd = new SplittableRandom(1);
        int[] path = new int[16];
        long hops = 0;
        int pairs = 1_000_000;
        for (int i = 0; i < pairs; i++) {
            int a = rnd.nextInt(t.gpuCount());
            int b = rnd.nextInt(t.gpuCount());
            if (a != b) {
                hops += router.path(a, b, i, path);
            }
        }
        long routed = System.nanoTime();
        o.printf("%-14s build %.2f s (%d nodes, %d ports); %d random routes in %.2f s (%.2f M routes/s, mean %.2f"
                + " hops); peak heap %d MiB%n", s.name(), (built - t0) / 1e9, t.nodeCount(), t.portCount(), pairs,
                (routed - built) / 1e9, pairs / ((routed - built) / 1e9) / 1e6, hops / (double) pairs,
                peakHeapBytes() >> 20);
        o.flush();
    }

    static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}

package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.node.engine.EngineStats;
import io.collemu.node.lp.ModelOptions;
import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;
import io.collemu.topology.route.RoutingMode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code collemu bench}: named scenarios, each run by one engine in this process, measured in events (one LP
 * handling one event: a segment reaching a port or GPU, a serialization ending, a credit returning, a task
 * starting), wall time and peak heap. Nothing is written.
 */
public final class Bench {
    /** The default what-if's fabric. */
    public static final String DEFAULT_TOPOLOGY =
            "rail-optimized:gpus=128,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g";
    private static final String RAIL_1024 =
            "rail-optimized:gpus=1024,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g";

    /**
     * One scenario: a single collective of one size on a fabric (or, with no kind, building and routing it).
     *
     * @param sizeBytes    bytes per rank
     * @param segmentBytes the scenario's segment size
     */
    public record Scenario(String name, String description, String topology, CollectiveKind kind, String algorithm,
            long sizeBytes, long segmentBytes) {
    }

    /** Every scenario, by name, in the order {@code --help} lists them. */
    public static final Map<String, Scenario> SCENARIOS = scenarios();

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> m = new LinkedHashMap<>();
        for (Scenario s : List.of(
                new Scenario("ring-ar-1024", "1,024-GPU ring all-reduce of 256 MiB", RAIL_1024,
                        CollectiveKind.ALL_REDUCE, "ring", 256L << 20, 64 << 10),
                new Scenario("a2a-1024", "1,024-GPU all-to-all, 1 MiB per pair", RAIL_1024,
                        CollectiveKind.ALL_TO_ALL, "auto", 1024L << 20, 64 << 10),
                new Scenario("default", "the default what-if's fabric, all-reduce of 64 MiB", DEFAULT_TOPOLOGY,
                        CollectiveKind.ALL_REDUCE, "auto", 64L << 20, 64 << 10),
                new Scenario("small", "128 GPUs, ring all-reduce of 16 MiB (quick)", DEFAULT_TOPOLOGY,
                        CollectiveKind.ALL_REDUCE, "ring", 16L << 20, 64 << 10),
                new Scenario("hier-16k", "16,384-GPU hierarchical all-reduce of 64 MiB, rail-optimized, 1.6T CPO",
                        "rail-optimized:gpus=16384,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t",
                        CollectiveKind.ALL_REDUCE, "hierarchical", 64L << 20, 64 << 10),
                new Scenario("pkt-ar128", "htsim's anchor: ring all-reduce, 128 hosts of a k=8 fat-tree at 400G, 128 MiB"
                        + " per host, 4 KiB packets", "fat-tree:k=8,link=pluggable-dsp-400g", CollectiveKind.ALL_REDUCE,
                        "ring", 128L << 20, 4 << 10),
                new Scenario("pkt-a2a128", "htsim's anchor: all-to-all, 128 hosts of a k=8 fat-tree at 400G, 1 MiB per"
                        + " pair, 4 KiB packets", "fat-tree:k=8,link=pluggable-dsp-400g", CollectiveKind.ALL_TO_ALL,
                        "direct", 128L << 20, 4 << 10),
                new Scenario("pkt-a2a1024", "htsim's anchor: all-to-all, 1,024 hosts of a k=16 fat-tree at 400G, 8 KiB"
                        + " per pair, 4 KiB packets", "fat-tree:k=16,link=pluggable-dsp-400g",
                        CollectiveKind.ALL_TO_ALL, "direct", 8L << 20, 4 << 10),
                new Scenario("topology-32k", "build and route a 32,768-GPU rail-optimized fabric",
                        "rail-optimized:gpus=32768,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t", null, null, 0,
                        0))) {
            m.put(s.name(), s);
        }
        return m;
    }

    /**
     * One engine's figures on one scenario.
     *
     * @param virtualUs the emulated time
     */
    public record Row(Scenario scenario, EngineKind engine, EngineStats stats, double wallSeconds,
            long peakHeapBytes, double virtualUs, long segmentHops) {
        /** Events per wall second. */
        public double eventsPerSecond() {
            return wallSeconds > 0 ? stats.events() / wallSeconds : 0;
        }

        /** Segments times the hops they crossed (serializations), per wall second: a unit independent of events. */
        public double segmentHopsPerSecond() {
            return wallSeconds > 0 ? segmentHops / wallSeconds : 0;
        }
    }

    /** Building and routing a fabric. */
    public record TopologyRow(Scenario scenario, double buildSeconds, int nodes, int ports, int routes,
            double routeSeconds, double meanHops, long peakHeapBytes) {
    }

    private Bench() {
    }

    /**
     * Runs scenario {@code s} once on {@code engine}.
     *
     * @param segmentBytes the segment size, or 0 for the scenario's own
     * @param fidelity     ideal (the engines' raw speed, comparable across releases) or nccl
     */
    public static Row measure(Scenario s, EngineSettings engine, long segmentBytes, Fidelity fidelity)
            throws java.io.IOException {
        ModelOptions model = ModelOptions.defaults(segmentBytes > 0 ? segmentBytes : s.segmentBytes(), 1);
        SweepSpec sweep = new SweepSpec(List.of(s.kind()), s.algorithm(), List.of(s.sizeBytes()), 1, 1, 0);
        TopologySource source = new TopologySource(s.topology(), null, true, null, RoutingMode.ECMP);
        RunSettings settings = new RunSettings(source, sweep, model, fidelity, engine, null, Map.of());
        resetPeaks();
        long t0 = System.nanoTime();
        RunResult.Sweep r = (RunResult.Sweep) Runner.run(settings, RunListener.NONE);
        double wall = (System.nanoTime() - t0) / 1e9;
        ExecutionResult e = r.steps().get(0).result();
        long hops = 0;
        for (var p : e.portsById()) {
            hops += p == null ? 0 : p.segmentsSent();
        }
        return new Row(s, engine.kind(), e.stats(), wall, peakHeapBytes(), e.durationPs() / 1e6, hops);
    }

    /** Builds the scenario's fabric and routes a million random GPU pairs. */
    public static TopologyRow measureTopology(Scenario s) {
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
        return new TopologyRow(s, (built - t0) / 1e9, t.nodeCount(), t.portCount(), pairs, (routed - built) / 1e9,
                hops / (double) pairs, peakHeapBytes());
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}

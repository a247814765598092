package io.collemu.node.cli;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Collectives;
import io.collemu.node.engine.EngineKind;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.run.SweepSpec;
import io.collemu.topology.build.TopologySpecs;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.RoutingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** The workload and model flags shared by {@code run}, {@code compare} and {@code bench}. */
public final class ScenarioOptions {
    public static final String DEFAULT_TOPOLOGY =
            "rail-optimized:gpus=128,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g";
    public static final String DEFAULT_SEGMENT = "64K";

    @Option(names = "--topology", paramLabel = "SPEC|FILE",
            description = "Builder spec or YAML file (default: ${DEFAULT-VALUE}).",
            defaultValue = DEFAULT_TOPOLOGY)
    String topology;

    @Option(names = "--collective", paramLabel = "KIND[,KIND...]", split = ",",
            description = "all-reduce, reduce-scatter, all-gather, broadcast, reduce, all-to-all (default: all-reduce,all-to-all).")
    List<String> collectives = new ArrayList<>(List.of("all-reduce", "all-to-all"));

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "auto",
            description = "ring, tree, halving-doubling, hierarchical, direct, pairwise or auto (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--sizes", paramLabel = "MIN:MAX:xF|LIST", defaultValue = "1M:1G:x2",
            description = "Bytes per rank as nccl-tests' size: a range MIN:MAX:xFACTOR or MIN:MAX:+STEP, or a list (default: ${DEFAULT-VALUE}).")
    String sizes;

    @Option(names = "--channels", paramLabel = "C", defaultValue = "1",
            description = "Parallel channels (NCCL rings/trees), 1..64 (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--segment-bytes", paramLabel = "BYTES", defaultValue = DEFAULT_SEGMENT,
            description = "Forwarding unit, 4K (packet level) to 4M (default: ${DEFAULT-VALUE}; see README for the accuracy trade-off).")
    String segmentBytes;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "1",
            description = "Back-to-back calls per size, 1..10000 (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--reduce-gbps", paramLabel = "GB/s", defaultValue = "0",
            description = "GPU reduction bandwidth for reducing receives; 0 = instantaneous (default).")
    double reduceGBps;

    @Option(names = "--step-latency-ns", paramLabel = "NS", defaultValue = "0",
            description = "NCCL-like software latency before each send step; 0 = off (default).")
    double stepLatencyNs;

    @Option(names = "--routing", paramLabel = "ecmp|dmodk", defaultValue = "ecmp",
            description = "Next-hop choice among equal-cost paths: ecmp (flow hash, as RoCE/Ethernet) or dmodk "
                + "(destination-mod-k, as InfiniBand fat-tree routing) (default: ${DEFAULT-VALUE}).")
    String routing;

    @Option(names = "--engine", paramLabel = "sequential|actors", defaultValue = "actors",
            description = "Engine: actors (Pekko actors, default) or sequential (the oracle).")
    String engine;

    @Option(names = "--actor-groups", paramLabel = "lp|server|switch", defaultValue = "switch",
            description = "Actor engine: one actor per LP, or a server's GPUs and NVSwitch ports in one actor "
                + "(server), and also each other switch's ports in one (switch) (default: ${DEFAULT-VALUE}).")
    String actorGroups;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Dispatcher threads for the actor engine; 0 = one per core (default).")
    int threads;

    /** Where the topology comes from, for other cluster members (a file travels as its text). */
    public io.collemu.node.run.SweepRunner.TopologySource source(String link) {
        java.nio.file.Path p = java.nio.file.Path.of(topology);
        String yaml = null;
        if (java.nio.file.Files.isRegularFile(p)) {
            try {
                yaml = java.nio.file.Files.readString(p);
            } catch (java.io.IOException e) {
                throw new UserError("--topology: cannot read " + p + ": " + e.getMessage());
            }
        }
        return new io.collemu.node.run.SweepRunner.TopologySource(topology, yaml, link, routing().cliName());
    }

    /** The topology, with its link preset replaced by {@code link} when not null. */
    public Topology topology(String link) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (link != null) {
            overrides.put("link", link);
        }
        return TopologySpecs.parse(topology, overrides);
    }

    public List<CollectiveKind> kinds() {
        List<CollectiveKind> out = new ArrayList<>();
        for (String c : collectives) {
            out.add(CollectiveKind.fromName(c.trim()));
        }
        if (out.isEmpty()) {
            throw new UserError("--collective: no collective given");
        }
        return out;
    }

    public SweepSpec sweep() {
        if (channels < 1 || channels > 64) {
            throw new UserError("--channels: " + channels + " is out of range 1..64");
        }
        if (iterations < 1 || iterations > 10_000) {
            throw new UserError("--iterations: " + iterations + " is out of range 1..10000");
        }
        List<CollectiveKind> kinds = kinds();
        for (CollectiveKind k : kinds) {
            if (!"auto".equals(algorithm) && !Collectives.algorithms(k).contains(algorithm)) {
                throw new UserError("--algorithm: '" + algorithm + "' does not serve " + k.cliName() + " (valid: "
                        + String.join(", ", Collectives.algorithms(k)) + ")");
            }
        }
        return new SweepSpec(kinds, algorithm, Sizes.parseList(sizes, "--sizes"), channels, iterations, 0);
    }

    public ModelOptions model() {
        long seg = Sizes.parse(segmentBytes, "--segment-bytes");
        if (seg < ModelOptions.MIN_SEGMENT_BYTES || seg > ModelOptions.MAX_SEGMENT_BYTES) {
            throw new UserError("--segment-bytes: " + segmentBytes + " is out of range 4K..4M");
        }
        if (reduceGBps < 0 || Double.isNaN(reduceGBps)) {
            throw new UserError("--reduce-gbps: must be 0 (off) or positive");
        }
        if (stepLatencyNs < 0 || Double.isNaN(stepLatencyNs) || stepLatencyNs > 1e9) {
            throw new UserError("--step-latency-ns: " + stepLatencyNs + " is out of range 0..1e9");
        }
        double psPerByte = reduceGBps == 0 ? 0 : 1000.0 / reduceGBps;
        return new ModelOptions(seg, psPerByte, Math.round(stepLatencyNs * 1000), 2, seed);
    }

    public RoutingMode routing() {
        return RoutingMode.fromName(routing);
    }

    public EngineKind engineKind() {
        try {
            return EngineKind.valueOf(engine.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--engine: '" + engine + "' is not sequential or actors");
        }
    }

    public io.collemu.node.engine.Grouping.Mode actorGroups() {
        try {
            return io.collemu.node.engine.Grouping.Mode.fromName(actorGroups);
        } catch (IllegalArgumentException e) {
            throw new UserError("--actor-groups: '" + actorGroups + "' is not lp, server or switch");
        }
    }

    public int threads() {
        if (threads < 0 || threads > 256) {
            throw new UserError("--threads: " + threads + " is out of range 0..256");
        }
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** The flags as given, for summary.json. */
    public Map<String, Object> asInputs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topology", topology);
        m.put("collective", String.join(",", collectives));
        m.put("algorithm", algorithm);
        m.put("sizes", sizes);
        m.put("channels", channels);
        m.put("segmentBytes", segmentBytes);
        m.put("iterations", iterations);
        m.put("seed", seed);
        m.put("reduceGBps", reduceGBps);
        m.put("stepLatencyNs", stepLatencyNs);
        m.put("routing", routing);
        m.put("engine", engine);
        m.put("threads", threads);
        m.put("actorGroups", actorGroups);
        return m;
    }
}

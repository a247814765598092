package io.collemu.node.cli;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Collectives;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.run.Fidelity;
import io.collemu.node.run.Bench;
import io.collemu.node.run.ProfileSpec;
import io.collemu.node.run.SweepSpec;
import io.collemu.node.run.TopologySource;
import io.collemu.node.run.UserError;
import io.collemu.node.run.WorkloadSpec;
import io.collemu.profiles.BuiltinProfiles;
import io.collemu.profiles.ProfileLoader;
import io.collemu.topology.route.RoutingMode;
import io.collemu.topology.yaml.YamlLimits;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The workload and model flags of {@code run} and {@code compare}; turned into settings once. */
public final class ScenarioOptions {
    /** The segment size by default (see the README's "Segment size"). */
    public static final String DEFAULT_SEGMENT = "64K";
    private static final List<String> SWEEP_FLAGS = List.of("--collective", "--algorithm", "--sizes", "--channels",
            "--iterations", "--pattern", "--skew");

    @Option(names = "--topology", paramLabel = "SPEC|FILE",
            description = "Builder spec or YAML file (default: ${DEFAULT-VALUE}).",
            defaultValue = Bench.DEFAULT_TOPOLOGY)
    String topology;

    @Option(names = "--collective", paramLabel = "KIND[,KIND...]", split = ",",
            description = "all-reduce, reduce-scatter, all-gather, broadcast, reduce, all-to-all, all-to-all-v "
                + "(sizes per pair spread by --skew), send-recv (pairs from --pattern) (default: "
                + "all-reduce,all-to-all).")
    List<String> collectives = new ArrayList<>(List.of("all-reduce", "all-to-all"));

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "auto",
            description = "ring, tree, halving-doubling, hierarchical, direct, pairwise, nvls (nccl mode, "
                + "all-reduce on one NVSwitch domain), nvlstree (nccl mode, all-reduce across NVSwitch servers) or "
                + "auto (default: "
                + "${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--sizes", paramLabel = "MIN:MAX:xF|LIST", defaultValue = "1M:1G:x2",
            description = "Bytes per rank as nccl-tests' size: a range MIN:MAX:xFACTOR or MIN:MAX:+STEP, or a list "
                + "(default: ${DEFAULT-VALUE}).")
    String sizes;

    @Option(names = "--channels", paramLabel = "C", defaultValue = "0",
            description = "Parallel channels (NCCL rings/trees), 1..64; 0 = what NCCL would use (nccl mode) or 1 "
                + "(ideal mode) (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--fidelity", paramLabel = "nccl|ideal", defaultValue = "nccl",
            description = "nccl: what NCCL runs on this fabric (its channel layout, PXN, protocols, latencies, "
                + "choice per size); ideal: the alpha-beta machine of the analytical tests (default: "
                + "${DEFAULT-VALUE}).")
    String fidelity;

    @Option(names = "--protocol", paramLabel = "auto|LL|LL128|Simple", defaultValue = "auto",
            description = "nccl mode: NCCL's protocol, or its choice per size (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--gpu", paramLabel = "h100|b200",
            description = "nccl mode: the GPU preset (HBM, PCIe, NVLink, NCCL tables); default: from the fabric's "
                + "NVLink (nvlink5: b200, else h100).")
    String gpu;

    @Option(names = "--segment-bytes", paramLabel = "BYTES", defaultValue = DEFAULT_SEGMENT,
            description = "Forwarding unit, 4K (packet level) to 4M (default: ${DEFAULT-VALUE}; see README for the "
                + "accuracy trade-off).")
    String segmentBytes;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "1",
            description = "Back-to-back calls per size, 1..10000 (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--pattern", paramLabel = "shift:K|halves|pairs:A-B,...", defaultValue = "shift:1",
            description = "send-recv: rank r sends to r+K, or r and r+n/2 exchange, or the pairs listed (default: "
                + "${DEFAULT-VALUE}).")
    String pattern;

    @Option(names = "--skew", paramLabel = "SIGMA", defaultValue = "0",
            description = "all-to-all-v: log-normal spread of the per-pair sizes around S/n, 0..4, drawn from "
                + "--seed; 0 = uniform (default: ${DEFAULT-VALUE}).")
    double skew;

    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "Replay a load profile (built-in name or YAML file; see 'collemu profiles list') instead "
                + "of a sweep.")
    String profile;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "Override a profile parameter (repeatable), e.g. --param tp=8 --param bucketBytes=50M.")
    List<String> params = new ArrayList<>();

    /** Where the topology comes from; a file is read here, once, and travels as its text. */
    TopologySource topologySource(String link, CommandSpec spec) {
        return topologySource(topology, link, spec.commandLine().getParseResult().hasMatchedOption("--topology"));
    }

    /** As {@link #topologySource(String, CommandSpec)} for the spec or file {@code specOrFile}. */
    TopologySource topologySource(String specOrFile, String link, boolean explicit) {
        String yaml = null;
        String t = specOrFile.trim();
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        Path p = pathOrNull(t);
        if (p != null && (lower.endsWith(".yaml") || lower.endsWith(".yml") || (t.indexOf('=') < 0
                && Files.exists(p)))) {
            yaml = UserFiles.readText(p, "--topology", YamlLimits.TOPOLOGY);
        }
        return new TopologySource(t, yaml, explicit, link, routing());
    }

    private static Path pathOrNull(String s) {
        try {
            return Path.of(s.trim());
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** The sweep, or the profile with its overrides; sweep flags next to {@code --profile} are refused. */
    WorkloadSpec workload(CommandSpec spec) {
        return workload(spec, collectives, profile);
    }

    /** The sweep of {@code kinds}, or profile {@code profileName} (when not null). */
    WorkloadSpec workload(CommandSpec spec, List<String> kinds, String profileName) {
        if (profileName == null) {
            if (!params.isEmpty()) {
                throw new UserError("--param needs --profile");
            }
            return sweep(kinds);
        }
        for (String flag : SWEEP_FLAGS) {
            if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
                throw new UserError(flag + " does not apply to --profile (the profile says what runs)");
            }
        }
        Map<String, String> overrides = ProfileLoader.parseParams(params);
        String s = profileName.trim();
        Path p = pathOrNull(s);
        boolean file = p != null && (Files.exists(p) || s.endsWith(".yaml") || s.endsWith(".yml")
                || s.contains("/"));
        if (!file && !BuiltinProfiles.exists(s)) {
            throw new UserError("--profile: unknown profile '" + s + "' (built-in: "
                    + String.join(", ", BuiltinProfiles.names()) + "; or give a path to a .yaml file)");
        }
        return new ProfileSpec(s, file ? UserFiles.readText(p, "--profile", YamlLimits.PROFILE) : null, overrides);
    }

    private SweepSpec sweep(List<String> names) {
        List<CollectiveKind> kinds = new ArrayList<>();
        for (String c : names) {
            kinds.add(CollectiveKind.fromName(c.trim()));
        }
        for (CollectiveKind k : kinds) {
            boolean nvls = ("nvls".equals(algorithm) || "nvlstree".equals(algorithm)) && k == CollectiveKind.ALL_REDUCE
                    && !"ideal".equalsIgnoreCase(fidelity.trim()); // NCCL's NVLS: the nccl mode's planner decides
            if (!"auto".equals(algorithm) && !nvls && !Collectives.algorithms(k).contains(algorithm)) {
                throw new UserError("--algorithm: '" + algorithm + "' does not serve " + k.cliName() + " (valid: "
                        + String.join(", ", Collectives.algorithms(k)) + ")");
            }
        }
        return new SweepSpec(kinds, algorithm, Sizes.parseList(sizes, "--sizes"), channels, iterations, 0,
                pattern.trim(), skew);
    }

    /** The fidelity mode, its protocol and GPU. */
    Fidelity fidelity(CommandSpec spec) {
        Fidelity.Mode mode;
        try {
            mode = Fidelity.Mode.fromName(fidelity);
        } catch (IllegalArgumentException e) {
            throw new UserError("--fidelity: '" + fidelity + "' is not nccl or ideal");
        }
        if (gpu != null) {
            io.collemu.topology.model.GpuModel.get(gpu); // a bad name is one line naming the presets
        }
        boolean reduceGiven = spec.commandLine().getParseResult().hasMatchedOption("--reduce-gbps");
        return new Fidelity(mode, protocol, gpu, !reduceGiven);
    }

    /** The model's parameters. */
    ModelOptions model() {
        return model(seed);
    }

    /** The model's parameters with another seed. */
    ModelOptions model(long seedOverride) {
        long seg = Sizes.parse(segmentBytes, "--segment-bytes");
        if (Double.isNaN(reduceGBps) || reduceGBps < 0) {
            throw new UserError("--reduce-gbps: must be 0 (off) or positive");
        }
        if (Double.isNaN(stepLatencyNs) || stepLatencyNs < 0 || stepLatencyNs > 1e9) {
            throw new UserError("--step-latency-ns: " + stepLatencyNs + " is out of range 0..1e9");
        }
        double psPerByte = reduceGBps == 0 ? 0 : 1000.0 / reduceGBps;
        return new ModelOptions(seg, psPerByte, Math.round(stepLatencyNs * 1000), 2, seedOverride);
    }

    private RoutingMode routing() {
        return RoutingMode.fromName(routing);
    }

    /** The flags as given, for summary.json. */
    Map<String, Object> inputs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topology", topology);
        if (profile != null) {
            m.put("profile", profile);
            m.put("params", String.join(" ", params));
        } else {
            m.put("collective", String.join(",", collectives));
            m.put("algorithm", algorithm);
            m.put("sizes", sizes);
            m.put("channels", channels);
            m.put("iterations", iterations);
            m.put("pattern", pattern);
            m.put("skew", skew);
        }
        m.put("fidelity", fidelity);
        m.put("protocol", protocol);
        m.put("gpu", gpu);
        m.put("segmentBytes", segmentBytes);
        m.put("seed", seed);
        m.put("reduceGBps", reduceGBps);
        m.put("stepLatencyNs", stepLatencyNs);
        m.put("routing", routing);
        return m;
    }
}

package io.collemu.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.collemu.node.run.Durations;
import io.collemu.node.run.FaultSettings;
import io.collemu.node.run.FaultSpec;
import io.collemu.node.run.UserError;
import io.collemu.topology.yaml.YamlDocument;
import io.collemu.topology.yaml.YamlErrors;
import io.collemu.topology.yaml.YamlLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The fault flags of {@code run}, {@code compare} and {@code sweep}: faults to inject ({@code --fault}, repeatable,
 * and {@code --faults FILE}), random ones from each preset's rates, and the fabric's and transport's timing. A
 * faults file holds a {@code faults:} list of maps with the {@code --fault} keys (plus {@code kind}) and, optionally,
 * the timing keys {@code detect}, {@code reroute-local}, {@code reroute-remote}, {@code ib-timeout},
 * {@code ib-retry-cnt}, which flags override.
 */
final class FaultOptions {
    /** Faults files are small; a larger one is a mistake. */
    static final YamlLimits FAULTS_FILE = new YamlLimits("faults file", 1L << 20, 16, 4096, 100_000);

    @Option(names = "--fault", paramLabel = "KIND,key=value,...",
            description = "Inject a fault (repeatable): link-down,link=A/B,at=1ms | link-flap,link=A/B,at=1ms,for=2s | "
                + "switch-down,switch=NAME,at=1ms[,for=T] | ber,link=A/B|preset=NAME|all,ber=5e-4; end=A for one "
                + "direction; times from the start of each step.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--faults", paramLabel = "FILE",
            description = "A YAML file with a faults: list (same keys, plus kind) and optional timing keys.")
    Path faultsFile;

    @Option(names = "--random-faults", paramLabel = "SCALE",
            description = "Draw faults from each preset's failure and flap rates (and switch failures) times SCALE "
                + "over --fault-window of each step, from --seed (e.g. 1e9 for a run of milliseconds).")
    Double randomScale;

    @Option(names = "--fault-window", paramLabel = "TIME",
            description = "Random faults fall in [0, TIME) of each step (default: 10ms).")
    String window;

    @Option(names = "--fault-detect", paramLabel = "TIME",
            description = "A link failure to its switches knowing (default: 1ms).")
    String detect;

    @Option(names = "--reroute-local", paramLabel = "TIME",
            description = "Then the switches at the link prune it from ECMP (default: 1ms).")
    String rerouteLocal;

    @Option(names = "--reroute-remote", paramLabel = "TIME",
            description = "Then every other switch, routing reconvergence (default: 300ms).")
    String rerouteRemote;

    @Option(names = "--ib-timeout", paramLabel = "N",
            description = "NCCL_IB_TIMEOUT: ACK timeout 4.096us x 2^N, 0..31 (default: 20, 4.3 s).")
    Integer ibTimeout;

    @Option(names = "--ib-retry-cnt", paramLabel = "N",
            description = "NCCL_IB_RETRY_CNT: timeouts before the collective fails, 0..7 (default: 7).")
    Integer ibRetry;

    /** The settings of these flags (and the file); {@link FaultSettings#NONE} when none is given. */
    FaultSettings settings() {
        FaultSettings d = FaultSettings.NONE;
        List<FaultSpec> specs = new ArrayList<>();
        Map<String, String> timing = new LinkedHashMap<>();
        String fileName = null;
        if (faultsFile != null) {
            fileName = faultsFile.toString();
            readFile(faultsFile, specs, timing);
        }
        for (int i = 0; i < faults.size(); i++) {
            specs.add(FaultSpec.parse(faults.get(i), "--fault #" + (i + 1)));
        }
        long windowPs = window != null ? Durations.parsePs(window, "--fault-window")
                : d.randomWindowPs();
        long detectPs = time(detect, "--fault-detect", timing, "detect", fileName, d.detectPs());
        long localPs = time(rerouteLocal, "--reroute-local", timing, "reroute-local", fileName, d.localReroutePs());
        long remotePs = time(rerouteRemote, "--reroute-remote", timing, "reroute-remote", fileName,
                d.remoteReroutePs());
        int to = ibTimeout != null ? ibTimeout : integer(timing, "ib-timeout", fileName, d.ibTimeout());
        int rc = ibRetry != null ? ibRetry : integer(timing, "ib-retry-cnt", fileName, d.ibRetryCount());
        double scale = randomScale == null ? 0 : randomScale;
        if (randomScale != null && !(randomScale > 0)) {
            throw new UserError("--random-faults: " + randomScale + " must be more than 0 (a rate multiplier)");
        }
        return new FaultSettings(specs, scale, windowPs, detectPs, localPs, remotePs, to, rc);
    }

    private static long time(String flag, String name, Map<String, String> timing, String key, String file,
            long dflt) {
        if (flag != null) {
            return Durations.parsePs(flag, name);
        }
        String v = timing.get(key);
        return v == null ? dflt : Durations.parsePs(v, file + ": " + key);
    }

    private static int integer(Map<String, String> timing, String key, String file, int dflt) {
        String v = timing.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UserError(file + ": " + key + ": '" + v + "' is not an integer");
        }
    }

    /** The inputs summary.json records. */
    Map<String, Object> inputs() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!faults.isEmpty()) {
            m.put("fault", List.copyOf(faults));
        }
        if (faultsFile != null) {
            m.put("faults", faultsFile.toString());
        }
        if (randomScale != null) {
            m.put("randomFaults", randomScale);
        }
        return m;
    }

    private static final List<String> TIMING_KEYS = List.of("detect", "reroute-local", "reroute-remote",
            "ib-timeout", "ib-retry-cnt");

    /** Reads a faults file: its faults (each with file:line as origin) and its timing keys. */
    static void readFile(Path file, List<FaultSpec> specs, Map<String, String> timing) {
        String name = file.toString();
        YamlErrors errors = new YamlErrors() {
            @Override
            public RuntimeException syntax(String f, int line, String message) {
                return new UserError("--faults: " + f + ":" + line + ": " + message);
            }

            @Override
            public RuntimeException at(String f, int line, String field, String what) {
                return new UserError("--faults: " + f + ":" + line + ": " + field + ": " + what);
            }

            @Override
            public RuntimeException input(String message) {
                return new UserError("--faults: " + message);
            }
        };
        YamlDocument doc = YamlDocument.read(file, FAULTS_FILE, errors);
        JsonNode root = doc.root();
        if (root == null || !root.isObject()) {
            throw new UserError("--faults: " + name + ":1: the file must be a map with a faults: list");
        }
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            int line = doc.lines().lineOf("/" + key);
            if (TIMING_KEYS.contains(key)) {
                if (!e.getValue().isValueNode()) {
                    throw new UserError("--faults: " + name + ":" + line + ": " + key + ": must be a value");
                }
                timing.put(key, e.getValue().asText());
            } else if (!key.equals("faults")) {
                throw new UserError("--faults: " + name + ":" + line + ": unknown key '" + key + "' (faults, "
                        + String.join(", ", TIMING_KEYS) + ")");
            }
        }
        JsonNode list = root.get("faults");
        if (list == null || !list.isArray()) {
            throw new UserError("--faults: " + name + ":" + doc.lines().lineOf("/faults")
                    + ": faults: must be a list of faults");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode f = list.get(i);
            String pointer = "/faults/" + i;
            String origin = "--faults: " + name + ":" + doc.lines().lineOf(pointer) + ": faults[" + i + "]";
            if (!f.isObject()) {
                throw new UserError(origin + ": must be a map (kind: link-flap, link: A/B, at: 1ms, for: 2s)");
            }
            Map<String, String> kv = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fi = f.fields();
            while (fi.hasNext()) {
                Map.Entry<String, JsonNode> e = fi.next();
                if (!e.getValue().isValueNode()) {
                    throw new UserError("--faults: " + name + ":" + doc.lines().lineOf(pointer + "/" + e.getKey())
                            + ": faults[" + i + "]." + e.getKey() + ": must be a value");
                }
                kv.put(e.getKey(), e.getValue().asText());
            }
            String kind = kv.remove("kind");
            if (kind == null) {
                throw new UserError(origin + ": needs kind: (" + String.join(", ", FaultSpec.KINDS) + ")");
            }
            if ("true".equals(kv.get("all")) || "false".equals(kv.get("all"))) {
                if ("false".equals(kv.get("all"))) {
                    kv.remove("all");
                }
            }
            specs.add(FaultSpec.of(kind.trim(), kv, origin));
        }
    }
}

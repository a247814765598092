package io.collemu.profiles.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import io.collemu.profiles.spec.Profile;
import io.collemu.profiles.spec.ProfileException;
import io.collemu.profiles.expr.Env;
import io.collemu.profiles.expr.ExprEvaluator;
import io.collemu.profiles.spec.JobSpec;
import io.collemu.profiles.spec.LayoutSpec;
import io.collemu.profiles.spec.Loc;
import io.collemu.profiles.spec.OpNode;
import io.collemu.profiles.spec.OpSpec;
import io.collemu.profiles.spec.RepeatBlock;
import io.collemu.profiles.spec.SweepSpec;
import io.collemu.profiles.spec.Value;
import io.collemu.topology.yaml.YamlDocument;
import io.collemu.topology.yaml.YamlErrors;
import io.collemu.topology.yaml.YamlLimits;
import io.collemu.topology.yaml.YamlLineIndex;
import io.collemu.topology.yaml.YamlSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the YAML text of a profile into a {@link Profile}: structure, field names, types and parameter
 * overrides, every error located ({@code file:line: field: what}). Values stay unevaluated ({@link Value});
 * {@link io.collemu.profiles.ProfileLoader} evaluates and cross-checks them.
 *
 * <p>Stateless; thread-safe.
 */
public final class ProfileYamlParser {
    /** Parameters every profile has (stragglers), with their defaults. */
    public static final Map<String, String> STRAGGLER_PARAMS = stragglerDefaults();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final List<String> TOP = List.of("name", "description", "fabric", "params", "jobs");
    private static final List<String> JOB = List.of("name", "gpus", "iterations", "warmup", "layout", "ops");
    private static final List<String> LAYOUT = List.of("dp", "tp", "pp", "ep", "order", "placement");
    private static final List<String> BLOCK = List.of("repeat", "ops");
    private static final List<String> OP = List.of("name", "kind", "size", "sizes", "duration", "communicator",
            "algorithm", "channels", "root", "stream", "after", "peer", "pairs", "skew", "transposeOf", "of",
            "repeat");
    private static final List<String> SWEEP = List.of("from", "to", "factor");

    /** Problems of the YAML input itself: one-line ProfileExceptions with file and line. */
    private static final YamlErrors PROFILE_ERRORS = new YamlErrors() {
        @Override
        public RuntimeException syntax(String file, int line, String message) {
            return new ProfileException(file, line, "(document)", "YAML syntax error: " + message);
        }

        @Override
        public RuntimeException at(String file, int line, String field, String what) {
            return new ProfileException(file, line, field, what);
        }

        @Override
        public RuntimeException input(String message) {
            return new ProfileException(message);
        }
    };

    private final YamlLineIndex lines;

    private static Map<String, String> stragglerDefaults() {
        // insertion order, so that parameter listings are the same on every run
        Map<String, String> m = new LinkedHashMap<>();
        m.put("slowGpus", "");
        m.put("slowFactor", "1.5");
        m.put("slowdown", "");
        return java.util.Collections.unmodifiableMap(m);
    }

    private ProfileYamlParser(YamlLineIndex lines) {
        this.lines = lines;
    }

    /**
     * The text of a profile file, read within {@link YamlLimits#PROFILE}: a directory, named pipe or device is
     * refused without being opened, bytes that are not UTF-8 are named.
     *
     * @throws ProfileException one line naming the file
     */
    public static String read(Path file) {
        return YamlSource.read(file, YamlLimits.PROFILE, PROFILE_ERRORS);
    }

    /**
     * @param file      names the text in errors (a path as given, or {@code NAME.yaml} for a built-in)
     * @param overrides {@code --param} values; each key must be a parameter of the profile
     * @throws ProfileException one line, located
     */
    public static Profile parse(String text, String file, Map<String, String> overrides) {
        if (text == null || text.isBlank()) {
            throw new ProfileException(file, 1, "(document)", "empty profile (expected name: and jobs:)");
        }
        YamlDocument doc = YamlDocument.parse(text, file, YamlLimits.PROFILE, PROFILE_ERRORS);
        YamlLineIndex lines = doc.lines();
        JsonNode root = doc.root();
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ProfileException(file, 1, "(document)", "empty profile (expected name: and jobs:)");
        }
        return new ProfileYamlParser(lines).profile(root, overrides == null ? Map.of() : overrides);
    }

    private Profile profile(JsonNode root, Map<String, String> overrides) {
        mapping(root, "", TOP);
        String name = name(required(root, "", "name"), "/name");
        String description = root.has("description") ? scalar(root.get("description"), "/description") : "";
        String fabric = root.has("fabric") ? scalar(root.get("fabric"), "/fabric") : null;
        Map<String, Value> params = params(root.get("params"), overrides, name);
        JsonNode jobsNode = required(root, "", "jobs");
        List<JsonNode> jobNodes = sequence(jobsNode, "/jobs", true);
        List<JobSpec> jobs = new ArrayList<>();
        Set<String> jobNames = new TreeSet<>();
        for (int j = 0; j < jobNodes.size(); j++) {
            JobSpec job = job(jobNodes.get(j), "/jobs/" + j);
            if (!jobNames.add(job.name())) {
                throw loc("/jobs/" + j + "/name").error("duplicate job name '" + job.name() + "'");
            }
            jobs.add(job);
        }
        return new Profile(name, description, fabric, params, jobs, lines.file());
    }

    private Map<String, Value> params(JsonNode node, Map<String, String> overrides, String profile) {
        Map<String, Value> params = new LinkedHashMap<>();
        if (node != null && !node.isNull()) {
            if (!node.isObject()) {
                throw loc("/params").error("expected a mapping of parameter names to values");
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String pointer = "/params/" + e.getKey();
                if (!ExprEvaluator.isName(e.getKey()) || Env.LATE_NAMES.contains(e.getKey())) {
                    throw loc(pointer).error("'" + e.getKey() + "' is not a valid parameter name (letters, digits,"
                            + " _; not one of " + String.join(", ", new TreeSet<>(Env.LATE_NAMES)) + ")");
                }
                params.put(e.getKey(), new Value(paramText(e.getValue(), pointer), loc(pointer)));
            }
        }
        STRAGGLER_PARAMS.forEach((k, v) -> params.putIfAbsent(k, new Value(v, new Loc(lines.file(), 1, "params." + k))));
        for (Map.Entry<String, String> o : new TreeSet<>(overrides.keySet()).stream()
                .map(k -> Map.entry(k, overrides.get(k))).toList()) {
            Value old = params.get(o.getKey());
            if (old == null) {
                throw new ProfileException("--param " + o.getKey() + "=" + o.getValue() + ": unknown parameter of profile '"
                        + profile + "' (known: " + String.join(", ", params.keySet()) + ")");
            }
            Loc at = old.loc();
            params.put(o.getKey(), new Value(o.getValue() == null ? "" : o.getValue().trim(),
                    new Loc(at.file(), at.line(), at.field() + " (--param " + o.getKey() + "=" + o.getValue() + ")")));
        }
        return params;
    }

    private String paramText(JsonNode v, String pointer) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                parts.add(scalar(v.get(i), pointer + "/" + i));
            }
            return String.join(",", parts);
        }
        return scalar(v, pointer);
    }

    private JobSpec job(JsonNode node, String p) {
        mapping(node, p, JOB);
        String name = name(required(node, p, "name"), p + "/name");
        Value gpus = node.has("gpus") ? value(node.get("gpus"), p + "/gpus") : new Value("all", loc(p));
        Value iterations = node.has("iterations") ? value(node.get("iterations"), p + "/iterations")
                : new Value("1", loc(p).sub("iterations"));
        Value warmup = node.has("warmup") ? value(node.get("warmup"), p + "/warmup")
                : new Value("0", loc(p).sub("warmup"));
        LayoutSpec layout = layout(node.get("layout"), p + "/layout", p);
        List<JsonNode> opNodes = sequence(required(node, p, "ops"), p + "/ops", true);
        List<OpNode> ops = new ArrayList<>();
        for (int i = 0; i < opNodes.size(); i++) {
            String op = p + "/ops/" + i;
            JsonNode n = opNodes.get(i);
            if (n.isObject() && n.has("ops")) {
                mapping(n, op, BLOCK);
                Value count = value(required(n, op, "repeat"), op + "/repeat");
                List<JsonNode> inner = sequence(n.get("ops"), op + "/ops", true);
                List<OpSpec> specs = new ArrayList<>();
                for (int k = 0; k < inner.size(); k++) {
                    String ip = op + "/ops/" + k;
                    if (inner.get(k).isObject() && (inner.get(k).has("ops") || inner.get(k).has("repeat"))) {
                        throw loc(ip + (inner.get(k).has("ops") ? "/ops" : "/repeat"))
                                .error("a repeat block cannot contain another repeat");
                    }
                    specs.add(op(inner.get(k), ip));
                }
                ops.add(new RepeatBlock(count, specs, loc(op)));
            } else {
                ops.add(op(n, op));
            }
        }
        return new JobSpec(name, gpus, iterations, warmup, layout, ops, loc(p));
    }

    private LayoutSpec layout(JsonNode node, String p, String jobPointer) {
        if (node == null || node.isNull()) {
            return new LayoutSpec(Map.of(), LayoutSpec.DEFAULT_ORDER, Map.of(), loc(jobPointer).sub("layout"));
        }
        mapping(node, p, LAYOUT);
        Map<String, Value> axes = new LinkedHashMap<>();
        for (String axis : LayoutSpec.AXES) {
            if (node.has(axis)) {
                axes.put(axis, value(node.get(axis), p + "/" + axis));
            }
        }
        List<String> order = new ArrayList<>();
        if (node.has("order")) {
            JsonNode o = node.get("order");
            List<String> given = new ArrayList<>();
            if (o.isArray()) {
                for (int i = 0; i < o.size(); i++) {
                    given.add(scalar(o.get(i), p + "/order/" + i).trim());
                }
            } else {
                for (String s : scalar(o, p + "/order").split("[,\\s]+")) {
                    if (!s.isBlank()) {
                        given.add(s.trim());
                    }
                }
            }
            for (String axis : given) {
                if (!LayoutSpec.AXES.contains(axis)) {
                    throw loc(p + "/order").error("unknown axis '" + axis + "' (axes: dp, tp, pp, ep)");
                }
                if (order.contains(axis)) {
                    throw loc(p + "/order").error("axis '" + axis + "' listed twice");
                }
                order.add(axis);
            }
        }
        for (String axis : LayoutSpec.DEFAULT_ORDER) {
            if (!order.contains(axis)) {
                order.add(axis);
            }
        }
        Map<String, Value> placement = new LinkedHashMap<>();
        JsonNode pl = node.get("placement");
        if (pl != null && !pl.isNull()) {
            mapping(pl, p + "/placement", LayoutSpec.AXES);
            for (String axis : LayoutSpec.AXES) {
                if (pl.has(axis)) {
                    placement.put(axis, value(pl.get(axis), p + "/placement/" + axis));
                }
            }
        }
        return new LayoutSpec(axes, order, placement, loc(p));
    }

    private OpSpec op(JsonNode node, String p) {
        mapping(node, p, OP);
        Value name = value(required(node, p, "name"), p + "/name");
        Value kind = value(required(node, p, "kind"), p + "/kind");
        SweepSpec sizes = null;
        if (node.has("sizes")) {
            JsonNode s = node.get("sizes");
            mapping(s, p + "/sizes", SWEEP);
            sizes = new SweepSpec(value(required(s, p + "/sizes", "from"), p + "/sizes/from"),
                    value(required(s, p + "/sizes", "to"), p + "/sizes/to"),
                    s.has("factor") ? value(s.get("factor"), p + "/sizes/factor")
                            : new Value("2", loc(p + "/sizes").sub("factor")), loc(p + "/sizes"));
        }
        List<Value> after = new ArrayList<>();
        if (node.has("after")) {
            JsonNode a = node.get("after");
            if (a.isArray()) {
                for (int i = 0; i < a.size(); i++) {
                    after.add(value(a.get(i), p + "/after/" + i));
                }
            } else {
                after.add(value(a, p + "/after"));
            }
        }
        List<List<Value>> pairs = null;
        if (node.has("pairs")) {
            pairs = new ArrayList<>();
            List<JsonNode> list = sequence(node.get("pairs"), p + "/pairs", true);
            for (int i = 0; i < list.size(); i++) {
                String pp = p + "/pairs/" + i;
                List<JsonNode> pair = sequence(list.get(i), pp, true);
                if (pair.size() != 2) {
                    throw loc(pp).error("a pair is [src, dst] (two ranks), got " + pair.size() + " values");
                }
                pairs.add(List.of(value(pair.get(0), pp + "/0"), value(pair.get(1), pp + "/1")));
            }
        }
        return new OpSpec(name, kind, opt(node, p, "size"), sizes, opt(node, p, "duration"),
                opt(node, p, "communicator"), opt(node, p, "algorithm"), opt(node, p, "channels"),
                opt(node, p, "root"), opt(node, p, "stream"), after, opt(node, p, "peer"), pairs, opt(node, p, "skew"),
                opt(node, p, "transposeOf"), opt(node, p, "of"), opt(node, p, "repeat"), loc(p));
    }

    private Value opt(JsonNode node, String p, String key) {
        return node.has(key) ? value(node.get(key), p + "/" + key) : null;
    }

    private Value value(JsonNode node, String pointer) {
        return new Value(scalar(node, pointer).trim(), loc(pointer));
    }

    private String name(JsonNode node, String pointer) {
        String s = scalar(node, pointer).trim();
        if (!NAME.matcher(s).matches()) {
            throw loc(pointer).error("'" + s + "' is not a valid name (letters, digits, '.', '_', '-')");
        }
        return s;
    }

    private String scalar(JsonNode node, String pointer) {
        if (node == null || node.isNull()) {
            throw loc(pointer).error("needs a value");
        }
        if (!node.isValueNode()) {
            throw loc(pointer).error("expected a single value, got a " + (node.isArray() ? "list" : "mapping"));
        }
        return node.asText();
    }

    private JsonNode required(JsonNode node, String pointer, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw loc(pointer).error("missing required field '" + key + "'");
        }
        return v;
    }

    private void mapping(JsonNode node, String pointer, List<String> known) {
        if (node == null || !node.isObject()) {
            throw loc(pointer).error("expected a mapping with fields " + String.join(", ", known));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw loc(pointer + "/" + key).error("unknown field (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private List<JsonNode> sequence(JsonNode node, String pointer, boolean nonEmpty) {
        if (node == null || !node.isArray()) {
            throw loc(pointer).error("expected a list");
        }
        if (nonEmpty && node.isEmpty()) {
            throw loc(pointer).error("must not be empty");
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private Loc loc(String pointer) {
        return new Loc(lines.file(), lines.lineOf(pointer), YamlLineIndex.fieldPath(pointer));
    }
}

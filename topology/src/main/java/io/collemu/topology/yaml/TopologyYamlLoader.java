package io.collemu.topology.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.collemu.topology.build.Builders;
import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.Ids;
import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.LinkModelCatalog;
import io.collemu.topology.model.LinkPresets;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.SwitchParams;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import io.collemu.topology.yaml.TopologyDocument.LinkModelDoc;
import io.collemu.topology.yaml.TopologyDocument.SwitchesDoc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads and validates a topology YAML file (see {@link TopologyDocument} for the format) with Jackson YAML.
 * Every error is a one-line {@link TopologyException} {@code file:line: field 'x': what is wrong}: malformed YAML,
 * unknown field, wrong type, unknown preset or builder, a rate, latency or length out of its range, unknown node,
 * duplicate id, a name with control characters, a switch using more ports than its radix, a fabric without GPUs,
 * a link without latency, a disconnected fabric (some GPU pair without a GPU-free path), a fabric too big for
 * {@link FabricLimits} (sized before it is built). The file is read through {@link YamlDocument} within
 * {@link YamlLimits#TOPOLOGY} (16 MiB, 64 levels, anchors, aliases and merge keys resolved).
 *
 * <p>In an explicit graph a cable given one CPO {@code model} between a GPU and a switch is hybrid, as in the
 * builders: the GPU (NIC) end is the DSP pluggable of the same rate. {@code aModel}/{@code bModel} set each end
 * exactly. The override {@code link} replaces the model of every non-NVLink cable (same hybrid rule).
 *
 * <p>Stateless; thread-safe.
 */
public final class TopologyYamlLoader {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    /** Problems of the YAML input itself, in the topology's error style. */
    static final YamlErrors ERRORS = new YamlErrors() {
        @Override
        public RuntimeException syntax(String file, int line, String message) {
            return new TopologyException(file + ":" + line + ": YAML syntax error: " + message);
        }

        @Override
        public RuntimeException at(String file, int line, String field, String what) {
            return new TopologyException(file + ":" + line + ": field '" + field + "': " + what);
        }

        @Override
        public RuntimeException input(String message) {
            return new TopologyException(message);
        }
    };

    private TopologyYamlLoader() {
    }

    /** Loads a file; its path as given is the {@link Topology#spec()} and the file named in errors. */
    public static Topology load(Path file, Map<String, String> overrides) {
        return load(file, overrides, FabricLimits.ofThisJvm());
    }

    /**
     * As {@link #load(Path, Map)}, refusing a fabric beyond {@code limits} before building it. The file is read
     * within {@link YamlLimits#TOPOLOGY}; a directory, pipe or device is refused without being opened.
     */
    public static Topology load(Path file, Map<String, String> overrides, FabricLimits limits) {
        return load(YamlSource.read(file, YamlLimits.TOPOLOGY, ERRORS), file.toString(), overrides, limits);
    }

    /** Loads YAML text; {@code file} names it in errors and becomes the topology's spec. */
    public static Topology load(String text, String file, Map<String, String> overrides) {
        return load(text, file, overrides, FabricLimits.ofThisJvm());
    }

    /** As {@link #load(String, String, Map)}, refusing a fabric beyond {@code limits} before building it. */
    public static Topology load(String text, String file, Map<String, String> overrides, FabricLimits limits) {
        Loaded l = read(text, file);
        if (l.doc().builder() != null) {
            return fromBuilder(l, overrides, (name, params) -> Builders.build(name, params, l.catalog(), file,
                    limits));
        }
        return ExplicitGraph.build(l.doc(), l.catalog(), l.lines(), overrides, limits);
    }

    /** What the file's fabric would cost ({@link FabricCost}), validated but not built. */
    public static FabricCost estimate(Path file, Map<String, String> overrides) {
        Loaded l = read(YamlSource.read(file, YamlLimits.TOPOLOGY, ERRORS), file.toString());
        if (l.doc().builder() != null) {
            return fromBuilder(l, overrides, (name, params) -> Builders.estimate(name, params, l.catalog()));
        }
        return ExplicitGraph.estimate(l.doc(), l.catalog(), l.lines(), overrides);
    }

    /** A read and mapped document with its lines and link-model catalog. */
    private record Loaded(TopologyDocument doc, YamlLineIndex lines, LinkModelCatalog catalog) {
    }

    private static Loaded read(String text, String file) {
        if (text.isBlank()) {
            throw new TopologyException(file + ":1: empty topology file (expected builder: or nodes:)");
        }
        YamlDocument yaml = YamlDocument.parse(text, file, YamlLimits.TOPOLOGY, ERRORS);
        YamlLineIndex lines = yaml.lines();
        TopologyDocument doc = yaml.root() == null || yaml.root().isNull() ? null : map(yaml, lines);
        if (doc == null) {
            throw new TopologyException(file + ":1: empty topology file (expected builder: or nodes:)");
        }
        LinkModelCatalog catalog = catalog(doc.linkModels(), lines);
        if (doc.builder() != null && (doc.nodes() != null || doc.links() != null)) {
            throw lines.error(doc.nodes() != null ? "/nodes" : "/links",
                    "give either builder (with params) or an explicit graph (nodes, links), not both");
        }
        checkSwitchFields(doc.switches(), lines);
        return new Loaded(doc, lines, catalog);
    }

    private static TopologyDocument map(YamlDocument yaml, YamlLineIndex lines) {
        try {
            return MAPPER.readerFor(TopologyDocument.class).readValue(yaml.root());
        } catch (JsonMappingException e) {
            throw mappingError(e, lines);
        } catch (JsonProcessingException e) {
            // e.g. a number too large for its field: locate it by the reader's position in the tree
            String ptr = e.getProcessor() instanceof JsonParser p ? p.getParsingContext().pathAsPointer().toString()
                    : "";
            throw lines.error(ptr, "cannot read this value: " + YamlLineIndex.firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new TopologyException(lines.file() + ": " + YamlLineIndex.firstLine(e.getMessage()));
        }
    }

    private static TopologyException mappingError(JsonMappingException e, YamlLineIndex lines) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            pointer.append('/').append(r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()));
        }
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            what = "unknown field '" + u.getPropertyName() + "'" + (known.isEmpty() ? "" : " (known: " + known + ")");
        } else if (e instanceof InvalidFormatException f) {
            what = "cannot read '" + f.getValue() + "' as " + typeName(f.getTargetType());
        } else if (e instanceof MismatchedInputException m) {
            what = "wrong kind of value, expected " + typeName(m.getTargetType());
        } else {
            what = YamlLineIndex.firstLine(e.getOriginalMessage());
        }
        String ptr = pointer.toString();
        int line = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation().getLineNr()
                : lines.lineOf(ptr);
        return new TopologyException(lines.file() + ":" + line + ": field '" + YamlLineIndex.fieldPath(ptr) + "': "
                + what);
    }

    private static String typeName(Class<?> c) {
        if (c == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(c) || (c.isPrimitive() && c != boolean.class)) {
            return c == Integer.class || c == Long.class ? "an integer" : "a number";
        }
        if (c == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(c)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(c) || c.isRecord()) {
            return "a mapping";
        }
        return c.getSimpleName();
    }

    /**
     * The builder's parameters from {@code params} and {@code switches}, then the overrides, given to
     * {@code use}; an error is located at the field that gave the parameter ({@code params.gpus} even when it is
     * missing), or blamed on the override that gave it.
     */
    private static <T> T fromBuilder(Loaded l, Map<String, String> overrides,
            java.util.function.BiFunction<String, Map<String, String>, T> use) {
        TopologyDocument doc = l.doc();
        YamlLineIndex lines = l.lines();
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> pointerOfParam = new HashMap<>();
        if (doc.params() != null) {
            for (Map.Entry<String, Object> e : doc.params().entrySet()) {
                String ptr = "/params/" + e.getKey();
                Object v = e.getValue();
                if (v == null || v instanceof Map || v instanceof List) {
                    throw lines.error(ptr, "parameter '" + e.getKey() + "' must be a single value");
                }
                params.put(e.getKey(), v.toString());
                pointerOfParam.put(e.getKey(), ptr);
            }
        }
        SwitchesDoc sw = doc.switches();
        if (sw != null) {
            putSwitchParam(params, pointerOfParam, "radix", sw.radix(), "/switches/radix");
            putSwitchParam(params, pointerOfParam, "switch-latency-ns", sw.latencyNs(), "/switches/latencyNs");
            putSwitchParam(params, pointerOfParam, "buffer-bytes", sw.bufferBytes(), "/switches/bufferBytes");
            putSwitchParam(params, pointerOfParam, "nvswitch-latency-ns", sw.nvswitchLatencyNs(),
                    "/switches/nvswitchLatencyNs");
        }
        params.putAll(overrides);
        try {
            return use.apply(doc.builder(), params);
        } catch (TopologyException e) {
            TopologyException blamed = e.blamingOverrides(overrides);
            if (blamed.overrideKey() != null) {
                throw blamed.within(lines.file());
            }
            String field = e.field();
            String ptr = "builder".equals(field) ? "/builder" : field == null ? "/params"
                    : pointerOfParam.getOrDefault(field, "/params/" + field);
            throw lines.error(ptr, e.getMessage());
        }
    }

    private static void putSwitchParam(Map<String, String> params, Map<String, String> pointers, String key,
            Object value, String pointer) {
        if (value != null) {
            params.put(key, value.toString());
            pointers.put(key, pointer);
        }
    }

    /** The presets plus the file's own models, each validated with its field's line. */
    private static LinkModelCatalog catalog(Map<String, LinkModelDoc> docs, YamlLineIndex lines) {
        if (docs == null || docs.isEmpty()) {
            return LinkModelCatalog.presets();
        }
        Map<String, LinkModel> custom = new LinkedHashMap<>();
        for (Map.Entry<String, LinkModelDoc> e : docs.entrySet()) {
            String ptr = "/linkModels/" + e.getKey();
            String badName = Ids.problem(e.getKey());
            if (badName != null) {
                throw lines.error(ptr, "link model name " + badName);
            }
            if (e.getValue() == null) {
                throw lines.error(ptr, "empty link model (give base or technology and rate)");
            }
            custom.put(e.getKey(), linkModel(e.getKey(), e.getValue(), ptr, lines));
        }
        return LinkModelCatalog.withCustom(custom);
    }

    static LinkModel linkModel(String name, LinkModelDoc d, String ptr, YamlLineIndex lines) {
        LinkModel m;
        if (d.base() != null) {
            if (!LinkPresets.exists(d.base())) {
                throw lines.error(ptr + "/base", "unknown preset '" + d.base() + "' (known: "
                        + String.join(", ", LinkPresets.names()) + ")");
            }
            m = LinkPresets.get(d.base()).withName(name);
        } else if (LinkPresets.exists(name)) {
            m = LinkPresets.get(name);
        } else {
            if (d.technology() == null) {
                throw lines.error(ptr, "model '" + name + "' is not a preset: give base: <preset> or technology");
            }
            if (d.rateBps() == null && d.rateGbps() == null) {
                throw lines.error(ptr, "model '" + name + "' is not a preset: give base: <preset> or rateGbps");
            }
            LinkTechnology tech = technology(d.technology(), ptr + "/technology", lines);
            m = new LinkModel(name, tech, LinkModel.MIN_RATE_BPS, 0, 0, 5000, 3.0, 0, 0, 0, 0,
                    tech.defaultDataEfficiency());
        }
        if (d.technology() != null) {
            m = m.withTechnology(technology(d.technology(), ptr + "/technology", lines));
        }
        Double rate = pick(d.rateBps(), d.rateGbps(), RATE, ptr, lines);
        if (rate != null) {
            m = m.withRateBps(Math.round(rate));
        }
        Double phy = pick(d.phyLatencyPs(), d.phyLatencyNs(), PHY, ptr, lines);
        if (phy != null) {
            m = m.withPhyLatencyPs(Math.round(phy));
        }
        Double fec = pick(d.fecLatencyPs(), d.fecLatencyNs(), FEC, ptr, lines);
        if (fec != null) {
            m = m.withFecLatencyPs(Math.round(fec));
        }
        Double prop = pick(d.propagationPsPerMetre(), d.propagationNsPerMetre(), PROPAGATION, ptr, lines);
        if (prop != null) {
            m = m.withPropagationPsPerMetre(Math.round(prop));
        }
        if (nonNegative(d.cableMetres(), "cableMetres", ptr, lines)) {
            if (d.cableMetres() > LinkModel.MAX_CABLE_METRES) {
                throw lines.error(ptr + "/cableMetres", fmt(d.cableMetres()) + " m is out of range: at most "
                        + fmt(LinkModel.MAX_CABLE_METRES) + " m (1000 km)");
            }
            m = m.withCableMetres(d.cableMetres());
        }
        m = nonNegative(d.pjPerBit(), "pjPerBit", ptr, lines) ? m.withPjPerBit(d.pjPerBit()) : m;
        m = nonNegative(d.idleWatts(), "idleWatts", ptr, lines) ? m.withIdleWatts(d.idleWatts()) : m;
        m = nonNegative(d.preFecBer(), "preFecBer", ptr, lines) ? m.withPreFecBer(d.preFecBer()) : m;
        m = nonNegative(d.hardFailuresPerEndHour(), "hardFailuresPerEndHour", ptr, lines)
                ? m.withHardFailuresPerEndHour(d.hardFailuresPerEndHour()) : m;
        if (m.preFecBer() > 1) {
            throw lines.error(ptr + "/preFecBer", "must be at most 1, got " + m.preFecBer());
        }
        if (d.dataEfficiency() != null) {
            if (!(d.dataEfficiency() > 0 && d.dataEfficiency() <= 1)) {
                throw lines.error(ptr + "/dataEfficiency", "payload bytes per wire byte must be in (0, 1], got "
                        + fmt(d.dataEfficiency()));
            }
            m = m.withDataEfficiency(d.dataEfficiency());
        }
        return m;
    }

    /**
     * A quantity a link model may give in either of two units: the base field ({@code phyLatencyPs}, unit
     * {@code ps}) or the alternative ({@code phyLatencyNs}, {@code altScale} base units each), within
     * {@code [minBase, maxBase]} in base units ({@code human} says the range in words).
     */
    private record UnitPair(String baseName, String baseUnit, String altName, String altUnit, double altScale,
            double minBase, double maxBase, String human) {
    }

    private static final UnitPair RATE = new UnitPair("rateBps", "bps", "rateGbps", "Gb/s", 1e9,
            LinkModel.MIN_RATE_BPS, LinkModel.MAX_RATE_BPS, "1 Mb/s to 10 Pb/s");
    private static final UnitPair PHY = new UnitPair("phyLatencyPs", "ps", "phyLatencyNs", "ns", 1e3, 0,
            LinkModel.MAX_LATENCY_PS, "0 to 1 s");
    private static final UnitPair FEC = new UnitPair("fecLatencyPs", "ps", "fecLatencyNs", "ns", 1e3, 0,
            LinkModel.MAX_LATENCY_PS, "0 to 1 s");
    private static final UnitPair PROPAGATION = new UnitPair("propagationPsPerMetre", "ps/m",
            "propagationNsPerMetre", "ns/m", 1e3, 0, LinkModel.MAX_PROPAGATION_PS_PER_METRE, "0 to 1 us per metre");

    /**
     * The value of a quantity given in its base or alternative field, in base units; both given, not a finite
     * number, or outside the quantity's range (said in the unit the user wrote) is an error at that field.
     */
    private static Double pick(Double base, Double alt, UnitPair q, String ptr, YamlLineIndex lines) {
        if (base != null && alt != null) {
            throw lines.error(ptr + "/" + q.altName(), "give " + q.baseName() + " or " + q.altName() + ", not both");
        }
        if (base == null && alt == null) {
            return null;
        }
        double given = base != null ? base : alt;
        double scale = base != null ? 1 : q.altScale();
        String unit = base != null ? q.baseUnit() : q.altUnit();
        String at = ptr + "/" + (base != null ? q.baseName() : q.altName());
        boolean rate = q == RATE;
        if (!Double.isFinite(given) || (rate ? given <= 0 : given < 0)) {
            throw lines.error(at, rate ? "rate must be positive, got " + fmt(given)
                    : "must be a number >= 0, got " + fmt(given));
        }
        double v = given * scale;
        if (v < q.minBase()) {
            throw lines.error(at, fmt(given) + " " + unit + " is below the minimum of " + fmt(q.minBase() / scale)
                    + " " + unit + " (" + q.human() + ")");
        }
        if (v > q.maxBase()) {
            throw lines.error(at, fmt(given) + " " + unit + " is out of range: at most " + fmt(q.maxBase() / scale)
                    + " " + unit + " (" + q.human() + ")");
        }
        return v;
    }

    /** A number as the user would write it: 3, 0.001, 1.0E300. */
    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** The {@code switches} fields, each within its range at its own line. */
    private static void checkSwitchFields(SwitchesDoc sw, YamlLineIndex lines) {
        if (sw == null) {
            return;
        }
        checkSwitchFields(sw.radix(), sw.latencyNs(), sw.bufferBytes(), "/switches", lines);
        checkLatencyNs(sw.nvswitchLatencyNs(), "/switches/nvswitchLatencyNs", lines);
    }

    /** A switch's radix, latency and buffer fields (any may be null), within their ranges. */
    static void checkSwitchFields(Integer radix, Double latencyNs, Long bufferBytes, String ptr, YamlLineIndex lines) {
        if (radix != null && (radix < 1 || radix > FabricLimits.MAX_RADIX)) {
            throw lines.error(ptr + "/radix", "must be in 1.." + FabricLimits.MAX_RADIX + ", got " + radix);
        }
        checkLatencyNs(latencyNs, ptr + "/latencyNs", lines);
        if (bufferBytes != null && bufferBytes < 1) {
            throw lines.error(ptr + "/bufferBytes", "must be at least 1 byte, got " + bufferBytes);
        }
    }

    private static void checkLatencyNs(Double ns, String ptr, YamlLineIndex lines) {
        double maxNs = SwitchParams.MAX_LATENCY_PS / 1e3;
        if (ns != null && !(ns >= 0 && ns <= maxNs)) {
            throw lines.error(ptr, fmt(ns) + " ns is out of range: a switch latency is 0.." + fmt(maxNs)
                    + " ns (0 to 1 s)");
        }
    }

    private static boolean nonNegative(Double v, String field, String ptr, YamlLineIndex lines) {
        if (v == null) {
            return false;
        }
        if (!(v >= 0) || v.isInfinite()) {
            throw lines.error(ptr + "/" + field, "must be a number >= 0, got " + v);
        }
        return true;
    }

    static LinkTechnology technology(String s, String ptr, YamlLineIndex lines) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (t) {
            case "dsp_pluggable", "pluggable", "dsp", "pluggable_dsp":
                return LinkTechnology.DSP_PLUGGABLE;
            case "lpo":
                return LinkTechnology.LPO;
            case "cpo":
                return LinkTechnology.CPO;
            case "nvlink":
                return LinkTechnology.NVLINK;
            case "electrical", "copper":
                return LinkTechnology.ELECTRICAL;
            default:
                throw lines.error(ptr, "unknown technology '" + s + "' (known: dsp-pluggable, lpo, cpo, nvlink,"
                        + " electrical)");
        }
    }

    /** Switch defaults for explicit-graph switches: packet or NVSwitch by tier name, then the file's overrides. */
    static SwitchParams switchDefaults(String tierName, SwitchesDoc sw, int usedPorts) {
        boolean nvswitch = "nvswitch".equals(tierName);
        SwitchParams p = nvswitch ? SwitchParams.nvswitch(Math.max(1, usedPorts))
                : SwitchParams.packet(Math.max(1, usedPorts));
        if (sw == null) {
            return p;
        }
        if (sw.radix() != null) {
            p = p.withRadix(sw.radix());
        }
        Double ns = nvswitch && sw.nvswitchLatencyNs() != null ? sw.nvswitchLatencyNs() : sw.latencyNs();
        if (ns != null) {
            p = p.withLatencyPs(Math.round(ns * 1000));
        }
        if (sw.bufferBytes() != null) {
            p = p.withBufferBytes(sw.bufferBytes());
        }
        return p;
    }
}

package io.collemu.topology.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.collemu.topology.build.TopologySpecs;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * unknown field, wrong type, unknown preset or builder, zero or negative rate, unknown node, duplicate id, a
 * switch using more ports than its radix, a disconnected fabric (some GPU pair without a GPU-free path).
 *
 * <p>In an explicit graph a cable given one CPO {@code model} between a GPU and a switch is hybrid, as in the
 * builders: the GPU (NIC) end is the DSP pluggable of the same rate. {@code aModel}/{@code bModel} set each end
 * exactly. The override {@code link} replaces the model of every non-NVLink cable (same hybrid rule).
 *
 * <p>Stateless; thread-safe.
 */
public final class TopologyYamlLoader {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final YAMLMapper MAPPER = YAMLMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private TopologyYamlLoader() {
    }

    /** Loads a file; its path as given is the {@link Topology#spec()} and the file named in errors. */
    public static Topology load(Path file, Map<String, String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TopologyException("topology file not found: " + file);
        } catch (IOException e) {
            throw new TopologyException("cannot read topology file " + file + ": " + e.getMessage());
        }
        return load(text, file.toString(), overrides);
    }

    /** Loads YAML text; {@code file} names it in errors and becomes the topology's spec. */
    public static Topology load(String text, String file, Map<String, String> overrides) {
        if (text.isBlank()) {
            throw new TopologyException(file + ":1: empty topology file (expected builder: or nodes:)");
        }
        YamlLineIndex lines = YamlLineIndex.of(text, file, FACTORY);
        TopologyDocument doc = read(text, lines);
        if (doc == null) {
            throw new TopologyException(file + ":1: empty topology file (expected builder: or nodes:)");
        }
        LinkModelCatalog catalog = catalog(doc.linkModels(), lines);
        if (doc.builder() != null) {
            if (doc.nodes() != null || doc.links() != null) {
                throw lines.error(doc.nodes() != null ? "/nodes" : "/links",
                        "give either builder (with params) or an explicit graph (nodes, links), not both");
            }
            return fromBuilder(doc, catalog, lines, overrides);
        }
        return ExplicitGraph.build(doc, catalog, lines, overrides);
    }

    private static TopologyDocument read(String text, YamlLineIndex lines) {
        try {
            return MAPPER.readValue(text, TopologyDocument.class);
        } catch (JsonMappingException e) {
            throw mappingError(e, lines);
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

    private static Topology fromBuilder(TopologyDocument doc, LinkModelCatalog catalog, YamlLineIndex lines,
            Map<String, String> overrides) {
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
            return TopologySpecs.build(doc.builder(), params, catalog, lines.file());
        } catch (TopologyException e) {
            String field = e.field();
            String ptr = "builder".equals(field) ? "/builder"
                    : pointerOfParam.getOrDefault(field, overrides.containsKey(field) ? "" : "/params");
            String msg = overrides.containsKey(field) ? "(override " + field + "=" + overrides.get(field) + ") "
                    + e.getMessage() : e.getMessage();
            throw lines.error(ptr, msg);
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
            m = new LinkModel(name, technology(d.technology(), ptr + "/technology", lines), 1, 0, 0, 5000, 3.0, 0,
                    0, 0, 0);
        }
        if (d.technology() != null) {
            m = m.withTechnology(technology(d.technology(), ptr + "/technology", lines));
        }
        Double rate = pick(d.rateBps(), 1, d.rateGbps(), 1e9, "rateBps", "rateGbps", ptr, lines);
        if (rate != null) {
            if (!(rate > 0) || rate > 1e16) {
                throw lines.error(ptr + (d.rateBps() != null ? "/rateBps" : "/rateGbps"),
                        "rate must be positive (and below 10 Pb/s), got " + (d.rateBps() != null ? d.rateBps()
                                : d.rateGbps()));
            }
            m = m.withRateBps(Math.round(rate));
        }
        Double phy = pick(d.phyLatencyPs(), 1, d.phyLatencyNs(), 1e3, "phyLatencyPs", "phyLatencyNs", ptr, lines);
        if (phy != null) {
            m = m.withPhyLatencyPs(Math.round(phy));
        }
        Double fec = pick(d.fecLatencyPs(), 1, d.fecLatencyNs(), 1e3, "fecLatencyPs", "fecLatencyNs", ptr, lines);
        if (fec != null) {
            m = m.withFecLatencyPs(Math.round(fec));
        }
        Double prop = pick(d.propagationPsPerMetre(), 1, d.propagationNsPerMetre(), 1e3, "propagationPsPerMetre",
                "propagationNsPerMetre", ptr, lines);
        if (prop != null) {
            m = m.withPropagationPsPerMetre(Math.round(prop));
        }
        m = nonNegative(d.cableMetres(), "cableMetres", ptr, lines) ? m.withCableMetres(d.cableMetres()) : m;
        m = nonNegative(d.pjPerBit(), "pjPerBit", ptr, lines) ? m.withPjPerBit(d.pjPerBit()) : m;
        m = nonNegative(d.idleWatts(), "idleWatts", ptr, lines) ? m.withIdleWatts(d.idleWatts()) : m;
        m = nonNegative(d.preFecBer(), "preFecBer", ptr, lines) ? m.withPreFecBer(d.preFecBer()) : m;
        m = nonNegative(d.hardFailuresPerEndHour(), "hardFailuresPerEndHour", ptr, lines)
                ? m.withHardFailuresPerEndHour(d.hardFailuresPerEndHour()) : m;
        if (m.preFecBer() > 1) {
            throw lines.error(ptr + "/preFecBer", "must be at most 1, got " + m.preFecBer());
        }
        return m;
    }

    /** One of a ps/ns (or bps/Gbps) pair, scaled to the base unit; both given, or negative, is an error. */
    private static Double pick(Double base, double baseScale, Double alt, double altScale, String baseName,
            String altName, String ptr, YamlLineIndex lines) {
        if (base != null && alt != null) {
            throw lines.error(ptr + "/" + altName, "give " + baseName + " or " + altName + ", not both");
        }
        Double v = base != null ? Double.valueOf(base * baseScale) : alt != null ? Double.valueOf(alt * altScale)
                : null;
        String field = base != null ? baseName : altName;
        if (v != null && !field.startsWith("rate") && (!(v >= 0) || v.isInfinite())) {
            throw lines.error(ptr + "/" + field, "must be a number >= 0, got " + (base != null ? base : alt));
        }
        return v;
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

package io.collemu.topology.build;

import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.LinkModelCatalog;
import io.collemu.topology.model.SwitchParams;
import io.collemu.topology.model.TopologyException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one builder invocation ({@code name:k=v,k=v} or a YAML {@code params} map), read once and
 * validated. Every error is a {@link TopologyException} whose message names the parameter and whose
 * {@link TopologyException#field()} is the parameter key, so the caller can add the file and line.
 * Not thread-safe; one instance per build.
 */
public final class BuildParams {
    /** Longest cable a parameter may give, in metres (1000 km). */
    static final double MAX_CABLE_METRES = LinkModel.MAX_CABLE_METRES;
    /** Longest switch latency a parameter may give, in nanoseconds (1 s). */
    static final double MAX_LATENCY_NS = SwitchParams.MAX_LATENCY_PS / 1000.0;

    private final String builder;
    private final Map<String, String> values;
    private final LinkModelCatalog catalog;

    public BuildParams(String builder, Map<String, String> values, LinkModelCatalog catalog) {
        this.builder = builder;
        this.values = new LinkedHashMap<>(values);
        this.catalog = catalog;
    }

    public String builder() {
        return builder;
    }

    public LinkModelCatalog catalog() {
        return catalog;
    }

    /** Rejects any parameter not in {@code known}, naming it and listing the known ones. */
    void requireKnown(List<String> known) {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw new TopologyException("unknown parameter '" + k + "' for builder " + builder + " (known: "
                        + String.join(", ", known) + ")", k);
            }
        }
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String string(String key, String defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : v;
    }

    /** An integer in [min, max]; {@code defaultValue} null means the parameter is required. */
    int integer(String key, Integer defaultValue, long min, long max) {
        String v = values.get(key);
        if (v == null) {
            if (defaultValue == null) {
                throw missing(key);
            }
            return defaultValue;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new TopologyException("parameter '" + key + "' must be an integer, got '" + v + "'", key);
        }
        if (n < min || n > max) {
            throw new TopologyException("parameter '" + key + "' must be in " + min + ".." + max + ", got " + n, key);
        }
        return (int) n;
    }

    long longValue(String key, long defaultValue, long min, long max) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new TopologyException("parameter '" + key + "' must be an integer, got '" + v + "'", key);
        }
        if (n < min || n > max) {
            throw new TopologyException("parameter '" + key + "' must be in " + min + ".." + max + ", got " + n, key);
        }
        return n;
    }

    /** A number in [min, max] (inclusive); {@code defaultValue} null means required. */
    double number(String key, Double defaultValue, double min, double max) {
        String v = values.get(key);
        if (v == null) {
            if (defaultValue == null) {
                throw missing(key);
            }
            return defaultValue;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new TopologyException("parameter '" + key + "' must be a number, got '" + v + "'", key);
        }
        if (!(d >= min && d <= max)) {
            throw new TopologyException("parameter '" + key + "' must be in " + fmt(min) + ".." + fmt(max)
                    + ", got " + v, key);
        }
        return d;
    }

    /** A link model by name from the catalog (presets plus a YAML file's own models). */
    LinkModel link(String key, String defaultName) {
        String name = string(key, defaultName);
        try {
            return catalog.get(name);
        } catch (TopologyException e) {
            throw e.within("parameter '" + key + "'", key);
        }
    }

    /** Switch parameters common to every builder: radix, switch-latency-ns, buffer-bytes over a default. */
    SwitchParams switchParams(SwitchParams defaults, String latencyKey) {
        int radix = integer("radix", defaults.radix(), 1, FabricLimits.MAX_RADIX);
        double latencyNs = number(latencyKey, defaults.latencyPs() / 1000.0, 0, MAX_LATENCY_NS);
        long buffer = longValue("buffer-bytes", defaults.bufferBytes(), 1, Long.MAX_VALUE / 2);
        return new SwitchParams(radix, Math.round(latencyNs * 1000.0), buffer);
    }

    private TopologyException missing(String key) {
        return new TopologyException("missing required parameter '" + key + "' for builder " + builder, key);
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}

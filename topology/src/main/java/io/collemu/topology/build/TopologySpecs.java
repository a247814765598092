package io.collemu.topology.build;

import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.Ids;
import io.collemu.topology.model.LinkModelCatalog;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import io.collemu.topology.yaml.TopologyYamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The entry point from the command line and other modules: turns a spec string
 * ({@code builder:k=v,k=v}, e.g. {@code leaf-spine:leaves=16,hosts-per-leaf=32,link=cpo-1.6t}) or a path to a
 * {@code .yaml}/{@code .yml} topology file into a {@link Topology}. Overrides (e.g. {@code {"link": "cpo-1.6t"}}
 * from {@code --link}) replace or add builder parameters. Every user error is a one-line
 * {@link TopologyException}: {@code spec '...': parameter 'x': ...} or {@code file:line: field 'y': ...}.
 * A fabric is sized before it is built ({@link FabricCost}, also public through {@link #estimate}) and refused
 * beyond {@link FabricLimits} (by default this JVM's: half the maximum heap) with what to lower.
 * Stateless; thread-safe.
 */
public final class TopologySpecs {
    private static final Map<String, FabricBuilder> BUILDERS = new LinkedHashMap<>();

    static {
        for (FabricBuilder b : List.of(new SingleSwitchBuilder(), new LeafSpineBuilder(), new FatTreeBuilder(),
                new RailOptimizedBuilder())) {
            BUILDERS.put(b.name(), b);
        }
    }

    private TopologySpecs() {
    }

    /** A spec string, or a path to a .yaml/.yml file. */
    public static Topology parse(String specOrFile) {
        return parse(specOrFile, Map.of());
    }

    /** A spec string or YAML file, with parameter overrides (e.g. {@code link} for {@code --link}). */
    public static Topology parse(String specOrFile, Map<String, String> overrides) {
        return parse(specOrFile, overrides, FabricLimits.ofThisJvm());
    }

    /**
     * As {@link #parse(String, Map)}, refusing a fabric whose {@link FabricCost} exceeds {@code limits} before
     * anything is allocated for it. An error in an override's value is blamed on the override
     * ({@link TopologyException#overrideKey()}).
     */
    public static Topology parse(String specOrFile, Map<String, String> overrides, FabricLimits limits) {
        String s = checkedSpec(specOrFile);
        if (isFile(s)) {
            return TopologyYamlLoader.load(Path.of(s), overrides, limits);
        }
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon).trim();
        try {
            Map<String, String> params = parseParams(colon < 0 ? "" : s.substring(colon + 1));
            params.putAll(overrides);
            return build(name, params, LinkModelCatalog.presets(), null, limits);
        } catch (TopologyException e) {
            throw e.blamingOverrides(overrides).within("spec '" + s + "'");
        }
    }

    /**
     * What the fabric of a spec string or YAML file would cost, from its parameters or node and link lists,
     * without building it (nothing is allocated in proportion to the fabric). Errors are those of
     * {@link #parse(String, Map)} except that no size limit is applied.
     */
    public static FabricCost estimate(String specOrFile, Map<String, String> overrides) {
        String s = checkedSpec(specOrFile);
        if (isFile(s)) {
            return TopologyYamlLoader.estimate(Path.of(s), overrides);
        }
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon).trim();
        try {
            Map<String, String> params = parseParams(colon < 0 ? "" : s.substring(colon + 1));
            params.putAll(overrides);
            return estimate(name, params, LinkModelCatalog.presets());
        } catch (TopologyException e) {
            throw e.blamingOverrides(overrides).within("spec '" + s + "'");
        }
    }

    /** What a named builder with these parameters would build, validated, without building it. */
    public static FabricCost estimate(String builderName, Map<String, String> params, LinkModelCatalog catalog) {
        return builder(builderName).plan(new BuildParams(builderName, params, catalog)).cost();
    }

    /**
     * Builds with a named builder and parameters; errors carry the parameter key as
     * {@link TopologyException#field()} and no location prefix (the YAML loader adds file and line).
     */
    public static Topology build(String builderName, Map<String, String> params, LinkModelCatalog catalog) {
        return build(builderName, params, catalog, null);
    }

    /** As {@link #build(String, Map, LinkModelCatalog)}, recording {@code specLabel} (e.g. a file) as the spec. */
    public static Topology build(String builderName, Map<String, String> params, LinkModelCatalog catalog,
            String specLabel) {
        return build(builderName, params, catalog, specLabel, FabricLimits.ofThisJvm());
    }

    /**
     * As {@link #build(String, Map, LinkModelCatalog, String)}, refusing a fabric beyond {@code limits} before
     * allocating it: the error names the figure and its limit and says which parameter to lower; its field is
     * that parameter.
     */
    public static Topology build(String builderName, Map<String, String> params, LinkModelCatalog catalog,
            String specLabel, FabricLimits limits) {
        FabricPlan plan = builder(builderName).plan(new BuildParams(builderName, params, catalog));
        String tooBig = limits.problem(plan.cost());
        if (tooBig != null) {
            List<String> size = plan.sizeParameters();
            throw new TopologyException(tooBig + ": lower " + String.join(" or ", size), size.get(0));
        }
        return plan.build(specLabel != null ? specLabel : canonicalSpec(builderName, params));
    }

    private static FabricBuilder builder(String builderName) {
        FabricBuilder b = BUILDERS.get(builderName);
        if (b == null) {
            throw new TopologyException("unknown builder '" + Ids.printable(String.valueOf(builderName))
                    + "' (known: " + String.join(", ", BUILDERS.keySet()) + ")", "builder");
        }
        return b;
    }

    private static String checkedSpec(String specOrFile) {
        if (specOrFile == null || specOrFile.isBlank()) {
            throw new TopologyException("empty topology spec (expected builder:k=v,... or a .yaml file)");
        }
        String s = specOrFile.trim();
        String bad = Ids.problem(s);
        if (bad != null) {
            throw new TopologyException("topology spec " + bad);
        }
        return s;
    }

    /** One line per builder with its parameters and defaults. */
    public static List<String> builderUsage() {
        List<String> lines = new ArrayList<>();
        for (FabricBuilder b : BUILDERS.values()) {
            lines.add(b.usage());
        }
        lines.add("<file>.yaml  explicit graph (nodes, links) or builder + params + linkModels overrides");
        return lines;
    }

    /** The builder names, in usage order. */
    public static List<String> builderNames() {
        return List.copyOf(BUILDERS.keySet());
    }

    static Map<String, String> parseParams(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        if (text.isBlank()) {
            return params;
        }
        for (String item : text.split(",")) {
            String kv = item.trim();
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                String key = eq < 0 ? kv : "";
                throw new TopologyException("parameter '" + kv + "' has no " + (eq < 0 ? "value" : "name")
                        + " (write key=value)", key);
            }
            String key = kv.substring(0, eq).trim();
            String value = kv.substring(eq + 1).trim();
            if (value.isEmpty()) {
                throw new TopologyException("parameter '" + key + "' has an empty value", key);
            }
            if (params.put(key, value) != null) {
                throw new TopologyException("parameter '" + key + "' given twice", key);
            }
        }
        return params;
    }

    private static String canonicalSpec(String builder, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(builder);
        char sep = ':';
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ',';
        }
        return sb.toString();
    }

    private static boolean isFile(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return true;
        }
        try {
            // an existing path (file, directory, pipe) is read as a file, so that the loader can say what it is;
            // a bare builder name stays a spec even if a file of that name exists
            return s.indexOf('=') < 0 && !BUILDERS.containsKey(s) && Files.exists(Path.of(s));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}

package io.collemu.topology.build;

import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.Ids;
import io.collemu.topology.model.LinkModelCatalog;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The builders by name (single-switch, leaf-spine, fat-tree, rail-optimized): their usage, what a builder with
 * given parameters would cost, and the fabric it builds, refused before allocation when beyond the limits. The
 * entry point that also reads YAML files is {@link io.collemu.topology.TopologySpecs}.
 *
 * <p>Formerly the entry point: turns a spec string
 * ({@code builder:k=v,k=v}, e.g. {@code leaf-spine:leaves=16,hosts-per-leaf=32,link=cpo-1.6t}) or a path to a
 * {@code .yaml}/{@code .yml} topology file into a {@link Topology}. Overrides (e.g. {@code {"link": "cpo-1.6t"}}
 * from {@code --link}) replace or add builder parameters. Every user error is a one-line
 * {@link TopologyException}: {@code spec '...': parameter 'x': ...} or {@code file:line: field 'y': ...}.
 * A fabric is sized before it is built ({@link FabricCost}, also public through {@link #estimate}) and refused
 * beyond {@link FabricLimits} (by default this JVM's: half the maximum heap) with what to lower.
 * Stateless; thread-safe.
 */
public final class Builders {
    private static final Map<String, FabricBuilder> BUILDERS = new LinkedHashMap<>();

    static {
        for (FabricBuilder b : List.of(new SingleSwitchBuilder(), new LeafSpineBuilder(), new FatTreeBuilder(),
                new RailOptimizedBuilder())) {
            BUILDERS.put(b.name(), b);
        }
    }

    private Builders() {
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

    /** {@code k=v,k=v} into an ordered map; errors carry the key as the field. */
    public static Map<String, String> parseParams(String text) {
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
    }}

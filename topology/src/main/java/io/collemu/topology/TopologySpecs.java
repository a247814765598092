package io.collemu.topology;

import io.collemu.topology.build.Builders;
import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.Ids;
import io.collemu.topology.model.LinkModelCatalog;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import io.collemu.topology.yaml.TopologyYamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The entry point from the command line and other modules: turns a spec string
 * ({@code builder:k=v,k=v}, e.g. {@code leaf-spine:leaves=16,hosts-per-leaf=32,link=cpo-1.6t}) or a path to a
 * {@code .yaml}/{@code .yml} topology file into a {@link Topology} ({@link Builders} for specs,
 * {@link TopologyYamlLoader} for files). Overrides (e.g. {@code {"link": "cpo-1.6t"}} from {@code --link})
 * replace or add builder parameters. Every user error is a one-line {@link TopologyException}:
 * {@code spec '...': parameter 'x': ...} or {@code file:line: field 'y': ...}. Stateless; thread-safe.
 */
public final class TopologySpecs {
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
            Map<String, String> params = Builders.parseParams(colon < 0 ? "" : s.substring(colon + 1));
            params.putAll(overrides);
            return Builders.build(name, params, LinkModelCatalog.presets(), null, limits);
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
            Map<String, String> params = Builders.parseParams(colon < 0 ? "" : s.substring(colon + 1));
            params.putAll(overrides);
            return Builders.estimate(name, params, LinkModelCatalog.presets());
        } catch (TopologyException e) {
            throw e.blamingOverrides(overrides).within("spec '" + s + "'");
        }
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

    private static boolean isFile(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return true;
        }
        try {
            // an existing path (file, directory, pipe) is read as a file, so that the loader can say what it is;
            // a bare builder name stays a spec even if a file of that name exists
            return s.indexOf('=') < 0 && !Builders.builderNames().contains(s) && Files.exists(Path.of(s));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}

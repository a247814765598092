package io.collemu.node.run;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.RoutingMode;
import io.collemu.topology.yaml.TopologyYamlLoader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's fabric comes from, as plain data that travels to other cluster members: a builder spec, or a YAML
 * file's text (so that members need not share a file system), the {@code --link} override, and the routing.
 *
 * @param spec     the builder spec, or the file's name when {@code yamlText} is given
 * @param yamlText the YAML file's text, or null for a builder spec
 * @param explicit whether the user named it (else it is the default, which a profile's own fabric replaces)
 * @param link     the link preset replacing the fabric's, or null
 */
public record TopologySource(String spec, String yamlText, boolean explicit, String link, RoutingMode routing) {

    /** Parses the topology (once per process: the assembly keeps it). */
    public Topology parse() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (link != null) {
            overrides.put("link", link);
        }
        return yamlText != null ? TopologyYamlLoader.load(yamlText, spec, overrides)
                : TopologySpecs.parse(spec, overrides);
    }

    /** The same source with another builder spec (a profile's own fabric). */
    public TopologySource withSpec(String builderSpec) {
        return new TopologySource(builderSpec, null, true, link, routing);
    }

    /** The same source with another link preset. */
    public TopologySource withLink(String preset) {
        return new TopologySource(spec, yamlText, explicit, preset, routing);
    }
}

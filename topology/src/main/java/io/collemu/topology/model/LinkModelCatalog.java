package io.collemu.topology.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The link models a topology may name: the presets plus models a YAML file defines or overrides (a custom model
 * of a preset's name replaces that preset for this topology). Immutable; thread-safe.
 */
public final class LinkModelCatalog {
    private static final LinkModelCatalog PRESETS = new LinkModelCatalog(Map.of());

    private final Map<String, LinkModel> models;

    private LinkModelCatalog(Map<String, LinkModel> custom) {
        Map<String, LinkModel> m = new LinkedHashMap<>();
        for (LinkModel p : LinkPresets.all()) {
            m.put(p.name(), p);
        }
        m.putAll(custom);
        this.models = Collections.unmodifiableMap(m);
    }

    /** The catalog of built-in presets only. */
    public static LinkModelCatalog presets() {
        return PRESETS;
    }

    /** The presets plus (overriding) these models, keyed by name. */
    public static LinkModelCatalog withCustom(Map<String, LinkModel> custom) {
        return custom.isEmpty() ? PRESETS : new LinkModelCatalog(custom);
    }

    /** The model of that name; a {@link TopologyException} naming it and listing the known ones otherwise. */
    public LinkModel get(String name) {
        LinkModel m = name == null ? null : models.get(name);
        if (m == null) {
            throw new TopologyException("unknown link model '" + name + "' (known: " + String.join(", ", names())
                    + ")", "link");
        }
        return m;
    }

    public Set<String> names() {
        return models.keySet();
    }

    /** The DSP pluggable of exactly this rate (the NIC end of a hybrid CPO link), or null if there is none. */
    public LinkModel dspPluggableOfRate(long rateBps) {
        for (LinkModel m : models.values()) {
            if (m.technology() == LinkTechnology.DSP_PLUGGABLE && m.rateBps() == rateBps) {
                return m;
            }
        }
        return null;
    }
}

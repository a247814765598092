package io.collemu.topology.yaml;

import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.Ids;
import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.LinkModelCatalog;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.SwitchParams;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import io.collemu.topology.yaml.TopologyDocument.LinkDoc;
import io.collemu.topology.yaml.TopologyDocument.NodeDoc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code nodes}/{@code links} of a topology file into a {@link Topology}, checking each entry with its
 * line: ids present and unique, kinds known, link ends known, models known, radix respected, every GPU pair
 * connected without transiting a GPU. Single use; not thread-safe.
 */
final class ExplicitGraph {
    private final TopologyDocument doc;
    private final LinkModelCatalog catalog;
    private final YamlLineIndex lines;
    private final Map<String, String> overrides;
    private final Map<String, Integer> indexById = new HashMap<>();

    private ExplicitGraph(TopologyDocument doc, LinkModelCatalog catalog, YamlLineIndex lines,
            Map<String, String> overrides) {
        this.doc = doc;
        this.catalog = catalog;
        this.lines = lines;
        this.overrides = overrides;
    }

    static Topology build(TopologyDocument doc, LinkModelCatalog catalog, YamlLineIndex lines,
            Map<String, String> overrides, FabricLimits limits) {
        ExplicitGraph g = new ExplicitGraph(doc, catalog, lines, overrides);
        g.check();
        String tooBig = limits.problem(g.cost());
        if (tooBig != null) {
            throw g.tooBig(tooBig);
        }
        return g.build();
    }

    /** Validates the graph and reports its cost without building it. */
    static FabricCost estimate(TopologyDocument doc, LinkModelCatalog catalog, YamlLineIndex lines,
            Map<String, String> overrides) {
        ExplicitGraph g = new ExplicitGraph(doc, catalog, lines, overrides);
        g.check();
        return g.cost();
    }

    private boolean[] isGpu;
    private long[] used;
    private LinkModel[][] ends;

    /** Every node and link checked with its line; nothing allocated in proportion to link counts. */
    private void check() {
        List<NodeDoc> nodes = doc.nodes();
        if (nodes == null || nodes.isEmpty()) {
            throw lines.error(doc.params() != null ? "/params" : "", "no builder and no nodes: give builder: <name>"
                    + " (with params) or an explicit graph (nodes, links)");
        }
        if (doc.params() != null) {
            throw lines.error("/params", "params need a builder; an explicit graph has none");
        }
        for (String key : overrides.keySet()) {
            if (!"link".equals(key)) {
                throw new TopologyException(lines.file() + ": override '" + key
                        + "' does not apply to an explicit graph (only link does)");
            }
        }
        isGpu = new boolean[nodes.size()];
        boolean anyGpu = false;
        for (int i = 0; i < nodes.size(); i++) {
            isGpu[i] = checkNode(i, nodes.get(i));
            anyGpu |= isGpu[i];
        }
        if (!anyGpu) {
            throw lines.error("/nodes", "a fabric needs at least one GPU (a node with kind: gpu)");
        }
        List<LinkDoc> links = links();
        used = new long[nodes.size()];
        ends = new LinkModel[links.size()][];
        for (int i = 0; i < links.size(); i++) {
            ends[i] = checkLink(i, links.get(i), isGpu, used);
        }
    }

    private List<LinkDoc> links() {
        return doc.links() == null ? List.of() : doc.links();
    }

    /** GPUs, switches, cables (counts summed without overflow), largest switch, switches needing a route table. */
    private FabricCost cost() {
        long gpus = 0;
        long largest = 0;
        for (int i = 0; i < isGpu.length; i++) {
            gpus += isGpu[i] ? 1 : 0;
            largest = isGpu[i] ? largest : Math.max(largest, Math.max(used[i], radixGiven(doc.nodes().get(i))));
        }
        long cables = 0;
        boolean[] nearGpu = new boolean[isGpu.length];
        boolean[] nearSwitch = new boolean[isGpu.length];
        for (LinkDoc l : links()) {
            cables = FabricCost.sum(cables, count(l));
            int a = indexById.get(l.a());
            int z = indexById.get(l.b());
            (isGpu[z] ? nearGpu : nearSwitch)[a] = true;
            (isGpu[a] ? nearGpu : nearSwitch)[z] = true;
        }
        long tables = 0;
        for (int i = 0; i < isGpu.length; i++) {
            tables += !isGpu[i] && nearGpu[i] && nearSwitch[i] ? 1 : 0;
        }
        return new FabricCost(gpus, isGpu.length - gpus, cables, largest, tables);
    }

    private long radixGiven(NodeDoc n) {
        Integer r = n.radix() != null ? n.radix() : doc.switches() == null ? null : doc.switches().radix();
        return r == null ? 0 : r;
    }

    /** A too-big fabric blamed on its largest link count, if any link has more than one cable. */
    private TopologyException tooBig(String problem) {
        List<LinkDoc> links = links();
        int worst = -1;
        for (int i = 0; i < links.size(); i++) {
            if (count(links.get(i)) > 1 && (worst < 0 || count(links.get(i)) > count(links.get(worst)))) {
                worst = i;
            }
        }
        return worst >= 0 ? lines.error("/links/" + worst + "/count", problem + ": lower the link counts")
                : lines.error("/nodes", problem + ": use fewer nodes and links");
    }

    private static int count(LinkDoc l) {
        return l.count() == null ? 1 : l.count();
    }

    private Topology build() {
        List<NodeDoc> nodes = doc.nodes();
        List<LinkDoc> links = links();
        Topology.Builder b = new Topology.Builder(lines.file());
        int[] nodeId = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            if (isGpu[i]) {
                NodeDoc n = nodes.get(i);
                nodeId[i] = b.addGpu(n.id(), n.server() == null ? -1 : n.server());
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (!isGpu[i]) {
                // cost() was accepted: the ports of one switch are within the radix limit (an int)
                nodeId[i] = addSwitch(b, i, nodes.get(i), (int) used[i]);
            }
        }
        for (int i = 0; i < links.size(); i++) {
            LinkDoc l = links.get(i);
            b.connect(nodeId[indexById.get(l.a())], nodeId[indexById.get(l.b())], ends[i][0], ends[i][1],
                    metres(l, ends[i]), count(l));
        }
        Topology t = b.build();
        int[] pair = t.firstUnroutableGpuPair();
        if (pair != null) {
            String a = t.nodeName(t.gpuNode(pair[0]));
            String z = t.nodeName(t.gpuNode(pair[1]));
            throw lines.error("/nodes/" + indexById.get(z), "disconnected fabric: gpu '" + z + "' cannot be reached"
                    + " from gpu '" + a + "' (paths may not transit a GPU)");
        }
        return t;
    }

    private static double metres(LinkDoc l, LinkModel[] ends) {
        return l.cableMetres() != null ? l.cableMetres() : Math.max(ends[0].cableMetres(), ends[1].cableMetres());
    }

    /** Validates one node; returns whether it is a GPU. */
    private boolean checkNode(int i, NodeDoc n) {
        String ptr = "/nodes/" + i;
        if (n == null) {
            throw lines.error(ptr, "empty node (give id and kind)");
        }
        if (n.id() == null || n.id().isBlank()) {
            throw lines.error(ptr, "missing id");
        }
        requireId(n.id(), ptr + "/id");
        if (n.tierName() != null) {
            requireId(n.tierName(), ptr + "/tierName");
        }
        Integer first = indexById.putIfAbsent(n.id(), i);
        if (first != null) {
            throw lines.error(ptr + "/id", "duplicate id '" + n.id() + "' (first at line "
                    + lines.lineOf("/nodes/" + first) + ")");
        }
        if (n.kind() == null) {
            throw lines.error(ptr, "missing kind (gpu or switch)");
        }
        switch (n.kind()) {
            case "gpu":
                for (String f : new String[] {"tier", "tierName", "radix", "latencyNs", "bufferBytes"}) {
                    if (lines.has(ptr + "/" + f)) {
                        throw lines.error(ptr + "/" + f, "applies to switches only, node '" + n.id() + "' is a gpu");
                    }
                }
                if (n.server() != null && n.server() < 0) {
                    throw lines.error(ptr + "/server", "must be >= 0, got " + n.server());
                }
                return true;
            case "switch":
                if (n.server() != null) {
                    throw lines.error(ptr + "/server", "applies to GPUs only, node '" + n.id() + "' is a switch");
                }
                if (n.tier() != null && (n.tier() < 1 || n.tier() > 100)) {
                    throw lines.error(ptr + "/tier", "must be in 1..100, got " + n.tier());
                }
                TopologyYamlLoader.checkSwitchFields(n.radix(), n.latencyNs(), n.bufferBytes(), ptr, lines);
                return false;
            default:
                throw lines.error(ptr + "/kind", "unknown kind '" + n.kind() + "' (known: gpu, switch)");
        }
    }

    private void requireId(String id, String ptr) {
        String problem = Ids.problem(id);
        if (problem != null) {
            throw lines.error(ptr, problem);
        }
    }

    /** Validates one cable and returns its {a end, b end} models. */
    private LinkModel[] checkLink(int i, LinkDoc l, boolean[] isGpu, long[] used) {
        String ptr = "/links/" + i;
        if (l == null) {
            throw lines.error(ptr, "empty link (give a, b and model)");
        }
        int a = endpoint(l.a(), ptr + "/a", "a");
        int z = endpoint(l.b(), ptr + "/b", "b");
        if (a == z) {
            throw lines.error(ptr + "/b", "a link cannot join node '" + l.a() + "' to itself");
        }
        int count = count(l);
        if (count < 1) {
            throw lines.error(ptr + "/count", "must be at least 1, got " + count);
        }
        if (l.cableMetres() != null && !(l.cableMetres() >= 0 && l.cableMetres() <= LinkModel.MAX_CABLE_METRES)) {
            throw lines.error(ptr + "/cableMetres", "must be a number in 0.." + (long) LinkModel.MAX_CABLE_METRES
                    + " (1000 km), got " + l.cableMetres());
        }
        used[a] += count;
        used[z] += count;
        LinkModel[] ends;
        if (l.model() != null) {
            if (l.aModel() != null || l.bModel() != null) {
                throw lines.error(ptr + "/model", "give model, or aModel and bModel, not both");
            }
            ends = hybrid(model(l.model(), ptr + "/model"), isGpu[a], isGpu[z], ptr + "/model");
        } else {
            if (l.aModel() == null || l.bModel() == null) {
                throw lines.error(ptr, "missing link model (give model, or aModel and bModel)");
            }
            ends = new LinkModel[] {model(l.aModel(), ptr + "/aModel"), model(l.bModel(), ptr + "/bModel")};
        }
        String override = overrides.get("link");
        if (override != null && ends[0].technology() != LinkTechnology.NVLINK
                && ends[1].technology() != LinkTechnology.NVLINK) {
            LinkModel m;
            try {
                m = catalog.get(override);
            } catch (TopologyException e) {
                throw TopologyException.ofOverride("link", override, e.getMessage()).within(lines.file());
            }
            ends = hybrid(m, isGpu[a], isGpu[z], ptr);
        }
        if (Topology.linkLatencyPs(ends[0], ends[1], metres(l, ends)) <= 0) {
            throw lines.error(ptr, Topology.zeroLatency(l.a(), l.b()));
        }
        return ends;
    }

    private int endpoint(String id, String ptr, String field) {
        if (id == null) {
            throw lines.error(ptr.substring(0, ptr.lastIndexOf('/')), "missing end '" + field + "'");
        }
        Integer idx = indexById.get(id);
        if (idx == null) {
            throw lines.error(ptr, "unknown node '" + id + "'");
        }
        return idx;
    }

    private LinkModel model(String name, String ptr) {
        try {
            return catalog.get(name);
        } catch (TopologyException e) {
            throw lines.error(ptr, e.getMessage());
        }
    }

    /** A CPO model on a GPU-to-switch cable: the GPU end becomes the DSP pluggable of the same rate. */
    private LinkModel[] hybrid(LinkModel m, boolean aIsGpu, boolean zIsGpu, String ptr) {
        if (m.technology() != LinkTechnology.CPO || aIsGpu == zIsGpu) {
            return new LinkModel[] {m, m};
        }
        LinkModel nic = catalog.dspPluggableOfRate(m.rateBps());
        if (nic == null) {
            throw lines.error(ptr, "no DSP pluggable model of " + m.rateBps() / 1e9 + " Gb/s for the NIC end of CPO"
                    + " model '" + m.name() + "'; give aModel and bModel");
        }
        return aIsGpu ? new LinkModel[] {nic, m} : new LinkModel[] {m, nic};
    }

    private int addSwitch(Topology.Builder b, int i, NodeDoc n, int usedPorts) {
        String ptr = "/nodes/" + i;
        int tier = n.tier() != null ? n.tier() : n.tierName() == null ? 1 : switch (n.tierName()) {
            case "spine", "aggregation" -> 2;
            case "core" -> 3;
            default -> 1;
        };
        String tierName = n.tierName() != null ? n.tierName() : switch (tier) {
            case 1 -> "leaf";
            case 2 -> "spine";
            default -> "core";
        };
        SwitchParams p;
        try {
            p = TopologyYamlLoader.switchDefaults(tierName, doc.switches(), usedPorts);
        } catch (TopologyException e) {
            throw lines.error("/switches", e.getMessage());
        }
        try {
            if (n.radix() != null) {
                p = p.withRadix(n.radix());
            }
            if (n.latencyNs() != null) {
                p = p.withLatencyPs(Math.round(n.latencyNs() * 1000));
            }
            if (n.bufferBytes() != null) {
                p = p.withBufferBytes(n.bufferBytes());
            }
        } catch (TopologyException e) {
            String field = "radix".equals(e.field()) ? "radix" : "buffer-bytes".equals(e.field()) ? "bufferBytes"
                    : "latencyNs";
            throw lines.error(ptr + "/" + field, e.getMessage());
        }
        if (usedPorts > p.radix()) {
            String where = lines.has(ptr + "/radix") ? ptr + "/radix" : lines.has("/switches/radix")
                    ? "/switches/radix" : ptr;
            throw lines.error(where, "switch '" + n.id() + "' uses " + usedPorts + " ports, more than its radix "
                    + p.radix());
        }
        return b.addSwitch(n.id(), tier, tierName, p);
    }
}

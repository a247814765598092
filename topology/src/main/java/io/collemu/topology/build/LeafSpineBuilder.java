package io.collemu.topology.build;

import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.SwitchParams;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import java.util.List;

/**
 * {@code leaf-spine:leaves=16,spines=8,hosts-per-leaf=32,link=pluggable-dsp-800g,oversubscription=4}: a
 * two-tier Clos. Oversubscription o is per-leaf down:up bandwidth o:1, so a leaf has h down ports and h/o up
 * ports spread evenly over the spines ((h/o)/spines parallel links per leaf-spine pair); both must be integers.
 * Spines default to h/o (one link per pair). Cables: GPU-leaf {@code cable-m} (3 m), leaf-spine
 * {@code spine-cable-m} (30 m), both assumed.
 */
final class LeafSpineBuilder implements FabricBuilder {
    private static final List<String> PARAMS = List.of("leaves", "spines", "hosts-per-leaf", "oversubscription",
            "link", "nic-link", "radix", "switch-latency-ns", "buffer-bytes", "cable-m", "spine-cable-m");

    @Override
    public String name() {
        return "leaf-spine";
    }

    @Override
    public List<String> parameters() {
        return PARAMS;
    }

    @Override
    public String usage() {
        return "leaf-spine:leaves=L,hosts-per-leaf=H[,spines=(H/o)][,oversubscription=1][,link=pluggable-dsp-800g]"
                + "[,nic-link=M][,radix=64 (32 for 3.2T)][,switch-latency-ns=300][,buffer-bytes=1048576][,cable-m=3]"
                + "[,spine-cable-m=30]  two-tier Clos, down:up = o:1 per leaf";
    }

    @Override
    public FabricPlan plan(BuildParams p) {
        p.requireKnown(PARAMS);
        int leaves = p.integer("leaves", null, 1, FabricLimits.MAX_RADIX);
        int hosts = p.integer("hosts-per-leaf", null, 1, FabricLimits.MAX_RADIX);
        double o = p.number("oversubscription", 1.0, 1e-9, 1e6);
        int up = integerUplinks(hosts, o);
        int spines = p.integer("spines", up, 1, FabricLimits.MAX_RADIX);
        if (up % spines != 0) {
            throw new TopologyException("parameter 'spines': " + up + " uplinks per leaf (hosts-per-leaf " + hosts
                    + " / oversubscription " + BuildParams.fmt(o) + ") do not spread evenly over " + spines
                    + " spines", "spines");
        }
        int parallel = up / spines;
        LinkPlan links = LinkPlan.of(p, "pluggable-dsp-800g");
        SwitchParams sw = p.switchParams(SwitchParams.packet(LinkPlan.defaultRadix(links.fabric().rateBps())),
                "switch-latency-ns");
        if ((long) hosts + up > sw.radix()) {
            throw new TopologyException("parameter 'hosts-per-leaf': a leaf needs " + hosts + " down + " + up
                    + " up ports, more than radix " + sw.radix(), "hosts-per-leaf");
        }
        if ((long) leaves * parallel > sw.radix()) {
            throw new TopologyException("parameter 'leaves': a spine needs " + leaves + " x " + parallel
                    + " ports, more than radix " + sw.radix(), "leaves");
        }
        return new Plan(leaves, hosts, spines, parallel, links, sw,
                p.number("cable-m", 3.0, 0, BuildParams.MAX_CABLE_METRES),
                p.number("spine-cable-m", 30.0, 0, BuildParams.MAX_CABLE_METRES));
    }

    /** L leaves of H hosts, S spines, P parallel cables per leaf-spine pair. */
    private record Plan(int leaves, int hosts, int spines, int parallel, LinkPlan links, SwitchParams sw,
            double hostMetres, double spineMetres) implements FabricPlan {

        @Override
        public FabricCost cost() {
            long gpus = FabricCost.product(leaves, hosts);
            long cables = FabricCost.sum(gpus, FabricCost.product(leaves, spines, parallel));
            return new FabricCost(gpus, FabricCost.sum(leaves, spines), cables, sw.radix(), leaves);
        }

        @Override
        public List<String> sizeParameters() {
            return List.of("leaves", "hosts-per-leaf");
        }

        @Override
        public Topology build(String spec) {
            // cost() was accepted, so leaves * hosts fits the GPU limit (an int)
            int gpus = leaves * hosts;
            Topology.Builder b = new Topology.Builder(spec);
            for (int g = 0; g < gpus; g++) {
                b.addGpu("gpu" + g, -1);
            }
            int firstLeaf = b.nodeCount();
            for (int l = 0; l < leaves; l++) {
                b.addSwitch("leaf" + l, 1, "leaf", sw);
            }
            int firstSpine = b.nodeCount();
            for (int s = 0; s < spines; s++) {
                b.addSwitch("spine" + s, 2, "spine", sw);
            }
            for (int g = 0; g < gpus; g++) {
                b.connect(g, firstLeaf + g / hosts, links.nicEnd(), links.fabric(), hostMetres, 1);
            }
            for (int l = 0; l < leaves; l++) {
                for (int s = 0; s < spines; s++) {
                    b.connect(firstLeaf + l, firstSpine + s, links.fabric(), links.fabric(), spineMetres, parallel);
                }
            }
            return b.build();
        }
    }

    /** h/o as an integer number of uplinks, or a one-line error naming oversubscription. */
    static int integerUplinks(int hosts, double o) {
        double up = hosts / o;
        long rounded = Math.round(up);
        if (rounded > FabricLimits.MAX_RADIX) {
            throw new TopologyException("parameter 'oversubscription': " + hosts + " down ports / "
                    + BuildParams.fmt(o) + " would need " + FabricLimits.count(rounded) + " up ports per leaf, more"
                    + " than any radix (at most " + FabricLimits.MAX_RADIX + "): raise oversubscription",
                    "oversubscription");
        }
        if (rounded < 1 || Math.abs(up - rounded) > 1e-9 * Math.max(1, up)) {
            throw new TopologyException("parameter 'oversubscription': " + hosts + " down ports / oversubscription "
                    + BuildParams.fmt(o) + " = " + String.format("%.3g", up)
                    + " up ports per leaf, which is not a positive integer", "oversubscription");
        }
        return (int) rounded;
    }
}

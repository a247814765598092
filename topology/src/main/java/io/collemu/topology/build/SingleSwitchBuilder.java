package io.collemu.topology.build;

import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.SwitchParams;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import java.util.List;

/**
 * {@code single-switch:gpus=8,link=nvlink4}: GPUs on one switch. With an NVLink model the switch is an NVSwitch
 * domain (one node standing for all NVSwitch chips of the domain, one port per GPU, radix = gpus by default);
 * otherwise it is one packet leaf (radix default by port rate, see {@link LinkPlan#defaultRadix(long)}).
 * Cables: the model's own length for NVLink (1 m), {@code cable-m} (default 3 m, assumed) otherwise.
 */
final class SingleSwitchBuilder implements FabricBuilder {
    private static final List<String> PARAMS = List.of("gpus", "link", "nic-link", "radix", "switch-latency-ns",
            "buffer-bytes", "cable-m");

    @Override
    public String name() {
        return "single-switch";
    }

    @Override
    public List<String> parameters() {
        return PARAMS;
    }

    @Override
    public String usage() {
        return "single-switch:gpus=N[,link=nvlink4][,nic-link=M][,radix=gpus for NVLink, else 64][,switch-latency-ns=100"
                + " NVSwitch/300 packet][,buffer-bytes=B][,cable-m=1 NVLink/3]  one NVSwitch domain or one leaf";
    }

    @Override
    public FabricPlan plan(BuildParams p) {
        p.requireKnown(PARAMS);
        int gpus = p.integer("gpus", null, 1, (int) FabricLimits.MAX_GPUS);
        LinkPlan links = LinkPlan.of(p, "nvlink4");
        boolean nvlink = links.fabric().technology() == LinkTechnology.NVLINK;
        SwitchParams defaults = nvlink ? SwitchParams.nvswitch(gpus)
                : SwitchParams.packet(Math.max(gpus, LinkPlan.defaultRadix(links.fabric().rateBps())));
        SwitchParams sw = p.switchParams(defaults, "switch-latency-ns");
        if (gpus > sw.radix()) {
            throw new TopologyException("parameter 'gpus': " + gpus + " GPUs need more ports than radix "
                    + sw.radix(), p.has("radix") ? "radix" : "gpus");
        }
        double metres = p.number("cable-m", nvlink ? links.fabric().cableMetres() : 3.0, 0,
                BuildParams.MAX_CABLE_METRES);
        return new Plan(gpus, nvlink, links, sw, metres);
    }

    /** G GPUs on one switch. */
    private record Plan(int gpus, boolean nvlink, LinkPlan links, SwitchParams sw, double metres)
            implements FabricPlan {

        @Override
        public FabricCost cost() {
            // the only switch has no switch neighbours: the router needs no table
            return new FabricCost(gpus, 1, gpus, sw.radix(), 0);
        }

        @Override
        public List<String> sizeParameters() {
            return List.of("gpus");
        }

        @Override
        public Topology build(String spec) {
            Topology.Builder b = new Topology.Builder(spec);
            for (int g = 0; g < gpus; g++) {
                b.addGpu("gpu" + g, -1);
            }
            int s = b.addSwitch(nvlink ? "nvswitch0" : "leaf0", 1, nvlink ? "nvswitch" : "leaf", sw);
            for (int g = 0; g < gpus; g++) {
                b.connect(g, s, links.nicEnd(), links.fabric(), metres, 1);
            }
            return b.build();
        }
    }
}

package io.collemu.topology.build;

import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.TopologyException;

/**
 * Which link end goes where in a built fabric, from the {@code link=} and {@code nic-link=} parameters.
 *
 * <p>A NIC cannot hold co-packaged optics, so a GPU-to-switch cable of a CPO fabric is hybrid: the NIC end is the
 * DSP pluggable of the same rate (cpo-1.6t switch end + pluggable-dsp-1.6t NIC end) and the switch end is the
 * CPO port; each end keeps its own latency and power. Switch-to-switch cables are CPO at both ends.
 * {@code nic-link=<model>} overrides the NIC end for any fabric. Immutable value.
 *
 * @param fabric    the end used at switches (and at both ends of switch-to-switch cables)
 * @param nicEnd    the end at a GPU's NIC
 */
record LinkPlan(LinkModel fabric, LinkModel nicEnd) {

    static LinkPlan of(BuildParams p, String defaultLink) {
        LinkModel fabric = p.link("link", defaultLink);
        if (p.has("nic-link")) {
            return new LinkPlan(fabric, p.link("nic-link", null));
        }
        if (fabric.technology() == LinkTechnology.CPO) {
            LinkModel dsp = p.catalog().dspPluggableOfRate(fabric.rateBps());
            if (dsp == null) {
                throw new TopologyException("parameter 'link': no DSP pluggable model of " + fabric.rateBps() / 1e9
                        + " Gb/s for the NIC end of CPO model '" + fabric.name() + "'; set nic-link=<model>", "link");
            }
            return new LinkPlan(fabric, dsp);
        }
        return new LinkPlan(fabric, fabric);
    }

    /**
     * Default switch radix for a port rate, "honest" Broadcom/NVIDIA 2024-2025 class figures: 64 ports up to
     * 1.6T (Quantum-2 64 x 400G, Tomahawk 5 64 x 800G, Tomahawk 6 64 x 1.6T), 32 beyond (102.4T / 3.2T).
     * Quantum-X800 (144 x 800G) class switches need {@code radix=144}.
     */
    static int defaultRadix(long rateBps) {
        return rateBps > 1_600_000_000_000L ? 32 : 64;
    }
}

package io.collemu.node.engine;

import io.collemu.node.lp.Fabric;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;

/**
 * Per-LP lookahead: the smallest delay of any message that can reach each LP, from the topology. A GPU hears
 * deliveries and credits over its own links; a switch port hears arrivals from every link into its switch (link
 * latency plus the switch's port-to-port latency) and credits over its own link. The global lookahead (the
 * window length) is the smallest of them.
 */
public final class Horizons {
    private Horizons() {
    }

    /** Per LP id, the smallest delay of a message it can receive; Long.MAX_VALUE / 4 if none can. */
    public static long[] inboundLookaheadPs(Fabric fabric) {
        Topology t = fabric.topology();
        long none = Long.MAX_VALUE / 4;
        long[] out = new long[fabric.lpCount()];
        java.util.Arrays.fill(out, none);
        // smallest latency of a link into each node
        long[] minInto = new long[t.nodeCount()];
        java.util.Arrays.fill(minInto, none);
        for (int p = 0; p < t.portCount(); p++) {
            int peer = t.portPeer(p);
            minInto[peer] = Math.min(minInto[peer], t.portLinkLatencyPs(p));
        }
        for (int p = 0; p < t.portCount(); p++) {
            int owner = t.portOwner(p);
            int peer = t.portPeer(p);
            int lp = fabric.lpOfPort(p);
            if (t.nodeKind(owner) == NodeKind.GPU) {
                // a GPU: deliveries over links into it, credits back over the reverse of its egress links
                out[lp] = Math.min(out[lp], minInto[owner]);
                if (t.nodeKind(peer) == NodeKind.SWITCH) {
                    out[lp] = Math.min(out[lp], fabric.creditDelayPs(p));
                }
            } else {
                long arrivals = minInto[owner] == none ? none : minInto[owner] + t.switchLatencyPs(owner);
                long credits = t.nodeKind(peer) == NodeKind.SWITCH ? fabric.creditDelayPs(p) : none;
                out[lp] = Math.min(out[lp], Math.min(arrivals, credits));
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(1, Math.min(out[i], none));
        }
        return out;
    }
}

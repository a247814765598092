package io.collemu.node.engine;

import io.collemu.node.lp.Fabric;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which LPs share an actor in the actor engine. An actor hosting several LPs runs them as a small sequential engine
 * (events in (time, destination LP, source LP, source sequence) order), so messages between them never cross
 * actors and the window is bounded only by the delays of messages between groups.
 * <ul>
 *   <li>{@link Mode#LP}: one actor per LP.</li>
 *   <li>{@link Mode#SERVER}: a server's GPUs with their NVSwitch ports in one actor (the 25 ns NVLink hops stay
 *       inside); every other switch port alone.</li>
 *   <li>{@link Mode#SWITCH}: as SERVER, and every other switch's egress ports in one actor per switch.</li>
 * </ul>
 */
public final class Grouping {
    /** How LPs are grouped into actors. */
    public enum Mode {
        LP, SERVER, SWITCH;

        public static Mode fromName(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final int[] groupOf;
    private final int[][] members;

    private Grouping(int[] groupOf, int groups) {
        this.groupOf = groupOf;
        int[] count = new int[groups];
        for (int g : groupOf) {
            count[g]++;
        }
        members = new int[groups][];
        for (int g = 0; g < groups; g++) {
            members[g] = new int[count[g]];
        }
        int[] fill = new int[groups];
        for (int lp = 0; lp < groupOf.length; lp++) {
            members[groupOf[lp]][fill[groupOf[lp]]++] = lp;
        }
    }

    public static Grouping of(Fabric fabric, Mode mode) {
        Topology t = fabric.topology();
        int n = fabric.lpCount();
        int[] groupOf = new int[n];
        if (mode == Mode.LP) {
            for (int i = 0; i < n; i++) {
                groupOf[i] = i;
            }
            return new Grouping(groupOf, n);
        }
        // key per LP: a server (GPUs and NVSwitch ports), a switch (SWITCH mode), or the LP itself
        long[] key = new long[n];
        for (int g = 0; g < fabric.gpuCount(); g++) {
            int s = t.serverOfGpu(g);
            key[g] = s >= 0 ? ((long) 1 << 40) | s : ((long) 3 << 40) | g;
        }
        for (int lp = fabric.gpuCount(); lp < n; lp++) {
            int owner = t.portOwner(fabric.portOfSwitchLp(lp));
            int server = "nvswitch".equals(t.tierName(owner)) ? serverOfSwitch(t, owner) : -1;
            if (server >= 0) {
                key[lp] = ((long) 1 << 40) | server;
            } else if (mode == Mode.SWITCH) {
                key[lp] = ((long) 2 << 40) | owner;
            } else {
                key[lp] = ((long) 3 << 40) | lp + (1L << 32);
            }
        }
        // dense group ids in order of first appearance (deterministic)
        long[] sorted = key.clone();
        Arrays.sort(sorted);
        int groups = 0;
        long[] distinct = new long[n];
        for (int i = 0; i < n; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                distinct[groups++] = sorted[i];
            }
        }
        long[] d = Arrays.copyOf(distinct, groups);
        for (int lp = 0; lp < n; lp++) {
            groupOf[lp] = Arrays.binarySearch(d, key[lp]);
        }
        return new Grouping(groupOf, groups);
    }

    private static int serverOfSwitch(Topology t, int sw) {
        for (int i = 0; i < t.portCountOf(sw); i++) {
            int peer = t.portPeer(t.portOf(sw, i));
            if (t.nodeKind(peer) == NodeKind.GPU) {
                int s = t.serverOfGpu(t.gpuOfNode(peer));
                if (s >= 0) {
                    return s;
                }
            }
        }
        return -1;
    }

    public int groupCount() {
        return members.length;
    }

    public int groupOf(int lp) {
        return groupOf[lp];
    }

    public int[] groupOfArray() {
        return groupOf;
    }

    /** The LPs of group g, in increasing id order. */
    public int[] members(int g) {
        return members[g];
    }

    /**
     * Per LP, the smallest delay of any message that can reach it: a GPU hears deliveries and credits over its
     * own links; a switch port hears arrivals from every link into its switch (link latency plus the switch's
     * port-to-port latency) and credits over its own link. Every LP send is checked against it.
     */
    public static long[] lpInboundLookaheadPs(Fabric fabric) {
        return of(fabric, Mode.LP).inboundLookaheadPs(fabric);
    }

    /** Per group, the smallest delay of a message from an LP outside the group to an LP inside it. */
    public long[] inboundLookaheadPs(Fabric fabric) {
        Topology t = fabric.topology();
        long none = Long.MAX_VALUE / 4;
        long[] out = new long[groupCount()];
        Arrays.fill(out, none);
        for (int p = 0; p < t.portCount(); p++) {
            int tx = fabric.lpOfPort(p);
            int peer = t.portPeer(p);
            long lat = t.portLinkLatencyPs(p);
            if (t.nodeKind(peer) == NodeKind.GPU) {
                int rx = t.gpuOfNode(peer);
                note(out, tx, rx, lat);
            } else {
                long arrival = lat + t.switchLatencyPs(peer);
                long credit = fabric.creditDelayPs(p);
                for (int i = 0; i < t.portCountOf(peer); i++) {
                    int rxLp = fabric.lpOfPort(t.portOf(peer, i));
                    note(out, tx, rxLp, arrival);       // segments from tx into the peer switch's ports
                    note(out, rxLp, tx, credit);        // credits from those ports back to tx
                }
            }
        }
        for (int g = 0; g < out.length; g++) {
            out[g] = Math.max(1, out[g]); // a group nothing can reach keeps the "none" value
        }
        return out;
    }

    private void note(long[] out, int fromLp, int toLp, long delay) {
        int gTo = groupOf[toLp];
        if (groupOf[fromLp] != gTo && delay < out[gTo]) {
            out[gTo] = delay;
        }
    }
}

package io.collemu.node.actor;

import io.collemu.node.lp.Fabric;
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
 * Immutable; shared read-only.
 */
public final class Grouping {
    /** How LPs are grouped into actors. */
    public enum Mode {
        LP, SERVER, SWITCH;

        /** The mode named {@code s} (case-insensitive), e.g. "switch". */
        public static Mode fromName(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }

        /** The name the command line uses. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int[] groupOf;
    private final int[][] members;
    private final int[] localIndexOf;

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
        localIndexOf = new int[groupOf.length];
        for (int lp = 0; lp < groupOf.length; lp++) {
            int g = groupOf[lp];
            localIndexOf[lp] = fill[g];
            members[g][fill[g]++] = lp;
        }
    }

    /** A grouping given LP by LP: {@code groupOf[lp]} is LP lp's group; ids must be dense from 0. */
    public static Grouping ofGroups(int[] groupOf) {
        int groups = 0;
        for (int g : groupOf) {
            groups = Math.max(groups, g + 1);
        }
        return new Grouping(groupOf.clone(), groups);
    }

    /** The grouping of a fabric's LPs in {@code mode}; group ids are dense and deterministic. */
    public static Grouping of(Fabric fabric, Mode mode) {
        int n = fabric.lpCount();
        int[] groupOf = new int[n];
        if (mode == Mode.LP) {
            for (int i = 0; i < n; i++) {
                groupOf[i] = i;
            }
            return new Grouping(groupOf, n);
        }
        // key per LP: its server (GPUs and NVSwitch ports), its switch (SWITCH mode), or the LP itself
        Topology t = fabric.topology();
        long[] key = new long[n];
        for (int lp = 0; lp < n; lp++) {
            int server = fabric.serverOfLp(lp);
            if (server >= 0) {
                key[lp] = ((long) 1 << 40) | server;
            } else if (fabric.isGpuLp(lp)) {
                key[lp] = ((long) 3 << 40) | lp;
            } else if (mode == Mode.SWITCH) {
                key[lp] = ((long) 2 << 40) | t.portOwner(fabric.portOfSwitchLp(lp));
            } else {
                key[lp] = ((long) 3 << 40) | lp + (1L << 32);
            }
        }
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

    /** Groups (actors). */
    public int groupCount() {
        return members.length;
    }

    /** The group of LP {@code lp}. */
    public int groupOf(int lp) {
        return groupOf[lp];
    }

    /** Per LP id, its group. Shared: do not modify. */
    public int[] groupOfArray() {
        return groupOf;
    }

    /** Per LP id, its index within its group. Shared: do not modify. */
    public int[] localIndexOfArray() {
        return localIndexOf;
    }

    /** The LPs of group g, in increasing id order. Shared: do not modify. */
    public int[] members(int g) {
        return members[g];
    }

    /** Per group, the smallest delay of a message from an LP outside the group to an LP inside it. */
    public long[] inboundLookaheadPs(Fabric fabric) {
        long none = Long.MAX_VALUE / 4;
        long[] out = new long[groupCount()];
        Arrays.fill(out, none);
        fabric.forEachChannel((from, to, delay, port) -> {
            int gTo = groupOf[to];
            if (groupOf[from] != gTo && delay < out[gTo]) {
                out[gTo] = delay;
            }
        });
        for (int g = 0; g < out.length; g++) {
            out[g] = Math.max(1, out[g]); // a group nothing can reach keeps the "none" value
        }
        return out;
    }
}

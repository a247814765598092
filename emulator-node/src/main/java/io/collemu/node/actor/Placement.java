package io.collemu.node.actor;

/**
 * Where the actors of one run live: how LPs are grouped into actors, which member hosts each group, and which
 * member this is. Immutable; shared read-only by a member's clock and actors.
 *
 * @param groupMember per group, the member hosting it (all 0 in one JVM)
 * @param member      this member's index
 */
public record Placement(Grouping grouping, int[] groupMember, int member) {

    /** Every group on one member. */
    public static Placement single(Grouping grouping) {
        return new Placement(grouping, new int[grouping.groupCount()], 0);
    }

    /** Whether group {@code g} is hosted by this member. */
    public boolean isLocal(int g) {
        return groupMember[g] == member;
    }

    /** The groups this member hosts, in increasing order. */
    public int[] localGroups() {
        int n = 0;
        for (int m : groupMember) {
            if (m == member) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int g = 0; g < groupMember.length; g++) {
            if (groupMember[g] == member) {
                out[k++] = g;
            }
        }
        return out;
    }
}

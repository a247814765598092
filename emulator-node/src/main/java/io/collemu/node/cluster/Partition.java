package io.collemu.node.cluster;

import io.collemu.node.actor.Grouping;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.WorkEstimate;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import java.util.Arrays;

/**
 * Which member hosts each LP. A server's GPUs stay together with their NVSwitch ports and the leaf ports that face
 * them (most traffic stays inside a member); the other switch ports (uplinks, spines, cores) are spread round-robin
 * per tier. The cross-member lookahead is the smallest delay of a message between LPs on different members
 * ({@link Fabric#forEachChannel}: a link and the next switch for an arrival, the reverse link for a credit, each
 * with the shortest serialization of the workload's smallest segment when the fabric is bounded by it).
 *
 * <p>With the balanced grouping (groups already cut by estimated work, in locality order: see
 * {@link Grouping.Mode#BALANCED}) member m takes the m-th run of {@code groups / members} consecutive groups, so
 * members get equal estimated work and about equal GPUs, and the cuts fall between pods or rail groups, on the
 * spine and core links.
 *
 * @param cutLinks       one-way links whose transmitter and receiver are on different members
 * @param lpsPerMember   LPs hosted by each member
 * @param workPerMember  estimated work of each member (segments handled, {@link WorkEstimate}), or null
 * @param minSegmentProtocolBytes the segment bound the lookahead counts on ({@link Fabric#withMinSegment}; 0: none)
 */
public record Partition(int members, int[] lpMember, int[] groupMember, long crossLookaheadPs, int cutLinks,
        int[] lpsPerMember, long[] workPerMember, long minSegmentProtocolBytes) {

    /**
     * A partition that keeps every group of {@code grouping} on one member: consecutive runs of groups for the
     * balanced grouping, else the member of the group's first LP in {@link #of(Fabric, int)}.
     *
     * @param workPerLp the estimated work per LP, for the balance figures (null: not reported)
     */
    public static Partition of(Fabric fabric, int members, Grouping grouping, Grouping.Mode mode, long[] workPerLp) {
        int[] groupMember = new int[grouping.groupCount()];
        int[] lpMember = new int[fabric.lpCount()];
        int[] chosen = grouping.groupMember();
        Partition byLp = chosen != null ? null : of(fabric, members);
        for (int g = 0; g < groupMember.length; g++) {
            groupMember[g] = chosen != null ? chosen[g] : byLp.lpMember()[grouping.members(g)[0]];
            for (int lp : grouping.members(g)) {
                lpMember[lp] = groupMember[g];
            }
        }
        Partition p = measure(fabric, members, lpMember);
        long[] work = null;
        if (workPerLp != null) {
            work = new long[members];
            for (int lp = 0; lp < lpMember.length; lp++) {
                work[lpMember[lp]] += workPerLp[lp];
            }
        }
        return new Partition(members, lpMember, groupMember, p.crossLookaheadPs(), p.cutLinks(), p.lpsPerMember(),
                work, p.minSegmentProtocolBytes());
    }

    /** A partition by LP: servers together, other switch ports round-robin per tier. */
    public static Partition of(Fabric fabric, int members) {
        Topology t = fabric.topology();
        int n = fabric.lpCount();
        int[] lpMember = new int[n];
        if (members > 1) {
            int gpus = fabric.gpuCount();
            int servers = 0;
            for (int g = 0; g < gpus; g++) {
                servers = Math.max(servers, group(t, g) + 1);
            }
            for (int g = 0; g < gpus; g++) {
                lpMember[g] = memberOfGroup(group(t, g), servers, members);
            }
            int[] perTier = new int[8];
            for (int lp = gpus; lp < n; lp++) {
                int owner = fabric.nodeOfLp(lp);
                int serverGpu = gpuBehind(fabric, lp);
                if (serverGpu >= 0) {
                    lpMember[lp] = lpMember[serverGpu];
                } else {
                    int tier = Math.min(7, t.tier(owner));
                    lpMember[lp] = perTier[tier]++ % members;
                }
            }
        }
        return measure(fabric, members, lpMember);
    }

    /** LPs per member, the links that cross members, and the cross-member lookahead of an assignment. */
    static Partition measure(Fabric fabric, int members, int[] lpMember) {
        Topology t = fabric.topology();
        int[] per = new int[members];
        for (int m : lpMember) {
            per[m]++;
        }
        int cut = 0;
        for (int p = 0; p < t.portCount(); p++) {
            int tx = fabric.lpOfPort(p);
            int peer = t.portPeer(p);
            boolean crosses;
            if (t.nodeKind(peer) == NodeKind.GPU) {
                crosses = lpMember[t.gpuOfNode(peer)] != lpMember[tx];
            } else {
                crosses = false;
                for (int i = 0; i < t.portCountOf(peer); i++) {
                    if (lpMember[fabric.lpOfPort(t.portOf(peer, i))] != lpMember[tx]) {
                        crosses = true;
                        break;
                    }
                }
            }
            if (crosses) {
                cut++;
            }
        }
        long[] cross = {Long.MAX_VALUE / 4};
        fabric.forEachChannel((from, to, delay, port) -> {
            if (lpMember[from] != lpMember[to] && delay < cross[0]) {
                cross[0] = delay;
            }
        });
        return new Partition(members, lpMember, lpMember, Math.max(1, cross[0]), cut, per, null,
                fabric.minSegmentProtocolBytes());
    }

    /** The server of a GPU, or the GPU itself as its own group. */
    private static int group(Topology t, int gpu) {
        int s = t.serverOfGpu(gpu);
        return s >= 0 ? s : gpu;
    }

    private static int memberOfGroup(int group, int groups, int members) {
        return (int) ((long) group * members / Math.max(1, groups));
    }

    /** For a switch port: a GPU whose server it belongs with (an NVSwitch port, or a port facing a GPU), or -1. */
    private static int gpuBehind(Fabric fabric, int lp) {
        Topology t = fabric.topology();
        int peer = t.portPeer(fabric.portOfSwitchLp(lp));
        if (t.nodeKind(peer) == NodeKind.GPU) {
            return t.gpuOfNode(peer);
        }
        int server = fabric.serverOfLp(lp);
        if (server >= 0) {
            int owner = fabric.nodeOfLp(lp);
            for (int i = 0; i < t.portCountOf(owner); i++) {
                int p = t.portPeer(t.portOf(owner, i));
                if (t.nodeKind(p) == NodeKind.GPU) {
                    return t.gpuOfNode(p);
                }
            }
        }
        return -1;
    }

    /** Estimated work of the busiest member over the mean (1.0 = balanced), or NaN without an estimate. */
    public double imbalance() {
        if (workPerMember == null) {
            return Double.NaN;
        }
        long max = 0;
        long sum = 0;
        for (long w : workPerMember) {
            max = Math.max(max, w);
            sum += w;
        }
        return sum == 0 ? 1.0 : max * (double) members / sum;
    }

    /** One line: LPs and estimated work per member, the imbalance, the cut, and the cross-member lookahead. */
    public String describe() {
        String work = workPerMember == null ? "" : String.format(java.util.Locale.ROOT,
                ", estimated work (segment-hops) per member %s, imbalance %.3f", Arrays.toString(workPerMember),
                imbalance());
        String bound = minSegmentProtocolBytes == 0 ? "" : " (links and switches, plus a " + minSegmentProtocolBytes
                + "-byte segment's serialization: the smallest the workload sends)";
        return members + " members, LPs per member " + Arrays.toString(lpsPerMember) + work + ", " + cutLinks
                + " links cross members, cross-member lookahead " + crossLookaheadPs / 1000.0 + " ns" + bound;
    }
}

package io.collemu.node.actor;

import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.Model;
import io.collemu.node.lp.WorkEstimate;
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
 *   <li>{@link Mode#BALANCED}: the SWITCH groups joined, in id order (servers, then switches as the builders number
 *       them: pod by pod), into as many actors as the engine has threads, each with about the same share of egress
 *       ports. Each actor then runs a large sequential loop (a radix-heap queue) and a window costs two activations
 *       instead of thousands: on 2 cores the fastest mode measured (see the README's benchmark table).</li>
 * </ul>
 * Immutable; shared read-only.
 */
public final class Grouping {
    /** How LPs are grouped into actors. */
    public enum Mode {
        LP, SERVER, SWITCH, BALANCED;

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
    /** BALANCED only: the member of each group (null otherwise). */
    private final int[] groupMember;

    private Grouping(int[] groupOf, int groups) {
        this(groupOf, groups, null);
    }

    private Grouping(int[] groupOf, int groups, int[] groupMember) {
        this.groupOf = groupOf;
        this.groupMember = groupMember;
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

    /** The grouping of a fabric's LPs in {@code mode} other than BALANCED; group ids are dense and deterministic. */
    public static Grouping of(Fabric fabric, Mode mode) {
        if (mode == Mode.BALANCED) {
            throw new IllegalArgumentException("a balanced grouping needs the work per LP");
        }
        return of(fabric, mode, 1, null);
    }

    /**
     * Below this much estimated work (segment-hops, {@link WorkEstimate}) a balanced grouping in one JVM is one
     * group: a window then costs no thread hand-off. Measured on 2 cores (`collemu bench`): a hand-off costs about
     * 100 us a window, so the default scenario (520 k segment-hops, 6,102 windows) ran at 0.38x the sequential
     * engine on two groups, while pkt-ar128 (22 M segment-hops) ran at 1.33x; 2 M is where the saving of a
     * second thread (half the work, about 0.2 s at 5 M segment-hops/s) meets the hand-offs of a typical run.
     */
    static final long MIN_PARALLEL_WORK = 2_000_000;

    /**
     * The grouping of a model's LPs into {@code actors} groups (one when the estimated work is below
     * {@link #MIN_PARALLEL_WORK}) or, other than BALANCED, as the mode says.
     */
    public static Grouping of(Model model, Mode mode, int actors) {
        return of(model, mode, actors, false);
    }

    /** As {@link #of(Model, Mode, int)}; {@code alwaysParallel} makes {@code actors} groups however small the run. */
    public static Grouping of(Model model, Mode mode, int actors, boolean alwaysParallel) {
        if (mode != Mode.BALANCED) {
            return of(model.fabric(), mode, actors, null);
        }
        long[] work = WorkEstimate.perLp(model);
        long total = 0;
        for (long w : work) {
            total += w;
        }
        Fabric fabric = model.fabric();
        boolean parallel = actors > 1 && (alwaysParallel || total >= MIN_PARALLEL_WORK
                && eventsPerWindow(fabric, work, total, model.options().segmentBytes()) >= MIN_EVENTS_PER_WINDOW);
        return of(fabric, mode, parallel ? actors : 1, work);
    }

    /**
     * Below this many estimated events per window ({@link #eventsPerWindow}), a window's thread hand-off (about
     * 100 us on this 2-core VM) costs more than the second thread saves. Measured (estimate, then two groups' wall
     * time against one group's or the sequential engine's): the default fabric's 512 MiB all-to-all 467 (0.60x) and
     * all-reduce 1,243 (0.80x) lose; ring-ar-1024 1,939 (1.43x), pkt-ar128 2,336 (1.33x), a2a-1024 2,937 (1.20x),
     * pkt-a2a128 3,524 (1.53x) and pkt-a2a1024 32,352 (1.83x) gain. The estimate is high by up to 2x (the run lasts
     * longer than its busiest port's serialization), so the line sits between the two sets.
     */
    static final double MIN_EVENTS_PER_WINDOW = 1_500;

    /**
     * Events per window, estimated before the run: the engines handle about 2.5 events per segment-hop; the run
     * lasts at least as long as its busiest switch port needs to serialize its segments; a window lasts the
     * smallest inbound lookahead of the SWITCH groups (NVLink hops stay inside them).
     */
    static double eventsPerWindow(Fabric fabric, long[] work, long total, long segmentBytes) {
        Topology t = fabric.topology();
        double busiestPs = 0;
        for (int lp = fabric.gpuCount(); lp < work.length; lp++) {
            long rate = t.portRateBps(fabric.portOfSwitchLp(lp));
            busiestPs = Math.max(busiestPs, work[lp] * (segmentBytes * 8e12 / rate));
        }
        long lookahead = Long.MAX_VALUE;
        for (long l : of(fabric, Mode.SWITCH).inboundLookaheadPs(fabric)) {
            lookahead = Math.min(lookahead, l);
        }
        if (busiestPs <= 0 || lookahead >= Long.MAX_VALUE / 8) {
            return Double.MAX_VALUE; // nothing crosses groups: one window
        }
        return 2.5 * total * Math.min(lookahead, busiestPs) / busiestPs;
    }

    /**
     * As {@link #of(Fabric, Mode)}; {@link Mode#BALANCED} makes {@code actors} groups (at most one per SWITCH
     * group) of about equal estimated work ({@code workPerLp}, from {@link io.collemu.node.lp.WorkEstimate}).
     */
    public static Grouping of(Fabric fabric, Mode mode, int actors, long[] workPerLp) {
        return of(fabric, mode, actors, workPerLp, 1);
    }

    /**
     * As {@link #of(Fabric, Mode, int, long[])}, for {@code members} cluster members: BALANCED then also decides
     * which member hosts each group ({@link #groupMember}), {@code actors / members} groups each.
     */
    public static Grouping of(Fabric fabric, Mode mode, int actors, long[] workPerLp, int members) {
        if (mode == Mode.BALANCED) {
            return balanced(fabric, Math.max(1, actors), workPerLp, Math.max(1, members));
        }
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

    /**
     * The SWITCH groups ordered by locality (a server at its first GPU, a switch at the lowest-numbered of the GPUs
     * it reaches in the fewest hops), cut into {@code actors} runs of about equal estimated work: a GPU and its leaf
     * or edge switch land in the same actor, and so does most of a pod.
     *
     * <p>With several members, the switches nearest to every server alike (the spines of a two-tier rail-optimized
     * fabric, the cores of a fat-tree: {@link #fillerUnits}) are left out of that order: whichever member hosts one,
     * its links to most leaves cross members. The rest is cut between members first: each boundary is placed, among
     * the positions whose work lies near the ideal share of the rest ({@link #memberBounds}), where the links it cuts
     * are slowest (the largest cross-member lookahead: between pods or rail groups rather than through a server's
     * leaf), ties going to the position closest to the ideal. The spines then fill each member up to an equal share
     * of all the work. So a member's GPUs (most of its heap) stay near an equal share while its work is equal and
     * its cut falls on slow links. Each member's units (its spines first) are then cut into {@code actors /
     * members} groups of equal work.
     */
    private static Grouping balanced(Fabric fabric, int actors, long[] workPerLp, int members) {
        Grouping units = of(fabric, Mode.SWITCH);
        int u = units.groupCount();
        Topology t = fabric.topology();
        int[][] span = nearestGpuSpan(t);
        boolean[] filler = members > 1 ? fillerUnits(fabric, units, span) : new boolean[u];
        long[] weight = new long[u];
        long[] order = new long[u];
        int placed = 0;
        long fillerWork = 0;
        for (int g = 0; g < u; g++) {
            int pos = Integer.MAX_VALUE;
            for (int lp : units.members(g)) {
                weight[g] += workPerLp[lp];
                pos = Math.min(pos, span[0][fabric.nodeOfLp(lp)]);
            }
            if (filler[g]) {
                fillerWork += weight[g];
            } else {
                order[placed++] = ((long) pos << 32) | g;
            }
        }
        Arrays.sort(order, 0, placed);
        int[] unitAt = new int[placed];
        int[] posOf = new int[u];
        Arrays.fill(posOf, -1);
        long[] prefix = new long[placed + 1];
        for (int i = 0; i < placed; i++) {
            unitAt[i] = (int) order[i];
            posOf[unitAt[i]] = i;
            prefix[i + 1] = prefix[i] + weight[unitAt[i]];
        }
        int m = Math.max(1, Math.min(members, placed));
        int perMember = Math.max(1, actors / Math.max(1, members));
        int[] bounds = memberBounds(fabric, units, posOf, prefix, m, perMember, fillerWork);
        // each member's units: the spines that fill it up to an equal share of all the work, then its run
        long share = (prefix[placed] + fillerWork) / m;
        int[][] memberUnits = new int[m][];
        int nextFiller = 0;
        for (int k = 0; k < m; k++) {
            long own = prefix[bounds[k + 1]] - prefix[bounds[k]];
            int[] list = new int[u];
            int n = 0;
            while (nextFiller < u) {
                if (!filler[nextFiller]) {
                    nextFiller++;
                    continue;
                }
                if (k < m - 1 && own + weight[nextFiller] / 2 >= share) {
                    break;
                }
                own += weight[nextFiller];
                list[n++] = nextFiller++;
            }
            for (int i = bounds[k]; i < bounds[k + 1]; i++) {
                list[n++] = unitAt[i];
            }
            memberUnits[k] = Arrays.copyOf(list, n);
        }
        int[] binOf = new int[u];
        int[] binMember = new int[Math.min(actors, u)];
        int bin = 0;
        for (int k = 0; k < m; k++) {
            int[] list = memberUnits[k];
            int bins = Math.max(1, Math.min(perMember, list.length));
            long total = 0;
            for (int unit : list) {
                total += weight[unit];
            }
            int first = bin;
            long acc = 0;
            for (int i = 0; i < list.length; i++) {
                binOf[list[i]] = bin;
                binMember[bin] = k;
                acc += weight[list[i]];
                int local = bin - first;
                // move on once this bin holds its share, keeping at least one unit for every bin left
                if (local < bins - 1 && (acc * bins >= total * (local + 1L)
                        || list.length - i - 1 == bins - local - 1)) {
                    bin++;
                }
            }
            bin++;
        }
        int[] groupOf = new int[fabric.lpCount()];
        for (int lp = 0; lp < groupOf.length; lp++) {
            groupOf[lp] = binOf[units.groupOf(lp)];
        }
        return new Grouping(groupOf, bin, Arrays.copyOf(binMember, bin));
    }

    /**
     * The switch units (no GPU in them) nearest to the GPUs of every server alike, in hops: the top tier of a
     * fabric whose every top switch reaches every leaf, and the rail leaves of a fabric of one scalable unit (each
     * one GPU of every server). Wherever such a unit goes, its links to most of its peers cross members. None when
     * every unit is one.
     */
    static boolean[] fillerUnits(Fabric fabric, Grouping units, int[][] span) {
        Topology t = fabric.topology();
        int u = units.groupCount();
        long first = serverOrGpu(t, 0);
        long last = serverOrGpu(t, fabric.gpuCount() - 1);
        boolean[] filler = new boolean[u];
        int count = 0;
        for (int g = 0; g < u; g++) {
            boolean all = true;
            for (int lp : units.members(g)) {
                int node = fabric.nodeOfLp(lp);
                if (fabric.isGpuLp(lp) || span[1][node] < 0 || serverOrGpu(t, span[0][node]) != first
                        || serverOrGpu(t, span[1][node]) != last) {
                    all = false;
                    break;
                }
            }
            filler[g] = all;
            count += all ? 1 : 0;
        }
        return count == u ? new boolean[u] : filler;
    }

    /** The server of a GPU, or the GPU itself (as a negative) when it has none. */
    private static long serverOrGpu(Topology t, int gpu) {
        int s = t.serverOfGpu(gpu);
        return s >= 0 ? s : -1L - gpu;
    }

    /** How far from its ideal share of work a member boundary may move to cut slower links. */
    static final double MEMBER_SLACK = 0.05;
    /**
     * How far from its ideal share of the placed (non-filler) work a member boundary may move at most when the top
     * switches fill the difference: a member then hosts at most 1.3 times its share of the GPUs (both its
     * boundaries moved), whose state is most of its heap: 43% of them at 3 members. 0.10 was tried first: on the
     * 4,096-GPU fabric (4 pods of 4 rail groups, 3 members, ideal mode) the rail-group boundary nearest to the first
     * ideal cut lies just over 10% of a share away, so the cut fell inside a rail group, on 145 ns NIC links instead of
     * 260 ns leaf-spine links (a cross-member lookahead of 165 ns instead of 280).
     */
    static final double PLACED_SLACK = 0.15;

    /**
     * Positions (in locality order) where each member's run of placed units starts, {@code bounds[members] =
     * placed}: per boundary the position whose cut links are slowest (see {@link #balanced}), among those whose work
     * lies within a window of the ideal share of the placed work: {@link #MEMBER_SLACK} of a member's share of all
     * the work, widened by what the filler can make up (half a member's share of it), at most {@link #PLACED_SLACK}
     * of a member's share of the placed work.
     */
    private static int[] memberBounds(Fabric fabric, Grouping units, int[] posOf, long[] prefix, int members,
            int perMember, long fillerWork) {
        int u = prefix.length - 1;
        long placedWork = prefix[u];
        long total = placedWork + fillerWork;
        int[] bounds = new int[members + 1];
        bounds[members] = u;
        if (members == 1) {
            return bounds;
        }
        long slack = (long) (MEMBER_SLACK * total / members);
        if (fillerWork > 0) {
            slack = Math.min(slack + fillerWork / (2L * members), (long) (PLACED_SLACK * placedWork / members));
        }
        long[] cut = slowestCut(fabric, units, posOf, u);
        for (int b = 1; b < members; b++) {
            long ideal = placedWork * b / members;
            int lo = Math.max(Math.max(b * perMember, bounds[b - 1] + perMember), lowerBound(prefix, ideal - slack));
            int hi = Math.min(u - (members - b) * perMember, lowerBound(prefix, ideal + slack));
            if (hi < lo) {
                bounds[b] = Math.min(u - (members - b), Math.max(bounds[b - 1] + 1, lowerBound(prefix, ideal)));
                continue;
            }
            int best = lo;
            for (int i = lo + 1; i <= hi; i++) {
                if (cut[i] > cut[best] || (cut[i] == cut[best]
                        && Math.abs(prefix[i] - ideal) < Math.abs(prefix[best] - ideal))) {
                    best = i;
                }
            }
            bounds[b] = best;
        }
        return bounds;
    }

    /**
     * Per position i in locality order (a member starting at unit position i), the smallest latency of the links
     * such a boundary cuts: a link between placed units at positions a < c crosses every boundary in (a, c].
     * Links of filler units are left out (they cross members wherever the filler goes). Long.MAX_VALUE where none.
     * Links in order of latency paint the positions none has painted yet, found by path-halving pointers.
     */
    private static long[] slowestCut(Fabric fabric, Grouping units, int[] posOf, int placed) {
        Topology t = fabric.topology();
        int ports = t.portCount();
        long[] links = new long[ports];
        int n = 0;
        for (int p = 0; p < ports; p++) {
            int a = posOf[units.groupOf(fabric.lpOfPort(p))];
            int c = posOf[units.groupOf(receiverLp(fabric, p))];
            if (a < 0 || c < 0 || a == c) {
                continue;
            }
            long delay = Math.min(t.portLinkLatencyPs(p), fabric.creditDelayPs(p));
            links[n++] = Math.min(delay, Integer.MAX_VALUE) << 32 | p; // longer than 2.1 ms: alike
        }
        long[] sorted = Arrays.copyOf(links, n);
        Arrays.sort(sorted);
        long[] cut = new long[placed + 1];
        Arrays.fill(cut, Long.MAX_VALUE);
        int[] next = new int[placed + 2]; // next[i]: the first unpainted position >= i (placed + 1: none)
        for (int i = 0; i < next.length; i++) {
            next[i] = i;
        }
        for (long link : sorted) {
            int p = (int) link;
            long delay = link >>> 32;
            int a = posOf[units.groupOf(fabric.lpOfPort(p))];
            int c = posOf[units.groupOf(receiverLp(fabric, p))];
            int high = Math.max(a, c);
            for (int i = find(next, Math.min(a, c) + 1); i <= high; i = find(next, i + 1)) {
                cut[i] = delay;
                next[i] = i + 1;
            }
        }
        return cut;
    }

    /** The LP that stands for the receiving end of port p's link: the GPU, or the peer switch's first port. */
    private static int receiverLp(Fabric fabric, int p) {
        Topology t = fabric.topology();
        int peer = t.portPeer(p);
        return t.nodeKind(peer) == NodeKind.GPU ? t.gpuOfNode(peer) : fabric.lpOfPort(t.portOf(peer, 0));
    }

    private static int find(int[] next, int i) {
        while (next[i] != i) {
            next[i] = next[next[i]];
            i = next[i];
        }
        return i;
    }

    /** The first index i with prefix[i] >= x (prefix is non-decreasing). */
    private static int lowerBound(long[] prefix, long x) {
        int lo = 0;
        int hi = prefix.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (prefix[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Per node, the lowest- and highest-numbered GPU among the GPUs nearest to it (a multi-source breadth-first
     * search): {@code [0][node]} and {@code [1][node]}; {@link Integer#MAX_VALUE} and -1 for a node no GPU reaches.
     */
    static int[][] nearestGpuSpan(Topology t) {
        int n = t.nodeCount();
        int[] near = new int[n];
        int[] far = new int[n];
        Arrays.fill(near, Integer.MAX_VALUE);
        Arrays.fill(far, -1);
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        for (int g = 0; g < t.gpuCount(); g++) {
            int node = t.gpuNode(g);
            near[node] = g;
            far[node] = g;
            queue[tail++] = node;
        }
        int[] depth = new int[n];
        while (head < tail) {
            int node = queue[head++];
            for (int i = 0; i < t.portCountOf(node); i++) {
                int peer = t.portPeer(t.portOf(node, i));
                if (near[peer] == Integer.MAX_VALUE) {
                    near[peer] = near[node];
                    far[peer] = far[node];
                    depth[peer] = depth[node] + 1;
                    queue[tail++] = peer;
                } else if (depth[peer] == depth[node] + 1) {
                    near[peer] = Math.min(near[peer], near[node]);
                    far[peer] = Math.max(far[peer], far[node]);
                }
            }
        }
        return new int[][] {near, far};
    }

    /** For a BALANCED grouping, the cluster member of each group; null for the other modes. */
    public int[] groupMember() {
        return groupMember == null ? null : groupMember.clone();
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

package io.collemu.topology.route;

import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Shortest-path routing with deterministic per-hop ECMP over a {@link Topology}. Paths count hops (links) and
 * never transit a GPU: GPUs are endpoints only.
 *
 * <p><b>Tables.</b> Only switches forward, so the distance from any switch to a GPU is one more than its distance
 * to the nearest switch that GPU attaches to (its leaf, its NVSwitch). The router keeps one distance-vector
 * table per attachment switch that reaches other switches (leaf, edge) — hop counts from every switch to it, one
 * byte per switch, built by a BFS over the switch graph the first time a destination behind it is asked for.
 * Attachment switches with only GPU neighbours (a server's NVSwitch) need no table: they are at distance 1 or
 * not on the path. A switch's next hops toward a GPU are the ports whose peer is one hop closer, derived on demand
 * from these tables; nothing per GPU pair is ever materialised. A 32,768-GPU rail-optimized fabric has 6,656
 * switches and 1,024 leaves, so all tables together are ~7 MB (measured: 33 MiB heap with the topology).
 *
 * <p><b>ECMP.</b> At each hop the choice among equal-cost next hops is a function of (flowHash, hop node), so
 * consecutive hops are uncorrelated yet every run chooses the same; {@link #path} equals following
 * {@link #nextPort} hop by hop.
 *
 * <p><b>Threads.</b> Thread-safe after construction: lazily built tables are immutable arrays published through an
 * {@link AtomicReferenceArray} (two threads may race to build the same table; both results are identical and
 * either may win). Route lookups allocate nothing once the tables exist.
 */
public final class Router {
    private static final int UNREACHABLE = 0xFF;

    private final Topology t;
    private final int[] switchIndex;
    private final int[] switchNode;
    /** Per GPU (CSR): the switches it attaches to that reach other switches (leaf, edge): BFS targets. */
    private final int[] netStart;
    private final int[] netAttach;
    /** Per GPU (CSR): attached switches with only GPU neighbours (a server's NVSwitch): distance 1 or nothing. */
    private final int[] isolatedStart;
    private final int[] isolatedAttach;
    private final AtomicReferenceArray<byte[]> tables;
    private final RoutingMode mode;
    /** Per GPU, its position for destination-mod-k: attachment switch ordinal x stride + port index there. */
    private final long[] dstKey;

    public Router(Topology topology) {
        this(topology, RoutingMode.ECMP);
    }

    public Router(Topology topology, RoutingMode mode) {
        this.t = topology;
        this.mode = mode;
        int n = t.nodeCount();
        this.switchIndex = new int[n];
        int switches = 0;
        int[] nodes = new int[n];
        for (int node = 0; node < n; node++) {
            if (t.nodeKind(node) == NodeKind.SWITCH) {
                nodes[switches] = node;
                switchIndex[node] = switches++;
            } else {
                switchIndex[node] = -1;
            }
        }
        this.switchNode = Arrays.copyOf(nodes, switches);
        boolean[] reachesSwitches = switchesWithSwitchNeighbours(switches);
        int gpus = t.gpuCount();
        this.netStart = new int[gpus + 1];
        this.isolatedStart = new int[gpus + 1];
        int[] net = new int[Math.max(16, gpus)];
        int[] isolated = new int[Math.max(16, gpus)];
        int kn = 0;
        int ki = 0;
        for (int g = 0; g < gpus; g++) {
            netStart[g] = kn;
            isolatedStart[g] = ki;
            int node = t.gpuNode(g);
            for (int i = 0; i < t.portCountOf(node); i++) {
                int si = switchIndex[t.portPeer(t.portOf(node, i))];
                if (si < 0 || contains(net, netStart[g], kn, si) || contains(isolated, isolatedStart[g], ki, si)) {
                    continue;
                }
                if (reachesSwitches[si]) {
                    net = grow(net, kn);
                    net[kn++] = si;
                } else {
                    isolated = grow(isolated, ki);
                    isolated[ki++] = si;
                }
            }
        }
        netStart[gpus] = kn;
        isolatedStart[gpus] = ki;
        this.netAttach = Arrays.copyOf(net, kn);
        this.isolatedAttach = Arrays.copyOf(isolated, ki);
        this.tables = new AtomicReferenceArray<>(switches);
        this.dstKey = destinationKeys();
    }

    /**
     * Destination positions for {@link RoutingMode#DMODK}: GPUs numbered consecutively by the network switch they
     * hang off (switches in order of first appearance) and, within a switch, by port. On a k-ary fat-tree this is
     * the host index whose base-(k/2) digits D-mod-k routing reads.
     */
    private long[] destinationKeys() {
        int gpus = t.gpuCount();
        long[] keys = new long[gpus];
        int[] ordinal = new int[switchNode.length];
        Arrays.fill(ordinal, -1);
        int[] order = new int[switchNode.length];
        int next = 0;
        for (int g = 0; g < gpus; g++) {
            if (netStart[g] < netStart[g + 1]) {
                int si = netAttach[netStart[g]];
                if (ordinal[si] < 0) {
                    order[next] = si;
                    ordinal[si] = next++;
                }
            }
        }
        long base = 0;
        boolean[] seen = new boolean[gpus];
        for (int i = 0; i < next; i++) {
            int sw = switchNode[order[i]];
            for (int p = 0; p < t.portCountOf(sw); p++) {
                int peer = t.portPeer(t.portOf(sw, p));
                int g = t.gpuOfNode(peer);
                if (g >= 0 && !seen[g] && netStart[g] < netStart[g + 1] && netAttach[netStart[g]] == order[i]) {
                    seen[g] = true;
                    keys[g] = base++;
                }
            }
        }
        for (int g = 0; g < gpus; g++) {
            if (!seen[g]) {
                keys[g] = base++;
            }
        }
        return keys;
    }

    public RoutingMode mode() {
        return mode;
    }

    /**
     * Per switch index, whether it links to another switch: one pass over the ports (asking per GPU instead
     * would scan a 100,000-port switch once for each of its GPUs).
     */
    private boolean[] switchesWithSwitchNeighbours(int switches) {
        boolean[] out = new boolean[switches];
        for (int p = 0; p < t.portCount(); p++) {
            int owner = switchIndex[t.portOwner(p)];
            if (owner >= 0 && switchIndex[t.portPeer(p)] >= 0) {
                out[owner] = true;
            }
        }
        return out;
    }

    private static int[] grow(int[] a, int size) {
        return size == a.length ? Arrays.copyOf(a, size * 2) : a;
    }

    public Topology topology() {
        return t;
    }

    /**
     * The egress port at {@code node} on a shortest path to {@code dstGpu}, chosen among equal-cost next hops by
     * {@code flowHash} mixed with the node id; -1 if {@code node} is {@code dstGpu}'s node.
     *
     * @throws TopologyException if dstGpu cannot be reached from node without transiting a GPU
     */
    public int nextPort(int node, int dstGpu, long flowHash) {
        int dstNode = t.gpuNode(dstGpu);
        if (node == dstNode) {
            return -1;
        }
        byte[] only = singleTable(dstGpu);
        int dist = distance(node, dstGpu, dstNode, only);
        if (dist >= UNREACHABLE) {
            throw new TopologyException("no route from " + t.nodeName(node) + " to " + t.nodeName(dstNode));
        }
        int first = t.portOf(node, 0);
        int end = first + t.portCountOf(node);
        int count = 0;
        for (int port = first; port < end; port++) {
            if (isNextHop(t.portPeer(port), dstGpu, dstNode, dist, only)) {
                count++;
            }
        }
        int pick = count == 1 ? 0
                : mode == RoutingMode.ECMP ? pickIndex(flowHash, node, count) : dmodkIndex(node, dstGpu, count);
        for (int port = first; port < end; port++) {
            if (isNextHop(t.portPeer(port), dstGpu, dstNode, dist, only) && pick-- == 0) {
                return port;
            }
        }
        throw new IllegalStateException("inconsistent routing tables at " + t.nodeName(node));
    }

    /**
     * The equal-cost next hops at {@code node} toward {@code dstGpu}, in port order, into {@code out} (which must
     * hold {@code topology().portCountOf(node)} entries); returns how many. 0 if node is dstGpu's node.
     * {@link #nextPort} takes entry {@link #choose choose(node, dstGpu, flowHash, count)} of this list.
     *
     * @throws TopologyException if dstGpu cannot be reached from node without transiting a GPU
     */
    public int nextHops(int node, int dstGpu, int[] out) {
        int dstNode = t.gpuNode(dstGpu);
        if (node == dstNode) {
            return 0;
        }
        byte[] only = singleTable(dstGpu);
        int dist = distance(node, dstGpu, dstNode, only);
        if (dist >= UNREACHABLE) {
            throw new TopologyException("no route from " + t.nodeName(node) + " to " + t.nodeName(dstNode));
        }
        int first = t.portOf(node, 0);
        int end = first + t.portCountOf(node);
        int count = 0;
        for (int port = first; port < end; port++) {
            if (isNextHop(t.portPeer(port), dstGpu, dstNode, dist, only)) {
                out[count++] = port;
            }
        }
        return count;
    }

    /**
     * Which of {@code count} next hops (in the order of {@link #nextHops}) a flow takes at {@code node}: by ECMP hash
     * or destination-mod-k, as the router's mode says. A fabric with failed links calls it with the surviving hops'
     * count, as a switch whose ECMP group lost members rehashes over the rest.
     */
    public int choose(int node, int dstGpu, long flowHash, int count) {
        if (count <= 1) {
            return 0;
        }
        return mode == RoutingMode.ECMP ? pickIndex(flowHash, node, count) : dmodkIndex(node, dstGpu, count);
    }

    /** Fills {@code portsOut} with the egress ports from srcGpu to dstGpu for this flow; returns the hop count. */
    public int path(int srcGpu, int dstGpu, long flowId, int[] portsOut) {
        long hash = flowHash(srcGpu, dstGpu, flowId);
        int dstNode = t.gpuNode(dstGpu);
        int node = t.gpuNode(srcGpu);
        int hops = 0;
        while (node != dstNode) {
            int port = nextPort(node, dstGpu, hash);
            portsOut[hops++] = port;
            node = t.portPeer(port);
        }
        return hops;
    }

    /** Number of hops (links) on a shortest path from srcGpu to dstGpu; 0 when they are the same GPU. */
    public int hops(int srcGpu, int dstGpu) {
        int d = distance(t.gpuNode(srcGpu), dstGpu, t.gpuNode(dstGpu), singleTable(dstGpu));
        if (d >= UNREACHABLE) {
            throw new TopologyException("no route from " + t.nodeName(t.gpuNode(srcGpu)) + " to "
                    + t.nodeName(t.gpuNode(dstGpu)));
        }
        return d;
    }

    /** Deterministic, well-mixed hash of a flow (splitmix64 finaliser applied twice). */
    public static long flowHash(int srcGpu, int dstGpu, long flowId) {
        return mix(mix(((long) srcGpu << 32) | (dstGpu & 0xFFFF_FFFFL)) ^ flowId);
    }

    /** Index in [0, count) from the flow hash and the hop node, uncorrelated between hops. */
    static int pickIndex(long flowHash, int node, int count) {
        long h = mix(flowHash ^ (node * 0xD6E8_FEB8_6659_FD93L));
        return (int) (((h >>> 32) * count) >>> 32);
    }

    /** Destination-mod-k: the digit of the destination's position that this tier decides. */
    private int dmodkIndex(int node, int dstGpu, int count) {
        long k = dstKey[dstGpu];
        for (int level = Math.max(0, t.tier(node) - 1); level > 0; level--) {
            k /= count;
        }
        return (int) (k % count);
    }

    static long mix(long z) {
        z += 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** The one BFS table of a GPU with a single network attachment (the common case), else null. */
    private byte[] singleTable(int dstGpu) {
        int from = netStart[dstGpu];
        return netStart[dstGpu + 1] - from == 1 ? table(netAttach[from]) : null;
    }

    private boolean isNextHop(int peer, int dstGpu, int dstNode, int dist, byte[] only) {
        if (peer == dstNode) {
            return dist == 1;
        }
        int si = switchIndex[peer];
        return si >= 0 && switchDistance(si, dstGpu, only) == dist - 1;
    }

    /** Hops from node to the destination GPU, UNREACHABLE or more if there is no GPU-free path. */
    private int distance(int node, int dstGpu, int dstNode, byte[] only) {
        if (node == dstNode) {
            return 0;
        }
        int si = switchIndex[node];
        if (si >= 0) {
            return switchDistance(si, dstGpu, only);
        }
        int best = UNREACHABLE;
        for (int i = 0; i < t.portCountOf(node); i++) {
            int peer = t.portPeer(t.portOf(node, i));
            if (peer == dstNode) {
                return 1;
            }
            int ps = switchIndex[peer];
            if (ps >= 0) {
                best = Math.min(best, switchDistance(ps, dstGpu, only) + 1);
            }
        }
        return best;
    }

    /** Hops from a switch (by switch index) to the GPU: 1 + hops to its nearest attachment switch. */
    private int switchDistance(int si, int dstGpu, byte[] only) {
        int best = UNREACHABLE;
        for (int a = isolatedStart[dstGpu]; a < isolatedStart[dstGpu + 1]; a++) {
            if (isolatedAttach[a] == si) {
                return 1;
            }
        }
        if (only != null) {
            return (only[si] & 0xFF) + 1;
        }
        for (int a = netStart[dstGpu]; a < netStart[dstGpu + 1]; a++) {
            best = Math.min(best, (table(netAttach[a])[si] & 0xFF) + 1);
        }
        return best;
    }

    private byte[] table(int targetSwitch) {
        byte[] tab = tables.get(targetSwitch);
        if (tab == null) {
            tab = bfs(targetSwitch);
            tables.compareAndSet(targetSwitch, null, tab);
        }
        return tab;
    }

    /** Hops from every switch to the target switch over switch-to-switch links (cables are two-way). */
    private byte[] bfs(int targetSwitch) {
        int switches = tables.length();
        byte[] dist = new byte[switches];
        Arrays.fill(dist, (byte) UNREACHABLE);
        int[] queue = new int[switches];
        int head = 0;
        int tail = 0;
        queue[tail++] = targetSwitch;
        dist[targetSwitch] = 0;
        while (head < tail) {
            int s = queue[head++];
            int d = dist[s] & 0xFF;
            if (d + 1 >= UNREACHABLE - 1) {
                throw new TopologyException("switch graph diameter exceeds " + (UNREACHABLE - 2) + " hops");
            }
            int node = switchNode[s];
            for (int i = 0; i < t.portCountOf(node); i++) {
                int ps = switchIndex[t.portPeer(t.portOf(node, i))];
                if (ps >= 0 && (dist[ps] & 0xFF) == UNREACHABLE) {
                    dist[ps] = (byte) (d + 1);
                    queue[tail++] = ps;
                }
            }
        }
        return dist;
    }

    private static boolean contains(int[] a, int from, int to, int v) {
        for (int i = from; i < to; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }
}

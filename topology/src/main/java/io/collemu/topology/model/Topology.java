package io.collemu.topology.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, array-backed fabric: nodes (GPUs and switches) and their EGRESS ports. Every cable is two
 * one-way links, each the egress port of one end; {@link #portReverse(int)} pairs them.
 *
 * <pre>
 *   node a --[port p: near end = a's module]--> node b      portPeer(p) = b, portOwner(p) = a
 *   node a <--[port q = portReverse(p)]-------- node b      portNearEnd(q) = portFarEnd(p)
 * </pre>
 *
 * Node ids are 0..nodeCount-1 and GPUs come first in the order they were added (so GPU g is usually node g, but
 * callers use {@link #gpuNode(int)}); port ids are 0..portCount-1 and the ports of one node are contiguous
 * ({@link #portOf(int, int)}). Tiers: 0 = GPU, 1 = NVSwitch/leaf/edge, 2 = spine/aggregation, 3 = core.
 *
 * <p>Units: rates in bits per second (one way), latencies in picoseconds, buffers in bytes, cable in metres.
 * Thread-safe: immutable after {@link Builder#build()}; the accessors allocate nothing.
 */
public final class Topology {
    private final String spec;
    private final NodeKind[] kinds;
    private final String[] names;
    private final byte[] tiers;
    private final String[] tierNames;
    private final int[] gpuNodes;
    private final int[] gpuOfNode;
    private final int[] serverOfGpu;
    private final int gpusPerServer;
    private final int[] portStart;
    private final int[] portOwner;
    private final int[] portPeer;
    private final int[] portReverse;
    private final long[] portRateBps;
    private final long[] portLatencyPs;
    private final LinkModel[] nearEnd;
    private final LinkModel[] farEnd;
    private final double[] cableMetres;
    private final int[] radix;
    private final long[] switchLatencyPs;
    private final long[] bufferBytes;
    private final long minLinkLatencyPs;
    private final Map<String, Integer> nodeByName;

    private Topology(Builder b) {
        if (b.gpuNodes.isEmpty()) {
            throw new TopologyException("a fabric needs at least one GPU", "nodes");
        }
        int n = b.names.size();
        this.spec = b.spec;
        this.kinds = b.kinds.toArray(new NodeKind[0]);
        this.names = b.names.toArray(new String[0]);
        this.tiers = new byte[n];
        this.tierNames = new String[n];
        this.radix = new int[n];
        this.switchLatencyPs = new long[n];
        this.bufferBytes = new long[n];
        this.gpuOfNode = new int[n];
        Arrays.fill(gpuOfNode, -1);
        this.gpuNodes = b.gpuNodes.stream().mapToInt(Integer::intValue).toArray();
        this.serverOfGpu = new int[gpuNodes.length];
        for (int g = 0; g < gpuNodes.length; g++) {
            gpuOfNode[gpuNodes[g]] = g;
            serverOfGpu[g] = b.server.get(gpuNodes[g]);
        }
        for (int i = 0; i < n; i++) {
            tiers[i] = (byte) (int) b.tier.get(i);
            tierNames[i] = b.tierName.get(i);
        }
        this.gpusPerServer = computeGpusPerServer(serverOfGpu);

        int cables = b.cableA.size();
        int ports = 2 * cables;
        this.portStart = new int[n + 1];
        for (int c = 0; c < cables; c++) {
            portStart[b.cableA.get(c) + 1]++;
            portStart[b.cableB.get(c) + 1]++;
        }
        for (int i = 0; i < n; i++) {
            portStart[i + 1] += portStart[i];
        }
        int[] next = Arrays.copyOf(portStart, n);
        this.portOwner = new int[ports];
        this.portPeer = new int[ports];
        this.portReverse = new int[ports];
        this.portRateBps = new long[ports];
        this.portLatencyPs = new long[ports];
        this.nearEnd = new LinkModel[ports];
        this.farEnd = new LinkModel[ports];
        this.cableMetres = new double[ports];
        long minLatency = Long.MAX_VALUE;
        for (int c = 0; c < cables; c++) {
            int a = b.cableA.get(c);
            int z = b.cableB.get(c);
            LinkModel ma = b.models.get(b.cableModelA.get(c));
            LinkModel mz = b.models.get(b.cableModelB.get(c));
            double metres = b.cableMetres.get(c);
            int pa = next[a]++;
            int pz = next[z]++;
            long latency = linkLatencyPs(ma, mz, metres);
            if (latency <= 0) {
                throw new TopologyException(zeroLatency(b.names.get(a), b.names.get(z)), "latency");
            }
            long rate = Math.min(ma.rateBps(), mz.rateBps());
            fillPort(pa, a, z, pz, ma, mz, metres, rate, latency);
            fillPort(pz, z, a, pa, mz, ma, metres, rate, latency);
            minLatency = Math.min(minLatency, latency);
        }
        this.minLinkLatencyPs = cables == 0 ? 0 : minLatency;
        for (int i = 0; i < n; i++) {
            int used = portStart[i + 1] - portStart[i];
            if (kinds[i] == NodeKind.GPU) {
                radix[i] = used;
                bufferBytes[i] = Long.MAX_VALUE;
            } else {
                SwitchParams sp = b.switchParams.get(i);
                if (used > sp.radix()) {
                    throw new TopologyException("switch '" + names[i] + "' uses " + used
                            + " ports, more than its radix " + sp.radix(), "radix");
                }
                radix[i] = sp.radix();
                switchLatencyPs[i] = sp.latencyPs();
                bufferBytes[i] = sp.bufferBytes();
            }
        }
        this.nodeByName = b.nodeByName;
    }

    private void fillPort(int p, int owner, int peer, int reverse, LinkModel near, LinkModel far, double metres,
            long rate, long latency) {
        portOwner[p] = owner;
        portPeer[p] = peer;
        portReverse[p] = reverse;
        nearEnd[p] = near;
        farEnd[p] = far;
        cableMetres[p] = metres;
        portRateBps[p] = rate;
        portLatencyPs[p] = latency;
    }

    /** The message for a cable whose latency is zero: the engines need every link to take time (lookahead). */
    public static String zeroLatency(String a, String z) {
        return "the link between '" + a + "' and '" + z + "' has zero latency (PHY, FEC and propagation all 0):"
                + " every link must take some time (give a cable length or a PHY latency)";
    }

    /**
     * PHY of both ends, plus one FEC decode per link (the larger figure of the two ends: one RS decoder sits in
     * the receiving host or switch), plus propagation (the larger per-metre figure) times the cable length.
     */
    public static long linkLatencyPs(LinkModel a, LinkModel z, double metres) {
        long prop = Math.round(Math.max(a.propagationPsPerMetre(), z.propagationPsPerMetre()) * metres);
        return a.phyLatencyPs() + z.phyLatencyPs() + Math.max(a.fecLatencyPs(), z.fecLatencyPs()) + prop;
    }

    private static int computeGpusPerServer(int[] serverOfGpu) {
        Map<Integer, Integer> perServer = new HashMap<>();
        int max = 1;
        for (int s : serverOfGpu) {
            if (s >= 0) {
                max = Math.max(max, perServer.merge(s, 1, Integer::sum));
            }
        }
        return max;
    }

    /** The spec string or file this topology came from. */
    public String spec() {
        return spec;
    }

    public int nodeCount() {
        return names.length;
    }

    public NodeKind nodeKind(int node) {
        return kinds[node];
    }

    public boolean isGpu(int node) {
        return kinds[node] == NodeKind.GPU;
    }

    public String nodeName(int node) {
        return names[node];
    }

    /** The node of that name, or -1. */
    public int nodeByName(String name) {
        Integer n = nodeByName.get(name);
        return n == null ? -1 : n;
    }

    /** 0 = GPU, 1 = NVSwitch/leaf/edge, 2 = spine/aggregation, 3 = core. */
    public int tier(int node) {
        return tiers[node];
    }

    /** "gpu", "nvswitch", "leaf", "spine", "core", "edge", "aggregation" (explicit graphs may name others). */
    public String tierName(int node) {
        return tierNames[node];
    }

    public int gpuCount() {
        return gpuNodes.length;
    }

    public int gpuNode(int gpu) {
        return gpuNodes[gpu];
    }

    /** The GPU index of a node, -1 for switches. */
    public int gpuOfNode(int node) {
        return gpuOfNode[node];
    }

    /** The server of a GPU, -1 if it is not in a server. */
    public int serverOfGpu(int gpu) {
        return serverOfGpu[gpu];
    }

    /** GPUs per server (the largest server), 1 if there are no servers. */
    public int gpusPerServer() {
        return gpusPerServer;
    }

    public int portCount() {
        return portOwner.length;
    }

    public int portOwner(int port) {
        return portOwner[port];
    }

    /** The node at the far end of this egress port. */
    public int portPeer(int port) {
        return portPeer[port];
    }

    /** The peer's egress port on the same cable, back to this port's owner. */
    public int portReverse(int port) {
        return portReverse[port];
    }

    /** Line rate of the link, bits per second one way: the smaller of the two ends' rates. */
    public long portRateBps(int port) {
        return portRateBps[port];
    }

    /** PHY near end + PHY far end + FEC + propagation per metre x metres, in picoseconds. */
    public long portLinkLatencyPs(int port) {
        return portLatencyPs[port];
    }

    /** The link end at this port's owner. */
    public LinkModel portNearEnd(int port) {
        return nearEnd[port];
    }

    /** The link end at this port's peer. */
    public LinkModel portFarEnd(int port) {
        return farEnd[port];
    }

    /**
     * Payload bytes per wire byte of the cable behind {@code port}: the smaller of its ends' data efficiencies
     * (one framing protocol runs over the cable).
     */
    public double portDataEfficiency(int port) {
        return Math.min(portNearEnd(port).dataEfficiency(), portFarEnd(port).dataEfficiency());
    }

    public double portCableMetres(int port) {
        return cableMetres[port];
    }

    /** Number of egress ports of a node. */
    public int portCountOf(int node) {
        return portStart[node + 1] - portStart[node];
    }

    /** The i-th egress port of a node, 0 &lt;= i &lt; portCountOf(node). */
    public int portOf(int node, int i) {
        return portStart[node] + i;
    }

    /** Port-to-port latency of a switch in picoseconds; 0 for GPUs. */
    public long switchLatencyPs(int node) {
        return switchLatencyPs[node];
    }

    /** Buffer bytes per ingress port of a switch; Long.MAX_VALUE for GPUs (they always sink). */
    public long ingressBufferBytes(int node) {
        return bufferBytes[node];
    }

    /** The radix of a switch; for a GPU, its number of ports. */
    public int radix(int node) {
        return radix[node];
    }

    /** The smallest {@link #portLinkLatencyPs(int)} over all ports (the engine's lookahead bound). */
    public long minLinkLatencyPs() {
        return minLinkLatencyPs;
    }

    /**
     * A pair of GPUs with no path between them that avoids transiting other GPUs, or null if every pair is
     * routable. Linear in the fabric size when some switch component reaches every GPU (every built fabric);
     * quadratic in GPUs otherwise (explicit graphs, which are small).
     */
    public int[] firstUnroutableGpuPair() {
        int g = gpuCount();
        if (g < 2) {
            return null;
        }
        int[] comp = switchComponents();
        int[][] gpuComps = new int[g][];
        Set<Long> direct = new HashSet<>();
        for (int i = 0; i < g; i++) {
            int node = gpuNodes[i];
            int[] cs = new int[portCountOf(node)];
            int k = 0;
            for (int p = portStart[node]; p < portStart[node + 1]; p++) {
                int peer = portPeer[p];
                if (kinds[peer] == NodeKind.SWITCH) {
                    cs[k++] = comp[peer];
                } else {
                    direct.add(((long) node << 32) | peer);
                }
            }
            gpuComps[i] = Arrays.stream(cs, 0, k).distinct().toArray();
        }
        for (int c : gpuComps[0]) {
            boolean everywhere = true;
            for (int i = 1; i < g && everywhere; i++) {
                everywhere = contains(gpuComps[i], c);
            }
            if (everywhere) {
                return null;
            }
        }
        for (int i = 0; i < g; i++) {
            for (int j = i + 1; j < g; j++) {
                if (!direct.contains(((long) gpuNodes[i] << 32) | gpuNodes[j]) && !shareAny(gpuComps[i], gpuComps[j])) {
                    return new int[] {i, j};
                }
            }
        }
        return null;
    }

    private int[] switchComponents() {
        int n = nodeCount();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int p = 0; p < portOwner.length; p++) {
            int a = portOwner[p];
            int z = portPeer[p];
            if (kinds[a] == NodeKind.SWITCH && kinds[z] == NodeKind.SWITCH) {
                int ra = find(parent, a);
                int rz = find(parent, z);
                if (ra != rz) {
                    parent[ra] = rz;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            parent[i] = find(parent, i);
        }
        return parent;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static boolean shareAny(int[] a, int[] b) {
        for (int x : a) {
            if (contains(b, x)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Assembles a {@link Topology}: add nodes, then cables (each becomes two one-way links), then {@link #build()}.
     * Not thread-safe; use from one thread.
     */
    public static final class Builder {
        private final String spec;
        private final List<NodeKind> kinds = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<Integer> tier = new ArrayList<>();
        private final List<String> tierName = new ArrayList<>();
        private final List<Integer> server = new ArrayList<>();
        private final List<SwitchParams> switchParams = new ArrayList<>();
        private final List<Integer> gpuNodes = new ArrayList<>();
        private final Map<String, Integer> nodeByName = new HashMap<>();
        private final IntList cableA = new IntList();
        private final IntList cableB = new IntList();
        private final IntList cableModelA = new IntList();
        private final IntList cableModelB = new IntList();
        private final List<Double> cableMetres = new ArrayList<>();
        private final List<LinkModel> models = new ArrayList<>();
        private final Map<LinkModel, Integer> modelIds = new IdentityHashMap<>();

        public Builder(String spec) {
            this.spec = spec;
        }

        /** Adds a GPU (tier 0) in a server (or -1 for none); returns its node id. */
        public int addGpu(String name, int serverId) {
            int id = addNode(name, NodeKind.GPU, 0, "gpu", serverId, null);
            gpuNodes.add(id);
            return id;
        }

        /** Adds a switch at a tier (1..3) with a tier name; returns its node id. */
        public int addSwitch(String name, int tierNumber, String tierLabel, SwitchParams params) {
            if (tierNumber < 1 || tierNumber > 100) {
                throw new TopologyException("switch '" + name + "': tier must be 1..100, got " + tierNumber, "tier");
            }
            return addNode(name, NodeKind.SWITCH, tierNumber, tierLabel, -1, params);
        }

        private int addNode(String name, NodeKind kind, int tierNumber, String label, int serverId, SwitchParams sp) {
            Ids.require(name, "id");
            Ids.require(label, "tierName");
            int id = names.size();
            if (nodeByName.putIfAbsent(name, id) != null) {
                throw new TopologyException("duplicate node id '" + name + "'", "id");
            }
            kinds.add(kind);
            names.add(name);
            tier.add(tierNumber);
            tierName.add(label);
            server.add(serverId);
            switchParams.add(sp);
            return id;
        }

        public int nodeCount() {
            return names.size();
        }

        /** The id of an already added node, or -1. */
        public int nodeIdOf(String name) {
            Integer id = nodeByName.get(name);
            return id == null ? -1 : id;
        }

        /**
         * Adds {@code count} parallel cables between a and b, each two one-way links; {@code aEnd} is the link
         * end at a, {@code bEnd} the end at b.
         */
        public void connect(int a, int b, LinkModel aEnd, LinkModel bEnd, double metres, int count) {
            if (a == b) {
                throw new TopologyException("node '" + names.get(a) + "' cannot be linked to itself", "b");
            }
            if (!(metres >= 0) || Double.isInfinite(metres)) {
                throw new TopologyException("cable length must be a finite number >= 0, got " + metres, "cableMetres");
            }
            int ma = modelId(aEnd);
            int mb = modelId(bEnd);
            for (int i = 0; i < count; i++) {
                cableA.add(a);
                cableB.add(b);
                cableModelA.add(ma);
                cableModelB.add(mb);
                cableMetres.add(metres);
            }
        }

        private int modelId(LinkModel m) {
            return modelIds.computeIfAbsent(m, k -> {
                models.add(k);
                return models.size() - 1;
            });
        }

        /** The immutable topology; throws {@link TopologyException} if a switch uses more ports than its radix. */
        public Topology build() {
            return new Topology(this);
        }
    }

    /** A growable int array: cables of a 32k-GPU fabric number in the hundreds of thousands. */
    private static final class IntList {
        private int[] a = new int[64];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return size;
        }
    }
}

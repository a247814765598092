package io.collemu.node.lp;

import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The topology seen as LPs: GPUs are LPs 0..gpuCount-1 (a GPU LP owns its NIC and NVLink egress ports); every
 * switch egress port is one LP after them. It also knows which LP can message which, and how soon: the
 * {@linkplain #forEachChannel channels} from which every engine derives its lookahead.
 *
 * <p>Immutable after construction (the inbound lookahead is computed once, on first use, under a lock); shared
 * read-only by all LPs and threads.
 */
public final class Fabric {
    private final Topology topology;
    private final Router router;
    private final int gpuCount;
    private final int lpCount;
    /** For a switch port: its LP; for a GPU port: the GPU's LP. */
    private final int[] lpOfPort;
    /** For a GPU port: its index among the GPU's ports; for a switch port: 0. */
    private final int[] localIndexOfPort;
    /** For LP ids >= gpuCount: the topology port it holds. */
    private final int[] portOfSwitchLp;
    /** Per node: the server whose scale-up switch it is (or whose GPU it is), else -1. */
    private final int[] serverOfNode;
    private final long lookaheadPs;
    /** Per port, payload bytes per wire byte in millionths; null = every link carries payload at its line rate. */
    private final long[] efficiencyPpm;
    private long[] inboundLookaheadPs;
    private final FaultPlan faults;
    /**
     * The fewest protocol bytes of any segment the workload sends (0: unknown, or a segment may take no time on a
     * link): every message then comes at least one such serialization after its sender's event.
     */
    private final long minSegmentProtocolBytes;
    /** Ports on which a segment may take no time (NVLS switch ports), whatever the bound; null: none. */
    private final BitSet unboundedPorts;

    /** Payload at line rate: no framing overhead, in millionths. */
    public static final long FULL_EFFICIENCY_PPM = 1_000_000L;

    /** The LPs of {@code topology}, routed by hashed ECMP. */
    public Fabric(Topology topology) {
        this(topology, new Router(topology));
    }

    /**
     * The LPs of {@code topology}, routed by {@code router}.
     *
     * @throws IllegalArgumentException if a link has no latency (the engines need a positive lookahead)
     */
    public Fabric(Topology topology, Router router) {
        this(topology, router, null);
    }

    /**
     * The LPs of {@code topology}, routed by {@code router}, each link carrying payload at its data efficiency.
     *
     * @param portEfficiency per port, payload bytes per wire byte in (0, 1] (framing overhead); null = 1 everywhere
     * @throws IllegalArgumentException if a link has no latency or an efficiency is out of range
     */
    public Fabric(Topology topology, Router router, double[] portEfficiency) {
        this.topology = topology;
        this.router = router;
        this.gpuCount = topology.gpuCount();
        int ports = topology.portCount();
        this.lpOfPort = new int[ports];
        this.localIndexOfPort = new int[ports];
        int switchPorts = 0;
        for (int p = 0; p < ports; p++) {
            if (topology.nodeKind(topology.portOwner(p)) == NodeKind.SWITCH) {
                switchPorts++;
            }
        }
        this.portOfSwitchLp = new int[switchPorts];
        int next = gpuCount;
        for (int p = 0; p < ports; p++) {
            int owner = topology.portOwner(p);
            if (topology.nodeKind(owner) == NodeKind.SWITCH) {
                portOfSwitchLp[next - gpuCount] = p;
                lpOfPort[p] = next++;
            } else {
                lpOfPort[p] = topology.gpuOfNode(owner);
            }
        }
        for (int node = 0; node < topology.nodeCount(); node++) {
            for (int i = 0; i < topology.portCountOf(node); i++) {
                localIndexOfPort[topology.portOf(node, i)] = i;
            }
        }
        this.lpCount = next;
        this.serverOfNode = serversOfNodes(topology);
        long min = Long.MAX_VALUE;
        for (int p = 0; p < ports; p++) {
            min = Math.min(min, topology.portLinkLatencyPs(p));
        }
        if (ports > 0 && min <= 0) {
            throw new IllegalArgumentException("topology " + topology.spec()
                    + ": a link has zero latency; the engines need a positive lookahead");
        }
        this.lookaheadPs = ports == 0 ? 1 : min;
        this.efficiencyPpm = portEfficiency == null ? null : efficiencies(portEfficiency, ports);
        this.faults = FaultPlan.NONE;
        this.minSegmentProtocolBytes = 0;
        this.unboundedPorts = null;
    }

    private Fabric(Fabric f, FaultPlan faults, long minSegmentProtocolBytes, BitSet unboundedPorts) {
        this.topology = f.topology;
        this.router = f.router;
        this.gpuCount = f.gpuCount;
        this.lpCount = f.lpCount;
        this.lpOfPort = f.lpOfPort;
        this.localIndexOfPort = f.localIndexOfPort;
        this.portOfSwitchLp = f.portOfSwitchLp;
        this.serverOfNode = f.serverOfNode;
        this.lookaheadPs = f.lookaheadPs;
        this.efficiencyPpm = f.efficiencyPpm;
        this.faults = faults;
        this.minSegmentProtocolBytes = minSegmentProtocolBytes;
        this.unboundedPorts = unboundedPorts;
    }

    /**
     * The same fabric with a fault plan (its LPs then drop, re-route and retransmit as the plan says); the plan must
     * be for this fabric's ports.
     */
    public Fabric withFaults(FaultPlan plan) {
        if (plan.any() && plan.ports() != topology.portCount()) {
            throw new IllegalArgumentException("fault plan for " + plan.ports() + " ports, fabric has "
                    + topology.portCount());
        }
        return plan.any() ? new Fabric(this, plan, 0, null)
                : new Fabric(this, plan, minSegmentProtocolBytes, unboundedPorts);
    }

    /**
     * The same fabric for a workload whose every segment takes at least {@code protocolBytes} of protocol lines on
     * every link it crosses, except on {@code unboundedPorts} ({@link SegmentBound}). Without faults a port hands a
     * segment on when its serialization starts, stamped with its arrival, and the credit it frees with it
     * ({@link EgressPort}), so every channel's delay grows by that serialization on the port that sends it: the
     * engines' windows, and the cluster's, widen with it. In fault mode a port sends at the end of the
     * serialization, so the fabric stays as it is.
     *
     * @param unboundedPorts ports where a segment may take no time (an NVLS switch's reduced contributions leave
     *                       with their sum) or whose LP sends without serializing (its immediate credits); null: none
     */
    public Fabric withMinSegment(long protocolBytes, BitSet unboundedPorts) {
        if (protocolBytes < 0) {
            throw new IllegalArgumentException("negative segment bytes: " + protocolBytes);
        }
        if (faults.any() || protocolBytes == 0) {
            return minSegmentProtocolBytes == 0 ? this : new Fabric(this, faults, 0, null);
        }
        BitSet unbounded = unboundedPorts == null || unboundedPorts.isEmpty() ? null : unboundedPorts;
        return new Fabric(this, faults, protocolBytes, unbounded);
    }

    /** The fewest protocol bytes of a segment this fabric's lookahead counts on (0: none). */
    public long minSegmentProtocolBytes() {
        return minSegmentProtocolBytes;
    }

    /** The shortest serialization of a segment of the workload on {@code port} (0 without a workload bound). */
    private long minTxPs(int port) {
        if (minSegmentProtocolBytes == 0 || (unboundedPorts != null && unboundedPorts.get(port))) {
            return 0;
        }
        return EgressPort.serializationPs(EgressPort.wireBytes(minSegmentProtocolBytes, efficiencyPpm(port)),
                topology.portRateBps(port));
    }

    /** The run's faults ({@link FaultPlan#NONE} if none). */
    public FaultPlan faults() {
        return faults;
    }

    private static long[] efficiencies(double[] e, int ports) {
        if (e.length != ports) {
            throw new IllegalArgumentException("port efficiencies: " + e.length + " for " + ports + " ports");
        }
        long[] out = new long[ports];
        for (int p = 0; p < ports; p++) {
            if (!(e[p] > 0 && e[p] <= 1)) {
                throw new IllegalArgumentException("port " + p + ": data efficiency " + e[p] + " is not in (0, 1]");
            }
            out[p] = Math.max(1, Math.round(e[p] * FULL_EFFICIENCY_PPM));
        }
        return out;
    }

    /** Payload bytes per wire byte of the link behind {@code port}, in millionths. */
    public long efficiencyPpm(int port) {
        return efficiencyPpm == null ? FULL_EFFICIENCY_PPM : efficiencyPpm[port];
    }

    /**
     * How long a segment of {@code protocolBytes} takes to cross a path of egress ports store-and-forward when
     * nothing else is on it: its serialization at every port (with that link's framing) plus
     * {@link #pathLatencyPs}.
     */
    public long pathTransferPs(int[] path, long protocolBytes) {
        long ps = pathLatencyPs(path);
        for (int port : path) {
            long eff = efficiencyPpm(port);
            long wire = eff == FULL_EFFICIENCY_PPM ? protocolBytes
                    : (protocolBytes * FULL_EFFICIENCY_PPM + eff - 1) / eff;
            ps += (long) Math.ceil(wire * 8e12 / topology.portRateBps(port));
        }
        return ps;
    }

    /**
     * The unloaded latency of a path of egress ports, without serialization: every link's latency plus the
     * port-to-port latency of every switch it enters.
     */
    public long pathLatencyPs(int[] path) {
        long ps = 0;
        for (int port : path) {
            ps += topology.portLinkLatencyPs(port);
            int peer = topology.portPeer(port);
            if (topology.nodeKind(peer) == NodeKind.SWITCH) {
                ps += topology.switchLatencyPs(peer);
            }
        }
        return ps;
    }

    /**
     * A GPU's server; for a switch whose every link goes to GPUs of one server (an NVSwitch, whatever its tier is
     * called), that server; else -1.
     */
    private static int[] serversOfNodes(Topology t) {
        int[] out = new int[t.nodeCount()];
        for (int node = 0; node < out.length; node++) {
            if (t.nodeKind(node) == NodeKind.GPU) {
                out[node] = t.serverOfGpu(t.gpuOfNode(node));
                continue;
            }
            int server = -1;
            for (int i = 0; i < t.portCountOf(node) && server != -2; i++) {
                int peer = t.portPeer(t.portOf(node, i));
                int s = t.nodeKind(peer) == NodeKind.GPU ? t.serverOfGpu(t.gpuOfNode(peer)) : -2;
                server = s < 0 || (server >= 0 && s != server) ? -2 : s;
            }
            out[node] = Math.max(-1, server);
        }
        return out;
    }

    /** The topology behind the LPs. */
    public Topology topology() {
        return topology;
    }

    /** The router every GPU LP computes its flows' paths with. */
    public Router router() {
        return router;
    }

    /** GPU LPs: ids 0..gpuCount-1. */
    public int gpuCount() {
        return gpuCount;
    }

    /** All LPs: GPUs, then one per switch egress port. */
    public int lpCount() {
        return lpCount;
    }

    /** The LP that holds a topology port (a GPU's port belongs to the GPU's LP). */
    public int lpOfPort(int port) {
        return lpOfPort[port];
    }

    /** A GPU port's index among its GPU's ports; 0 for a switch port. */
    public int localIndexOfPort(int port) {
        return localIndexOfPort[port];
    }

    /** The topology port held by a switch-port LP. */
    public int portOfSwitchLp(int lp) {
        return portOfSwitchLp[lp - gpuCount];
    }

    /** Whether an LP is a GPU (else it is a switch egress port). */
    public boolean isGpuLp(int lp) {
        return lp < gpuCount;
    }

    /** The topology node of an LP: its GPU, or the switch that owns its port. */
    public int nodeOfLp(int lp) {
        return lp < gpuCount ? topology.gpuNode(lp) : topology.portOwner(portOfSwitchLp(lp));
    }

    /** The server an LP belongs to: a GPU's server, or the server of an NVSwitch port; -1 for other LPs. */
    public int serverOfLp(int lp) {
        return serverOfNode[nodeOfLp(lp)];
    }

    /** The smallest link latency (the smallest delay of any message when the workload is not known). */
    public long lookaheadPs() {
        return lookaheadPs;
    }

    /** Delay for a credit to travel back over the cable that {@code upstreamPort} transmits on. */
    public long creditDelayPs(int upstreamPort) {
        return topology.portLinkLatencyPs(topology.portReverse(upstreamPort));
    }

    /** Receives the channels of {@link #forEachChannel}. */
    @FunctionalInterface
    public interface ChannelVisitor {
        /** LP {@code fromLp} may message LP {@code toLp}, never sooner than {@code minDelayPs} ahead. */
        void channel(int fromLp, int toLp, long minDelayPs, int port);
    }

    /**
     * Every way one LP can message another, with the smallest delay of such a message, once per topology port
     * (a pair may be visited several times): a port's LP delivers to the GPU behind its link after the link
     * latency; or, into a switch, it hands arrivals to every egress port of that switch after the link plus the
     * switch's port-to-port latency, and each of those ports returns credits over the reverse link. With a
     * {@linkplain #withMinSegment segment bound}, each delay adds the shortest serialization on the port whose
     * serializer sends the message (the transmitting port for an arrival, the downstream port for a credit).
     */
    public void forEachChannel(ChannelVisitor v) {
        Topology t = topology;
        for (int p = 0; p < t.portCount(); p++) {
            int tx = lpOfPort[p];
            int peer = t.portPeer(p);
            long lat = t.portLinkLatencyPs(p) + minTxPs(p);
            if (t.nodeKind(peer) == NodeKind.GPU) {
                v.channel(tx, t.gpuOfNode(peer), lat, p);
                continue;
            }
            long arrival = lat + t.switchLatencyPs(peer);
            long credit = creditDelayPs(p);
            for (int i = 0; i < t.portCountOf(peer); i++) {
                int out = t.portOf(peer, i);
                int rx = lpOfPort[out];
                v.channel(tx, rx, arrival, p);
                v.channel(rx, tx, credit + minTxPs(out), p);
            }
        }
    }

    /**
     * Per LP, the smallest delay of any message that can reach it (see {@link #forEachChannel}); an LP nothing can
     * reach gets a large value. Every send is checked against the receiver's entry. Shared: do not modify.
     */
    public synchronized long[] inboundLookaheadPs() {
        if (inboundLookaheadPs == null) {
            long[] out = new long[lpCount];
            Arrays.fill(out, Long.MAX_VALUE / 4);
            forEachChannel((from, to, delay, port) -> out[to] = Math.min(out[to], Math.max(1, delay)));
            inboundLookaheadPs = out;
        }
        return inboundLookaheadPs;
    }
}

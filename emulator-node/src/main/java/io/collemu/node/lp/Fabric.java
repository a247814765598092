package io.collemu.node.lp;

import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;

/**
 * The topology seen as LPs: GPUs are LPs 0..gpuCount-1 (a GPU LP owns its NIC and NVLink egress ports); every
 * switch egress port is one LP after them. Immutable after construction; shared read-only by all LPs.
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
    private final long lookaheadPs;

    public Fabric(Topology topology) {
        this(topology, new Router(topology));
    }

    public Fabric(Topology topology, Router router) {
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
        long min = Long.MAX_VALUE;
        for (int p = 0; p < ports; p++) {
            min = Math.min(min, topology.portLinkLatencyPs(p));
        }
        if (ports > 0 && min <= 0) {
            throw new IllegalArgumentException("topology " + topology.spec()
                    + ": a link has zero latency; the engines need a positive lookahead");
        }
        this.lookaheadPs = ports == 0 ? 1 : min;
    }

    public Topology topology() {
        return topology;
    }

    public Router router() {
        return router;
    }

    public int gpuCount() {
        return gpuCount;
    }

    public int lpCount() {
        return lpCount;
    }

    public int lpOfPort(int port) {
        return lpOfPort[port];
    }

    public int localIndexOfPort(int port) {
        return localIndexOfPort[port];
    }

    /** The topology port held by a switch-port LP. */
    public int portOfSwitchLp(int lp) {
        return portOfSwitchLp[lp - gpuCount];
    }

    public boolean isGpuLp(int lp) {
        return lp < gpuCount;
    }

    /** The smallest delay of any message between two LPs: the smallest link latency. */
    public long lookaheadPs() {
        return lookaheadPs;
    }

    /** Delay for a credit to travel back over the cable that {@code upstreamPort} transmits on. */
    public long creditDelayPs(int upstreamPort) {
        return topology.portLinkLatencyPs(topology.portReverse(upstreamPort));
    }
}

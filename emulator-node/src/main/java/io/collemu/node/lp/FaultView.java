package io.collemu.node.lp;

import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Routing on a fabric with failed links, as one LP sees it: each switch hashes a flow over the members of its ECMP
 * group toward the destination that it believes alive ({@link FaultPlan#knownDown}: its own links after the local
 * lag, others after reconvergence) and that still lead to the destination over links it believes alive; with none
 * left it has no route and drops. With nothing believed down this is exactly {@link Router#nextPort}.
 *
 * <p>Not thread-safe: one per LP (it caches the surviving groups of the current epoch).
 */
public final class FaultView {
    private final Fabric fabric;
    private final FaultPlan plan;
    private final Router router;
    private final Topology t;
    private final int[][] scratch = new int[16][];
    private int cacheEpoch = -1;
    private final Map<Long, int[]> groups = new HashMap<>();

    /** The view of {@code fabric}'s fault plan for one LP. */
    public FaultView(Fabric fabric) {
        this.fabric = fabric;
        this.plan = fabric.faults();
        this.router = fabric.router();
        this.t = fabric.topology();
    }

    /** The plan behind the view. */
    public FaultPlan plan() {
        return plan;
    }

    /**
     * The port {@code node} forwards a flow to {@code dstGpu} on in epoch {@code epoch}; -1 if it has no route.
     * {@code node} must not be the destination's node.
     */
    public int nextPort(int node, int dstGpu, long flowHash, int epoch) {
        if (plan.clean(epoch)) {
            return router.nextPort(node, dstGpu, flowHash);
        }
        int[] g = group(node, dstGpu, epoch);
        return g.length == 0 ? -1 : g[router.choose(node, dstGpu, flowHash, g.length)];
    }

    /**
     * Follows every node's own choice from {@code node} to {@code dstGpu} in {@code epoch}, writing the ports into
     * {@code out} from {@code at}; returns the index after the last port, or -1 if some node on the way has no route.
     */
    public int route(int node, int dstGpu, long flowHash, int epoch, int[] out, int at) {
        int dstNode = t.gpuNode(dstGpu);
        int i = at;
        while (node != dstNode) {
            int p = nextPort(node, dstGpu, flowHash, epoch);
            if (p < 0 || i >= out.length) {
                return -1;
            }
            out[i++] = p;
            node = t.portPeer(p);
        }
        return i;
    }

    /**
     * Re-routes segment {@code s} for epoch {@code epoch} from the node its port {@code s.path[s.hops]} leads to:
     * keeps its path if every node on the rest of it still chooses the same, else gives it a new path array (the
     * ports it crossed, then the new rest).
     *
     * @return false if some node on the way has no route (the segment is lost there)
     */
    public boolean reroute(Segment s, int epoch) {
        int next = t.portPeer(s.path[s.hops]);
        int[] buf = new int[s.path.length + 32];
        System.arraycopy(s.path, 0, buf, 0, s.hops + 1);
        int end = route(next, s.dstGpu, s.flowHash, epoch, buf, s.hops + 1);
        s.pathEpoch = epoch;
        if (end < 0) {
            return false;
        }
        if (end != s.path.length || !Arrays.equals(buf, s.hops + 1, end, s.path, s.hops + 1, end)) {
            s.path = Arrays.copyOf(buf, end);
        }
        return true;
    }

    /** The members of node's ECMP group toward dstGpu that survive in epoch e, in port order (cached per epoch). */
    private int[] group(int node, int dstGpu, int epoch) {
        if (epoch != cacheEpoch) {
            groups.clear();
            cacheEpoch = epoch;
        }
        long key = ((long) node << 32) | dstGpu;
        int[] g = groups.get(key);
        if (g == null) {
            long at = plan.epochStart(epoch);
            int[] all = buffer(0, t.portCountOf(node));
            int n = router.nextHops(node, dstGpu, all);
            int[] keep = new int[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                int p = all[i];
                if (!plan.knownDown(p, at, true) && reaches(t.portPeer(p), dstGpu, node, at, 1)) {
                    keep[k++] = p;
                }
            }
            g = Arrays.copyOf(keep, k);
            groups.put(key, g);
        }
        return g;
    }

    /**
     * Whether {@code node} reaches dstGpu over shortest-path next hops that {@code observer} believes alive at
     * {@code at} (links at the observer: local knowledge; others: remote).
     */
    private boolean reaches(int node, int dstGpu, int observer, long at, int depth) {
        if (node == t.gpuNode(dstGpu)) {
            return true;
        }
        if (t.isGpu(node) || depth >= scratch.length) {
            return false;
        }
        int[] hops = buffer(depth, t.portCountOf(node));
        int n = router.nextHops(node, dstGpu, hops);
        for (int i = 0; i < n; i++) {
            int p = hops[i];
            boolean local = t.portOwner(p) == observer || t.portPeer(p) == observer;
            if (!plan.knownDown(p, at, local) && reaches(t.portPeer(p), dstGpu, observer, at, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private int[] buffer(int depth, int size) {
        int[] b = scratch[depth];
        if (b == null || b.length < size) {
            b = new int[Math.max(size, 8)];
            scratch[depth] = b;
        }
        return b;
    }

    /** The fabric behind the view. */
    public Fabric fabric() {
        return fabric;
    }
}

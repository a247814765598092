package io.collemu.topology.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import java.util.HashSet;
import java.util.Set;

/** Shared checks that a routed path is well formed: contiguous, loop-free, GPU-free inside, shortest. */
public final class PathAssertions {
    private PathAssertions() {
    }

    /** Checks the path of one flow and returns its hop count. */
    public static int assertValidPath(Router r, int src, int dst, long flowId) {
        Topology t = r.topology();
        int[] ports = new int[256];
        int hops = r.path(src, dst, flowId, ports);
        assertEquals(r.hops(src, dst), hops, "path length equals hops()");
        int node = t.gpuNode(src);
        Set<Integer> seen = new HashSet<>();
        seen.add(node);
        for (int i = 0; i < hops; i++) {
            assertEquals(node, t.portOwner(ports[i]), "ports are contiguous");
            node = t.portPeer(ports[i]);
            assertTrue(seen.add(node), "no loop");
            if (i < hops - 1) {
                assertEquals(NodeKind.SWITCH, t.nodeKind(node), "paths never transit a GPU");
            }
        }
        assertEquals(t.gpuNode(dst), node, "path ends at the destination");
        return hops;
    }

    /** Checks every ordered GPU pair (exhaustive; small fabrics only). */
    public static void assertAllPairsRoutable(Topology t) {
        Router r = new Router(t);
        for (int s = 0; s < t.gpuCount(); s++) {
            for (int d = 0; d < t.gpuCount(); d++) {
                assertValidPath(r, s, d, s * 31L + d);
            }
        }
    }
}

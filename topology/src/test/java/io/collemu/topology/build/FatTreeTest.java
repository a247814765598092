package io.collemu.topology.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.PathAssertions;
import io.collemu.topology.route.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FatTreeTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 8, 16, 24})
    void shouldMatchClosedFormCounts(int k) {
        Topology t = TopologySpecs.parse("fat-tree:k=" + k);
        Inventory inv = Inventory.of(t);
        assertEquals(k * k * k / 4, t.gpuCount());
        assertEquals(5 * k * k / 4, inv.switchCount());
        assertEquals(k * k / 2, inv.switchesByTier().get("edge"));
        assertEquals(k * k / 2, inv.switchesByTier().get("aggregation"));
        assertEquals(k * k / 4, inv.switchesByTier().get("core"));
        // every switch port used exactly: 5k^2/4 switches x k ports, plus one NIC port per host
        assertEquals(5 * k * k / 4 * k + k * k * k / 4, t.portCount());
        for (int n = 0; n < t.nodeCount(); n++) {
            if (!t.isGpu(n)) {
                assertEquals(k, t.portCountOf(n), t.nodeName(n));
                assertEquals(k, t.radix(n));
            }
        }
        assertEquals(1.0, inv.oversubscription(), 1e-12);
        assertEquals((long) k * k * k / 8 * 800_000_000_000L, inv.bisectionBandwidthBps(), "k^3/8 x rate");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void shouldRouteEveryPairExhaustively(int k) {
        PathAssertions.assertAllPairsRoutable(TopologySpecs.parse("fat-tree:k=" + k));
    }

    @Test
    void shouldHaveTwoFourAndSixHopPaths() {
        Topology t = TopologySpecs.parse("fat-tree:k=8");
        Router r = new Router(t);
        int hostsPerEdge = 4;
        int hostsPerPod = 16;
        assertEquals(2, r.hops(0, 1), "same edge");
        assertEquals(4, r.hops(0, hostsPerEdge), "same pod, other edge");
        assertEquals(6, r.hops(0, hostsPerPod), "other pod");
        assertEquals(0, r.hops(5, 5));
        int[] counts = new int[7];
        for (int d = 0; d < t.gpuCount(); d++) {
            counts[r.hops(0, d)]++;
        }
        assertEquals(1, counts[0]);
        assertEquals(hostsPerEdge - 1, counts[2]);
        assertEquals(hostsPerPod - hostsPerEdge, counts[4]);
        assertEquals(t.gpuCount() - hostsPerPod, counts[6]);
        assertTrue(t.minLinkLatencyPs() > 0);
    }
}

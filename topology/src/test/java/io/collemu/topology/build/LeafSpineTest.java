package io.collemu.topology.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import io.collemu.topology.route.PathAssertions;
import io.collemu.topology.route.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeafSpineTest {

    @ParameterizedTest(name = "leaves={0} spines={1} h={2} o={3}")
    @CsvSource({
        "16, 8, 32, 4, 1",
        "16, 8, 32, 1, 4",
        "4, 2, 8, 2, 2",
        "8, 16, 32, 2, 1",
        "16, 4, 48, 3, 4",
        "2, 1, 4, 1, 4"})
    void shouldWireOversubscribedLeaves(int leaves, int spines, int hosts, int o, int parallel) {
        Topology t = TopologySpecs.parse("leaf-spine:leaves=" + leaves + ",spines=" + spines + ",hosts-per-leaf="
                + hosts + ",oversubscription=" + o);
        Inventory inv = Inventory.of(t);
        int up = hosts / o;
        assertEquals(leaves * hosts, t.gpuCount());
        assertEquals(leaves, inv.switchesByTier().get("leaf"));
        assertEquals(spines, inv.switchesByTier().get("spine"));
        assertEquals(up, spines * parallel);
        int leaf0 = t.nodeByName("leaf0");
        assertEquals(hosts + up, t.portCountOf(leaf0));
        int spine0 = t.nodeByName("spine0");
        int toSpine0 = 0;
        for (int i = 0; i < t.portCountOf(leaf0); i++) {
            if (t.portPeer(t.portOf(leaf0, i)) == spine0) {
                toSpine0++;
            }
        }
        assertEquals(parallel, toSpine0, "uplinks per leaf-spine pair = (h/o)/spines");
        assertEquals(o, inv.oversubscription(), 1e-12);
        long rate = 800_000_000_000L;
        long expectedBisection = leaves > 1 ? Math.min((long) leaves * hosts * rate, (long) leaves * up * rate) / 2
                : (long) hosts * rate / 2;
        assertEquals(expectedBisection, inv.bisectionBandwidthBps(), "N r / 2o");
    }

    @Test
    void shouldRouteEveryPairExhaustively() {
        Topology t = TopologySpecs.parse("leaf-spine:leaves=4,spines=2,hosts-per-leaf=8,oversubscription=2");
        PathAssertions.assertAllPairsRoutable(t);
        Router r = new Router(t);
        assertEquals(2, r.hops(0, 1));
        assertEquals(4, r.hops(0, 8));
    }

    @Test
    void shouldDefaultToNonBlockingWithOneLinkPerSpine() {
        Topology t = TopologySpecs.parse("leaf-spine:leaves=4,hosts-per-leaf=8");
        assertEquals(8, Inventory.of(t).switchesByTier().get("spine"));
        assertEquals(1.0, Inventory.of(t).oversubscription(), 1e-12);
    }

    @Test
    void shouldRejectNonIntegerUplinks() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse("leaf-spine:leaves=4,hosts-per-leaf=32,oversubscription=3"));
        assertTrue(e.getMessage().contains("oversubscription"), e.getMessage());
        assertTrue(e.getMessage().contains("not a positive integer"), e.getMessage());
    }

    @Test
    void shouldRejectSpinesThatDisagreeWithOversubscription() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse("leaf-spine:leaves=16,spines=3,hosts-per-leaf=32,oversubscription=4"));
        assertTrue(e.getMessage().contains("parameter 'spines'"), e.getMessage());
        assertTrue(e.getMessage().contains("8 uplinks"), e.getMessage());
    }

    @Test
    void shouldRejectLeavesBeyondRadix() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse("leaf-spine:leaves=4,hosts-per-leaf=48,oversubscription=1"));
        assertTrue(e.getMessage().contains("radix 64"), e.getMessage());
        e = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse("leaf-spine:leaves=65,hosts-per-leaf=8,spines=8"));
        assertTrue(e.getMessage().contains("parameter 'leaves'"), e.getMessage());
    }
}

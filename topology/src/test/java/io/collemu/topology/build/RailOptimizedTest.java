package io.collemu.topology.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.model.LinkPresets;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import io.collemu.topology.route.PathAssertions;
import io.collemu.topology.route.Router;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RailOptimizedTest {

    @ParameterizedTest(name = "gpus={0}")
    @CsvSource({
        // gpus, servers, leaves, spines, cores, tiers
        "16, 2, 8, 1, 0, 2",
        "128, 16, 8, 2, 0, 2",
        "1024, 128, 32, 16, 0, 2",
        "8192, 1024, 256, 256, 128, 3"})
    void shouldMatchExpectedCounts(int gpus, int servers, int leaves, int spines, int cores, int tiers) {
        Topology t = TopologySpecs.parse("rail-optimized:gpus=" + gpus + ",gpus-per-server=8,scale-up=nvlink4");
        Inventory inv = Inventory.of(t);
        assertEquals(gpus, t.gpuCount());
        assertEquals(servers, inv.serverCount());
        assertEquals(8, t.gpusPerServer());
        assertEquals(servers, inv.switchesByTier().get("nvswitch"));
        assertEquals(leaves, inv.switchesByTier().get("leaf"));
        assertEquals(spines, inv.switchesByTier().get("spine"));
        assertEquals(cores, inv.switchesByTier().getOrDefault("core", 0));
        assertEquals(tiers + 1, inv.tierCount(), "GPU tier plus switch tiers");
        assertEquals(1.0, inv.oversubscription(), 1e-12);
        assertEquals((long) gpus * 800_000_000_000L / 2, inv.bisectionBandwidthBps(), "non-blocking: N r / 2");
        for (int n = 0; n < t.nodeCount(); n++) {
            assertTrue(t.portCountOf(n) <= t.radix(n), t.nodeName(n));
        }
    }

    @Test
    void shouldPutRailROnLeafROfItsScalableUnit() {
        Topology t = TopologySpecs.parse("rail-optimized:gpus=1024");
        for (int g = 0; g < t.gpuCount(); g++) {
            int server = t.serverOfGpu(g);
            assertEquals(g / 8, server);
            String leaf = null;
            String nvs = null;
            int node = t.gpuNode(g);
            for (int i = 0; i < t.portCountOf(node); i++) {
                int peer = t.portPeer(t.portOf(node, i));
                if ("leaf".equals(t.tierName(peer))) {
                    leaf = t.nodeName(peer);
                } else {
                    nvs = t.nodeName(peer);
                }
            }
            assertEquals("su" + server / 32 + "-leaf" + g % 8, leaf);
            assertEquals("nvs" + server, nvs);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rail-optimized:gpus=320 | 2",
        "rail-optimized:gpus=96,gpus-per-server=4,servers-per-su=8,scale-up=nvlink5 | 2",
        "rail-optimized:gpus=192,gpus-per-server=4,servers-per-su=8,radix=16 | 3"})
    void shouldRouteRaggedAndThreeTierFabricsExhaustively(String spec, int switchTiers) {
        Topology t = TopologySpecs.parse(spec);
        assertEquals(switchTiers, Inventory.of(t).tierCount() - 1);
        PathAssertions.assertAllPairsRoutable(t);
    }

    @Test
    void shouldRouteSmallFabricsExhaustivelyWithExpectedHops() {
        Topology t = TopologySpecs.parse("rail-optimized:gpus=128,gpus-per-server=8,scale-up=nvlink4");
        PathAssertions.assertAllPairsRoutable(t);
        Router r = new Router(t);
        assertEquals(2, r.hops(0, 1), "same server: over the NVSwitch");
        assertEquals(2, r.hops(0, 8), "same rail, other server: over the rail leaf");
        assertEquals(4, r.hops(0, 9), "other rail, other server: leaf-spine-leaf");
        int[] ports = new int[8];
        r.path(0, 1, 7, ports);
        assertEquals("nvswitch", t.tierName(t.portPeer(ports[0])));
    }

    @Test
    void shouldBuildServersWithoutNvlinkWhenScaleUpIsNone() {
        Topology t = TopologySpecs.parse("rail-optimized:gpus=16,gpus-per-server=8,scale-up=none");
        Inventory inv = Inventory.of(t);
        assertNull(inv.switchesByTier().get("nvswitch"));
        assertEquals(8, inv.switchesByTier().get("leaf"));
        for (int g = 0; g < 16; g++) {
            assertEquals(1, t.portCountOf(t.gpuNode(g)), "only the NIC");
        }
        PathAssertions.assertAllPairsRoutable(t);
        assertEquals(4, new Router(t).hops(0, 1), "same server, other rail: through the spine");
    }

    @Test
    void shouldRouteSampledPairsOfThreeTierFabric() {
        Topology t = TopologySpecs.parse("rail-optimized:gpus=8192");
        Router r = new Router(t);
        SplittableRandom rnd = new SplittableRandom(3);
        int maxHops = 0;
        for (int i = 0; i < 20_000; i++) {
            maxHops = Math.max(maxHops, PathAssertions.assertValidPath(r, rnd.nextInt(8192), rnd.nextInt(8192), i));
        }
        assertEquals(6, maxHops, "leaf-spine-core-spine-leaf");
        assertEquals(6, r.hops(0, 8192 - 1));
        assertEquals(4, r.hops(0, 9), "other rail, same pod: leaf-spine-leaf");
    }

    @Test
    void shouldUseHybridEndsForCpoFabric() {
        Topology t = TopologySpecs.parse("rail-optimized:gpus=16,link=cpo-1.6t");
        Inventory inv = Inventory.of(t);
        assertEquals(16L, inv.opticalEndsByModel().get("pluggable-dsp-1.6t"), "one NIC module per GPU");
        assertEquals(16L + 2 * 16, inv.opticalEndsByModel().get("cpo-1.6t"),
                "leaf down ports plus both ends of 16 leaf-spine cables");
        assertEquals(16, inv.transceiverCount());
        Topology nic = TopologySpecs.parse("rail-optimized:gpus=16,link=cpo-1.6t,nic-link=lpo-1.6t");
        assertEquals(16L, Inventory.of(nic).opticalEndsByModel().get("lpo-1.6t"));
        assertEquals(LinkPresets.LPO_1_6T, nic.portNearEnd(nic.portOf(nic.gpuNode(0), 1)));
    }

    @Test
    void shouldHonourOversubscriptionAndRadix() {
        Topology t = TopologySpecs.parse("rail-optimized:gpus=1024,oversubscription=2,servers-per-su=32");
        Inventory inv = Inventory.of(t);
        assertEquals(2.0, inv.oversubscription(), 1e-12);
        assertEquals(48, t.portCountOf(t.nodeByName("su0-leaf0")));
        // 256 leaves exceed radix 144: 3 tiers, pods of 9 SUs (72 leaves, half the radix), the last pod partial
        Topology big = TopologySpecs.parse("rail-optimized:gpus=8192,radix=144");
        Inventory bigInv = Inventory.of(big);
        assertEquals(3, bigInv.tierCount() - 1);
        assertEquals(4 * 32, bigInv.switchesByTier().get("spine"));
        assertEquals(32 * 2, bigInv.switchesByTier().get("core"));
        PathAssertions.assertValidPath(new Router(big), 0, 8191, 1);
    }

    @Test
    void shouldRejectBadParameters() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse("rail-optimized:gpus=100,gpus-per-server=8"));
        assertTrue(e.getMessage().contains("parameter 'gpus'"), e.getMessage());
        e = assertThrows(TopologyException.class, () -> TopologySpecs.parse("rail-optimized:gpus=16,link=cpo-3.2t"));
        assertTrue(e.getMessage().contains("nic-link"), e.getMessage());
        e = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse("rail-optimized:gpus=16", Map.of("scale-up", "nvlink9")));
        assertTrue(e.getMessage().contains("unknown link model 'nvlink9'"), e.getMessage());
    }
}

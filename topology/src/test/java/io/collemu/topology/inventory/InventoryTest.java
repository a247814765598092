package io.collemu.topology.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.LinkPresets;
import io.collemu.topology.model.Topology;
import org.junit.jupiter.api.Test;

class InventoryTest {

    @Test
    void shouldCountTransceiversAndPowerOfPluggableFatTree() {
        Topology t = TopologySpecs.parse("fat-tree:k=4,link=pluggable-dsp-800g");
        Inventory inv = Inventory.of(t);
        int cables = 16 + 16 + 16; // host-edge, edge-agg, agg-core
        assertEquals(cables, inv.cableCount());
        assertEquals(2L * cables, inv.transceiverCount(), "a module at each end of every cable");
        assertEquals(0, inv.cpoPortCount());
        assertEquals(2.0 * cables * 17 * LinkPresets.ASSUMED_STATIC_FRACTION, inv.opticsIdleWatts(), 1e-9);
        assertEquals(2.0 * cables * 17, inv.opticsLoadedWatts(), 1e-9, "17 W per 800G module at full load");
        assertEquals(2 * cables * 1.5e-6, inv.expectedHardFailuresPerHour(), 1e-15);
        assertEquals(3, inv.tierCount() - 1);
    }

    @Test
    void shouldShowCpoSavingOnTheSameFabric() {
        Inventory dsp = Inventory.of(TopologySpecs.parse("leaf-spine:leaves=8,hosts-per-leaf=16,link=pluggable-dsp-1.6t"));
        Inventory cpo = Inventory.of(TopologySpecs.parse("leaf-spine:leaves=8,hosts-per-leaf=16,link=cpo-1.6t"));
        // CPO fabric: 128 NIC pluggables stay; 128 leaf down ports and 2 x 128 leaf-spine ends become CPO
        assertEquals(128, cpo.transceiverCount());
        assertEquals(128 + 256, cpo.cpoPortCount());
        LinkModel p = LinkPresets.PLUGGABLE_DSP_1_6T;
        LinkModel c = LinkPresets.CPO_1_6T;
        assertEquals(128 * p.loadedWatts() + 384 * c.loadedWatts(), cpo.opticsLoadedWatts(), 1e-6);
        assertEquals(512 * p.loadedWatts(), dsp.opticsLoadedWatts(), 1e-6);
        assertTrue(cpo.opticsLoadedWatts() < 0.5 * dsp.opticsLoadedWatts());
        assertEquals(dsp.bisectionBandwidthBps(), cpo.bisectionBandwidthBps());
    }

    @Test
    void shouldLeaveNvlinkOutOfOpticsAndScaleOutBisection() {
        Inventory nvl = Inventory.of(TopologySpecs.parse("single-switch:gpus=8,link=nvlink4"));
        assertEquals(0.0, nvl.opticsLoadedWatts());
        assertEquals(0, nvl.transceiverCount());
        assertEquals(8 * 3_600_000_000_000L / 2, nvl.bisectionBandwidthBps(), "a pure NVLink domain counts NVLink");
        Inventory rail = Inventory.of(TopologySpecs.parse("rail-optimized:gpus=16,link=pluggable-dsp-400g"));
        assertEquals(16 * 400_000_000_000L / 2, rail.bisectionBandwidthBps(), "scale-out only");
        assertEquals(16 + 16 + 2 * 16, rail.transceiverCount());
    }

    @Test
    void shouldRenderShowAndPresetTables() {
        String show = Inventory.of(TopologySpecs.parse("rail-optimized:gpus=128,link=cpo-1.6t")).render();
        assertTrue(show.startsWith("topology          rail-optimized:gpus=128,link=cpo-1.6t\n"), show);
        assertTrue(show.contains("gpus              128 (16 servers x 8)"), show);
        assertTrue(show.contains("nvswitch 16 (radix 8), leaf 8 (radix 64), spine 2 (radix 64)"), show);
        assertTrue(show.contains("128 pluggable transceivers"), show);
        assertTrue(show.contains("oversubscription 1:1"), show);
        assertFalse(show.endsWith("\n"));
        String presets = PresetTable.render();
        for (LinkModel m : LinkPresets.all()) {
            assertTrue(presets.contains(m.name() + " "), m.name());
        }
        assertTrue(presets.lines().anyMatch(l -> l.startsWith("pluggable-dsp-800g") && l.contains(" 17 ")
                && l.contains("21.25")), presets);
    }
}

package io.collemu.topology.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopologyTest {

    private static Topology twoGpusOneSwitch(LinkModel gpuEnd, LinkModel switchEnd, int radix) {
        Topology.Builder b = new Topology.Builder("test");
        int g0 = b.addGpu("g0", 0);
        int g1 = b.addGpu("g1", 0);
        int s = b.addSwitch("s", 1, "leaf", SwitchParams.packet(radix));
        b.connect(g0, s, gpuEnd, switchEnd, 10, 1);
        b.connect(g1, s, gpuEnd, switchEnd, 10, 2);
        return b.build();
    }

    @Test
    void shouldPairEveryPortWithItsReverse() {
        Topology t = twoGpusOneSwitch(LinkPresets.PLUGGABLE_DSP_800G, LinkPresets.CPO_800G, 64);
        assertEquals(6, t.portCount(), "3 cables, two one-way links each");
        for (int p = 0; p < t.portCount(); p++) {
            int r = t.portReverse(p);
            assertEquals(p, t.portReverse(r));
            assertEquals(t.portOwner(p), t.portPeer(r));
            assertEquals(t.portPeer(p), t.portOwner(r));
            assertEquals(t.portNearEnd(p), t.portFarEnd(r));
            assertEquals(t.portLinkLatencyPs(p), t.portLinkLatencyPs(r));
            assertTrue(p >= t.portOf(t.portOwner(p), 0) && p < t.portOf(t.portOwner(p), 0)
                    + t.portCountOf(t.portOwner(p)), "ports of a node are contiguous");
        }
        int s = t.nodeByName("s");
        assertEquals(3, t.portCountOf(s));
        assertEquals(2, t.portCountOf(t.gpuNode(1)), "parallel cables give parallel ports");
        assertEquals(2, t.gpusPerServer());
        assertEquals(0, t.serverOfGpu(1));
        assertEquals(-1, t.gpuOfNode(s));
        assertEquals(NodeKind.SWITCH, t.nodeKind(s));
    }

    @Test
    void shouldSumLatencyPartsAndTakeTheSlowerRate() {
        Topology t = twoGpusOneSwitch(LinkPresets.PLUGGABLE_DSP_1_6T, LinkPresets.CPO_800G, 64);
        int p = t.portOf(t.gpuNode(0), 0);
        assertEquals(800_000_000_000L, t.portRateBps(p), "min of both ends");
        assertEquals(25_000 + 5_000 + 100_000 + 10 * 5_000, t.portLinkLatencyPs(p));
        assertEquals(LinkPresets.PLUGGABLE_DSP_1_6T, t.portNearEnd(p));
        assertEquals(LinkPresets.CPO_800G, t.portFarEnd(p));
        assertEquals(10.0, t.portCableMetres(p));
        assertEquals(180_000, t.minLinkLatencyPs());
    }

    @Test
    void shouldRejectMorePortsThanRadixAndDuplicateIds() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> twoGpusOneSwitch(LinkPresets.CPO_800G, LinkPresets.CPO_800G, 2));
        assertEquals("switch 's' uses 3 ports, more than its radix 2", e.getMessage());
        Topology.Builder b = new Topology.Builder("dup");
        b.addGpu("x", -1);
        e = assertThrows(TopologyException.class, () -> b.addSwitch("x", 1, "leaf", SwitchParams.packet(4)));
        assertEquals("duplicate node id 'x'", e.getMessage());
    }

    @Test
    void shouldFindGpusThatCannotReachEachOther() {
        Topology.Builder b = new Topology.Builder("islands");
        int g0 = b.addGpu("g0", -1);
        int g1 = b.addGpu("g1", -1);
        int g2 = b.addGpu("g2", -1);
        int s0 = b.addSwitch("s0", 1, "leaf", SwitchParams.packet(4));
        int s1 = b.addSwitch("s1", 1, "leaf", SwitchParams.packet(4));
        LinkModel m = LinkPresets.PLUGGABLE_DSP_800G;
        b.connect(g0, s0, m, m, 1, 1);
        b.connect(g1, s0, m, m, 1, 1);
        b.connect(g2, s1, m, m, 1, 1);
        b.connect(g1, g2, LinkPresets.NVLINK4, LinkPresets.NVLINK4, 1, 1);
        // g1-g2 are adjacent, but g0-g2 would have to transit g1
        assertArrayEquals(new int[] {0, 2}, b.build().firstUnroutableGpuPair());
        b.connect(s0, s1, m, m, 1, 1);
        assertNull(b.build().firstUnroutableGpuPair());
    }

    @Test
    void shouldKeepExceptionMessagesOnOneLine() {
        assertEquals("a b c", new TopologyException("a\n  b\r\nc").getMessage());
        assertEquals("f", new TopologyException("x", "f").field());
    }
}

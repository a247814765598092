package io.collemu.topology.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.LinkPresets;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import io.collemu.topology.route.PathAssertions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologySpecsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "foo:gpus=8 | unknown builder 'foo'",
        "single-switch:gpus=8,colour=red | unknown parameter 'colour'",
        "leaf-spine:leaves=4 | missing required parameter 'hosts-per-leaf'",
        "fat-tree | missing required parameter 'k'",
        "fat-tree:k=5 | parameter 'k' must be even",
        "fat-tree:k=0 | parameter 'k' must be in 2..128",
        "fat-tree:k=abc | parameter 'k' must be an integer",
        "single-switch:gpus=-3 | parameter 'gpus' must be in 1..",
        "single-switch:gpus=8,link=cpo-9t | unknown link model 'cpo-9t'",
        "single-switch:gpus | parameter 'gpus' has no value",
        "single-switch:gpus=8,gpus=9 | parameter 'gpus' given twice",
        "single-switch:gpus=100,link=nvlink4,radix=64 | more ports than radix 64",
        "leaf-spine:leaves=4,hosts-per-leaf=8,oversubscription=0 | parameter 'oversubscription' must be in",
        "rail-optimized:gpus=16,switch-latency-ns=-1 | parameter 'switch-latency-ns' must be in",
        "rail-optimized:gpus=16,cable-m=x | parameter 'cable-m' must be a number"})
    void shouldRejectBadSpecsWithOneLineNamingTheProblem(String spec, String expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologySpecs.parse(spec));
        assertTrue(e.getMessage().startsWith("spec '" + spec.trim() + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void shouldBuildNvswitchDomain() {
        Topology t = TopologySpecs.parse("single-switch:gpus=8,link=nvlink4");
        assertEquals(9, t.nodeCount());
        int sw = t.nodeByName("nvswitch0");
        assertEquals("nvswitch", t.tierName(sw));
        assertEquals(1, t.tier(sw));
        assertEquals(8, t.radix(sw));
        assertEquals(100_000, t.switchLatencyPs(sw));
        int port = t.portOf(t.gpuNode(0), 0);
        assertEquals(3_600_000_000_000L, t.portRateBps(port), "450 GB/s each way");
        assertEquals(LinkTechnology.NVLINK, t.portNearEnd(port).technology());
        assertEquals(1.0, t.portCableMetres(port));
        assertEquals(10_000 + 10_000 + 5_000, t.portLinkLatencyPs(port), "2 x PHY + 1 m");
        assertEquals(Long.MAX_VALUE, t.ingressBufferBytes(t.gpuNode(0)));
        assertEquals(0, t.switchLatencyPs(t.gpuNode(0)));
        PathAssertions.assertAllPairsRoutable(t);
    }

    @Test
    void shouldApplyOverridesOverSpecParameters() {
        Topology t = TopologySpecs.parse("leaf-spine:leaves=2,hosts-per-leaf=4,link=pluggable-dsp-800g",
                Map.of("link", "cpo-1.6t"));
        int gpuPort = t.portOf(t.gpuNode(0), 0);
        assertEquals(LinkPresets.PLUGGABLE_DSP_1_6T, t.portNearEnd(gpuPort), "hybrid NIC end");
        assertEquals(LinkPresets.CPO_1_6T, t.portFarEnd(gpuPort));
        assertEquals(LinkPresets.CPO_1_6T, t.portNearEnd(t.portReverse(gpuPort)));
        assertTrue(t.spec().contains("link=cpo-1.6t"), t.spec());
        // hybrid latency: DSP PHY 25 ns + CPO PHY 5 ns + FEC 100 ns + 3 m x 5 ns
        assertEquals(25_000 + 5_000 + 100_000 + 15_000, t.portLinkLatencyPs(gpuPort));
        int leaf = t.nodeByName("leaf0");
        int spinePort = -1;
        for (int i = 0; i < t.portCountOf(leaf); i++) {
            if (t.tierName(t.portPeer(t.portOf(leaf, i))).equals("spine")) {
                spinePort = t.portOf(leaf, i);
            }
        }
        assertEquals(LinkPresets.CPO_1_6T, t.portNearEnd(spinePort));
        assertEquals(LinkPresets.CPO_1_6T, t.portFarEnd(spinePort));
        assertEquals(5_000 + 5_000 + 100_000 + 150_000, t.portLinkLatencyPs(spinePort), "30 m at 5 ns/m");
        assertEquals(145_000, t.minLinkLatencyPs());
    }

    @Test
    void shouldListEveryBuilderInUsage() {
        String usage = String.join("\n", Builders.builderUsage());
        for (String b : Builders.builderNames()) {
            assertTrue(usage.contains(b + ":"), b);
        }
    }

    @Test
    void shouldReportMissingYamlFile() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologySpecs.parse("/no/such/file.yaml"));
        assertEquals("topology file not found: /no/such/file.yaml", e.getMessage());
    }
}

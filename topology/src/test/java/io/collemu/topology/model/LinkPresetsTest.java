package io.collemu.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkPresetsTest {

    @Test
    void shouldOfferEveryPresetTheIssueNames() {
        assertEquals(List.of("pluggable-dsp-400g", "pluggable-dsp-800g", "pluggable-dsp-1.6t", "lpo-800g", "lpo-1.6t",
                "cpo-800g", "cpo-1.6t", "cpo-3.2t", "nvlink4", "nvlink5"), List.copyOf(LinkPresets.names()));
        assertEquals(10, LinkPresets.all().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "pluggable-dsp-400g, 400000000000, 8.5",
        "pluggable-dsp-800g, 800000000000, 17",
        "pluggable-dsp-1.6t, 1600000000000, 30",
        "lpo-800g, 800000000000, 8.5",
        "lpo-1.6t, 1600000000000, 17",
        "cpo-800g, 800000000000, 4.5",
        "cpo-1.6t, 1600000000000, 9",
        "cpo-3.2t, 3200000000000, 18",
        "nvlink4, 3600000000000, 0",
        "nvlink5, 7200000000000, 0"})
    void shouldCarrySourcedRateAndFullLoadPower(String name, long rateBps, double fullLoadWatts) {
        LinkModel m = LinkPresets.get(name);
        assertEquals(rateBps, m.rateBps());
        assertEquals(fullLoadWatts, m.loadedWatts(), 1e-9);
        assertEquals(fullLoadWatts * LinkPresets.ASSUMED_STATIC_FRACTION, m.idleWatts(), 1e-9);
        assertEquals(fullLoadWatts / (rateBps * 1e-12), m.pjPerBitAtFullLoad(), 1e-9);
    }

    @Test
    void shouldOrderTechnologiesAsTheSourcesDo() {
        double dsp = LinkPresets.PLUGGABLE_DSP_1_6T.pjPerBitAtFullLoad();
        double lpo = LinkPresets.LPO_1_6T.pjPerBitAtFullLoad();
        double cpo = LinkPresets.CPO_1_6T.pjPerBitAtFullLoad();
        assertEquals(18.75, dsp, 1e-9);
        assertEquals(5.625, cpo, 1e-9);
        assertTrue(cpo < lpo && lpo < dsp);
        assertTrue(LinkPresets.CPO_1_6T.phyLatencyPs() < LinkPresets.PLUGGABLE_DSP_1_6T.phyLatencyPs());
        assertTrue(LinkPresets.CPO_1_6T.hardFailuresPerEndHour()
                < LinkPresets.PLUGGABLE_DSP_1_6T.hardFailuresPerEndHour());
        assertEquals(0.0, LinkPresets.NVLINK4.pjPerBit(), "NVLink is copper: no optics");
        assertEquals(LinkTechnology.NVLINK, LinkPresets.NVLINK5.technology());
        assertEquals(5_000, LinkPresets.CPO_800G.propagationPsPerMetre());
        assertEquals(100_000, LinkPresets.LPO_800G.fecLatencyPs());
    }

    @Test
    void shouldNameUnknownPresetAndListKnownOnes() {
        TopologyException e = assertThrows(TopologyException.class, () -> LinkPresets.get("cpo-6.4t"));
        assertTrue(e.getMessage().startsWith("unknown link model 'cpo-6.4t' (known: pluggable-dsp-400g"),
                e.getMessage());
        assertTrue(e.getMessage().contains("nvlink5"));
    }

    @Test
    void shouldRejectImpossibleFieldsAndKeepWithersConsistent() {
        LinkModel m = LinkPresets.CPO_1_6T;
        assertThrows(TopologyException.class, () -> m.withRateBps(0));
        assertThrows(TopologyException.class, () -> m.withRateBps(-1));
        assertThrows(TopologyException.class, () -> m.withPhyLatencyPs(-1));
        assertThrows(TopologyException.class, () -> m.withPjPerBit(Double.NaN));
        assertThrows(TopologyException.class, () -> m.withPreFecBer(2));
        LinkModel faster = m.withPhyLatencyPs(3_000).withName("my-cpo");
        assertEquals("my-cpo", faster.name());
        assertEquals(3_000, faster.phyLatencyPs());
        assertEquals(m.rateBps(), faster.rateBps());
        assertEquals(m.idleWatts(), faster.idleWatts());
    }
}

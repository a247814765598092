package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.PortStats;
import io.collemu.results.PortRecord;
import io.collemu.topology.model.Topology;
import io.collemu.topology.yaml.TopologyYamlLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Optics energy: per-port bytes x pJ/bit, and proportional to pJ/bit for the same traffic. */
class EnergyTest {

    @Test
    void shouldChargeBytesTimesPicojoulesPerBitOnEveryLinkEnd() {
        Fabric f = TestRuns.fabric("leaf-spine:leaves=2,spines=1,hosts-per-leaf=4,link=lpo-800g,oversubscription=4");
        SizeRun run = TestRuns.sweepStep(f, CollectiveKind.ALL_TO_ALL, "direct", 4L << 20, 64 << 10);
        Topology t = f.topology();
        List<PortRecord> ports = EnergyAccount.portRecords(t, run.result().portsById(), run.result().durationPs());
        double expected = 0;
        long bytes = 0;
        for (int p = 0; p < t.portCount(); p++) {
            PortStats s = run.result().portsById()[p];
            long b = s == null ? 0 : s.bytesSent();
            bytes += b;
            expected += b * 8.0 * (t.portNearEnd(p).pjPerBit() + t.portFarEnd(p).pjPerBit()) / 2 * 1e-12;
        }
        assertTrue(bytes > 0);
        assertEquals(expected, EnergyAccount.dynamicJoules(ports), expected * 1e-12);
        double idle = 0;
        for (int p = 0; p < t.portCount(); p++) {
            idle += t.portNearEnd(p).idleWatts() * run.result().durationPs() * 1e-12;
        }
        assertEquals(expected + idle, EnergyAccount.totalJoules(ports), (expected + idle) * 1e-12);
    }

    @Test
    void shouldGiveAThirdOfTheDynamicEnergyForAThirdOfThePicojoulesPerBit() {
        String base = "builder: leaf-spine\nparams: {leaves: 2, spines: 1, hosts-per-leaf: 4, link: base, "
                + "oversubscription: 4}\nlinkModels:\n  base: {base: lpo-800g, pjPerBit: 9.0}\n";
        String third = base.replace("pjPerBit: 9.0", "pjPerBit: 3.0");
        Topology a = TopologyYamlLoader.load(base, "base.yaml", Map.of());
        Topology b = TopologyYamlLoader.load(third, "third.yaml", Map.of());
        SizeRun ra = TestRuns.sweepStep(new Fabric(a), CollectiveKind.ALL_REDUCE, "ring", 8L << 20, 64 << 10);
        SizeRun rb = TestRuns.sweepStep(new Fabric(b), CollectiveKind.ALL_REDUCE, "ring", 8L << 20, 64 << 10);
        assertEquals(ra.result().durationPs(), rb.result().durationPs(), "same traffic, same timing");
        double ea = EnergyAccount.dynamicJoules(EnergyAccount.portRecords(a, ra.result().portsById(),
                ra.result().durationPs()));
        double eb = EnergyAccount.dynamicJoules(EnergyAccount.portRecords(b, rb.result().portsById(),
                rb.result().durationPs()));
        assertTrue(ea > 0);
        assertEquals(1.0 / 3, eb / ea, 1e-9);
    }

    @Test
    void shouldMergeEveryLpHistogramWithoutLosingACount() {
        Fabric f = TestRuns.fabric("rail-optimized:gpus=16,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t");
        SizeRun run = TestRuns.sweepStep(f, CollectiveKind.ALL_TO_ALL, "pairwise", 2L << 20, 64 << 10);
        assertEquals(run.result().segmentsDelivered(), run.result().latencyNs().getTotalCount());
        long perLp = 0;
        for (var rep : run.result().reports()) {
            if (rep.latencyNs() != null) {
                perLp += rep.latencyNs().getTotalCount();
            }
        }
        assertEquals(perLp, run.result().latencyNs().getTotalCount());
    }
}

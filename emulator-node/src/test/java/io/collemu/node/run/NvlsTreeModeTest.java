package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.node.actor.Grouping;
import io.collemu.node.lp.PortStats;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.RoutingMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NVLSTree in the nccl mode (NVIDIA/nccl v2.30.7-1): NCCL's tuner picks it for all-reduce across H100 servers from
 * 16 MiB; the emulation carries S/G per NIC and direction on two servers, agrees with NCCL's model where bandwidth
 * dominates, and is identical on every engine.
 */
class NvlsTreeModeTest {
    private static final String TWO = NcclModeTest.rail(2, "pluggable-dsp-400g");
    private static final String SIXTEEN = NcclModeTest.rail(16, "pluggable-dsp-800g");

    @Test
    void shouldPickNvlsTreeAcrossServersFromSixteenMebibytes() {
        for (String spec : List.of(TWO, SIXTEEN)) {
            List<SizeRun> steps = NcclModeTest.run(spec, CollectiveKind.ALL_REDUCE, "auto", "auto",
                    List.of(1L << 20, 16L << 20), 1 << 20).steps();
            assertEquals("Tree", steps.get(0).choice().algorithm(), spec + " at 1 MiB");
            assertEquals("NVLSTree/Simple/16", steps.get(1).choice().algorithm() + "/" + steps.get(1).choice()
                    .protocol() + "/" + steps.get(1).choice().channels(), spec + " at 16 MiB");
            assertTrue(steps.get(1).choice().ncclPick().isEmpty(), "what runs is NCCL's own pick");
        }
    }

    /**
     * Within 10% of NCCL's model at the default 64 KiB segments: on 2 servers from 64 MiB (6.4%; 1.9% at 256 MiB,
     * 0.5% at 1 GiB), on 16 from 256 MiB (4.4%, 1.2% at 1 GiB). Below, the tree's round trip and the pipeline's drain
     * come on top of NCCL's latency: 13% above the model at 16 MiB on 2 servers, 13-17% at 16-64 MiB on 16 (issue
     * 12's note).
     */
    @Test
    void shouldAgreeWithNcclsModelWhereBandwidthDominates() {
        for (String spec : List.of(TWO, SIXTEEN)) {
            List<Long> sizes = spec.equals(TWO) ? List.of(64L << 20, 256L << 20, 1L << 30)
                    : List.of(256L << 20, 1L << 30);
            for (SizeRun r : NcclModeTest.run(spec, CollectiveKind.ALL_REDUCE, "nvlstree", "auto", sizes, 64 << 10)
                    .steps()) {
                double model = r.choice().modelUs();
                double emulated = NcclModeTest.emulatedUs(r);
                assertEquals(model, emulated, 0.10 * model, spec + " NVLSTree at " + r.sizeBytes() + " B");
            }
        }
    }

    /**
     * Two servers: per channel pair each head sends its chunk up once (tree 0 or 1) and down once, so every NIC link
     * carries S / G per direction (in wire bytes: the GPU's PCIe path, 48 GB/s, caps a 400G NIC's 50).
     */
    @Test
    void shouldCarryOneGthOfTheDataOnEveryNic() {
        long size = 256L << 20;
        SizeRun r = NcclModeTest.run(TWO, CollectiveKind.ALL_REDUCE, "nvlstree", "auto", List.of(size), 1 << 20)
                .steps().get(0);
        Topology t = new TopologySource(TWO, null, true, null, RoutingMode.ECMP).parse();
        PortStats[] ports = r.result().portsById();
        int nics = 0;
        for (int p = 0; p < t.portCount(); p++) {
            if (t.isGpu(t.portOwner(p)) && t.nodeName(t.portPeer(p)).contains("leaf")) {
                // payload per wire byte: the PCIe path binds before RoCE framing (48 GB/s of a 50 GB/s line)
                double efficiency = Math.min(t.portDataEfficiency(p), 48e9 * 8 / t.portRateBps(p));
                double expected = size / 8.0 / efficiency;
                assertEquals(expected, ports[p].bytesSent(), 0.01 * expected, "NIC port " + p);
                nics++;
            }
        }
        assertEquals(16, nics);
    }

    @Test
    void shouldGiveIdenticalResultsOnEveryEngine() throws IOException {
        List<Long> sizes = List.of(16L << 20, 20L << 20 | 12345);
        List<String> oracle = fingerprints(Runner.run(NcclModeTest.settings(TWO, CollectiveKind.ALL_REDUCE,
                "nvlstree", "auto", sizes, 64 << 10, EngineKind.SEQUENTIAL, 1, Grouping.Mode.SWITCH),
                RunListener.NONE));
        for (Grouping.Mode mode : Grouping.Mode.values()) {
            List<String> actors = fingerprints(Runner.run(NcclModeTest.settings(TWO, CollectiveKind.ALL_REDUCE,
                    "nvlstree", "auto", sizes, 64 << 10, EngineKind.ACTORS, 2, mode), RunListener.NONE));
            Fingerprint.assertSame(oracle, actors, "NVLSTree, actors " + mode);
        }
    }

    private static List<String> fingerprints(RunResult r) {
        List<String> out = new ArrayList<>();
        for (SizeRun s : ((RunResult.Sweep) r).steps()) {
            out.addAll(Fingerprint.of(s.result()));
        }
        return out;
    }
}

package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.node.actor.Grouping;
import io.collemu.node.lp.PortStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NVLS in the nccl mode (NVIDIA/nccl v2.30.7-1): where NCCL's tuner picks it, that the in-switch reduction and
 * multicast cut what each GPU's link carries to {@code (n+1)/n x S} at NCCL's NVLS efficiency, its agreement with
 * NCCL's model, and identical results on every engine.
 */
class NvlsModeTest {
    private static final String NVL4 = "single-switch:gpus=4,link=nvlink4";

    @Test
    void shouldPickNvlsWhereNcclsTunerDoesAndNotAcrossServers() {
        RunResult.Sweep one = NcclModeTest.run(NcclModeTest.NVL8, CollectiveKind.ALL_REDUCE, "auto", "auto",
                List.of(1L << 20, 16L << 20, 256L << 20), 1 << 20);
        assertEquals("Ring", one.steps().get(0).choice().algorithm());
        assertEquals("NVLS/Simple/16", choice(one.steps().get(1)));
        assertEquals("NVLS/Simple/16", choice(one.steps().get(2)));
        RunResult.Sweep two = NcclModeTest.run(NcclModeTest.rail(2, "pluggable-dsp-400g"), CollectiveKind.ALL_REDUCE,
                "auto", "auto", List.of(256L << 20), 1 << 20);
        assertEquals("NVLSTree", two.steps().get(0).choice().algorithm(),
                "across servers NCCL runs NVLSTree (NVLS alone there needs CollNet)");
        UserError e = assertThrows(UserError.class, () -> NcclModeTest.run(NcclModeTest.rail(2,
                "pluggable-dsp-400g"), CollectiveKind.ALL_REDUCE, "nvls", "auto", List.of(1L << 20), 1 << 20));
        assertTrue(e.getMessage().startsWith("--algorithm nvls: "), e.getMessage());
    }

    private static String choice(SizeRun r) {
        return r.choice().algorithm() + "/" + r.choice().protocol() + "/" + r.choice().channels();
    }

    @Test
    void shouldCarryNPlusOneOverNOfTheDataPerLinkAtNvlsEfficiency() {
        long size = 64L << 20;
        int n = 8;
        SizeRun nvls = NcclModeTest.run(NcclModeTest.NVL8, CollectiveKind.ALL_REDUCE, "nvls", "auto",
                List.of(size), 1 << 20).steps().get(0);
        SizeRun ring = NcclModeTest.run(NcclModeTest.NVL8, CollectiveKind.ALL_REDUCE, "ring", "Simple",
                List.of(size), 1 << 20).steps().get(0);
        // ring: 2(n-1)/n x S per link; NVLS: (n+1)/n x S in lines of 85 data bytes per 100 (nvlsEfficiency, SM90)
        double expected = (n + 1) * 100.0 / (85.0 * 2 * (n - 1));
        PortStats[] a = nvls.result().portsById();
        PortStats[] b = ring.result().portsById();
        assertEquals(2 * n, a.length);
        for (int p = 0; p < a.length; p++) {
            double ratio = (double) a[p].bytesSent() / b[p].bytesSent();
            assertEquals(expected, ratio, 0.005 * expected, "port " + p + ": NVLS / ring bytes");
        }
    }

    /**
     * Within 10% of NCCL's model (never below it) on 2, 4 and 8 GPUs from 8 B to 1 GiB, the bound, and faster
     * than the ring from 16 MiB, where NCCL's tuner picks NVLS. Measured: at most +4.3% (256 KiB on 8 GPUs).
     */
    @Test
    void shouldAgreeWithNcclsModelFromEightBytesAndBeatTheRing() {
        List<Long> sizes = List.of(8L, 64L << 10, 256L << 10, 1L << 20, 4L << 20, 16L << 20, 32L << 20, 256L << 20,
                1L << 30);
        for (int gpus : new int[] {2, 4, 8}) {
            String topology = "single-switch:gpus=" + gpus + ",link=nvlink4";
            List<SizeRun> nvls = NcclModeTest.run(topology, CollectiveKind.ALL_REDUCE, "nvls", "auto", sizes,
                    1 << 20).steps();
            for (SizeRun r : nvls) {
                double model = r.choice().modelUs();
                double emulated = NcclModeTest.emulatedUs(r);
                assertTrue(emulated >= model && emulated < 1.10 * model, gpus + " GPUs at " + r.sizeBytes()
                        + " B: model " + model + " us, emulated " + emulated + " us");
            }
        }
        List<Long> large = List.of(16L << 20, 256L << 20);
        List<SizeRun> nvls = NcclModeTest.run(NcclModeTest.NVL8, CollectiveKind.ALL_REDUCE, "nvls", "auto", large,
                1 << 20).steps();
        List<SizeRun> ring = NcclModeTest.run(NcclModeTest.NVL8, CollectiveKind.ALL_REDUCE, "ring", "Simple", large,
                1 << 20).steps();
        for (int i = 0; i < large.size(); i++) {
            assertTrue(NcclModeTest.emulatedUs(nvls.get(i)) < NcclModeTest.emulatedUs(ring.get(i)), "8 GPUs at "
                    + large.get(i) + " B: NVLS " + NcclModeTest.emulatedUs(nvls.get(i)) + " us against the ring's "
                    + NcclModeTest.emulatedUs(ring.get(i)));
        }
    }

    @Test
    void shouldRefuseAnNvlinkDomainLargerThanTheModelWithOneLine() {
        UserError e = assertThrows(UserError.class, () -> NcclModeTest.run("single-switch:gpus=72,link=nvlink5",
                CollectiveKind.ALL_REDUCE, "auto", "auto", List.of(1L << 20), 1 << 20));
        assertTrue(e.getMessage().startsWith("--fidelity nccl: 72 GPUs share one server or NVLink domain"),
                e.getMessage());
    }

    @Test
    void shouldGiveIdenticalResultsOnEveryEngine() throws IOException {
        List<Long> sizes = List.of(8L, 1L << 20, 8L << 20, 32L << 20);
        List<String> oracle = fingerprints(Runner.run(NcclModeTest.settings(NcclModeTest.NVL8,
                CollectiveKind.ALL_REDUCE, "auto", "auto", sizes, 64 << 10, EngineKind.SEQUENTIAL, 1,
                Grouping.Mode.SWITCH), RunListener.NONE));
        for (Grouping.Mode mode : Grouping.Mode.values()) {
            for (int threads : new int[] {2, 3}) {
                List<String> actors = fingerprints(Runner.run(NcclModeTest.settings(NcclModeTest.NVL8,
                        CollectiveKind.ALL_REDUCE, "auto", "auto", sizes, 64 << 10, EngineKind.ACTORS, threads, mode),
                        RunListener.NONE));
                Fingerprint.assertSame(oracle, actors, "NVLS, actors " + mode + " x " + threads);
            }
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

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
     * Within 10% of NCCL's model on 4 GPUs from 16 MiB and on 8 from 32 MiB; at 16 MiB on 8 GPUs (4 loops of 32 KiB
     * chunks per channel) the last head's multicast trails its loop's contributions and the run is 10.6% above the
     * model (a known residual, see issue 12's note), still faster than the ring.
     */
    @Test
    void shouldAgreeWithNcclsModelAndBeatTheRing() {
        for (SizeRun r : NcclModeTest.run(NVL4, CollectiveKind.ALL_REDUCE, "nvls", "auto",
                List.of(16L << 20, 256L << 20), 1 << 20).steps()) {
            double model = r.choice().modelUs();
            double emulated = NcclModeTest.emulatedUs(r);
            assertEquals(model, emulated, 0.10 * model, "4 GPUs NVLS at " + r.sizeBytes() + " B");
        }
        List<Long> sizes = List.of(16L << 20, 32L << 20, 256L << 20, 1L << 30);
        List<SizeRun> nvls = NcclModeTest.run(NcclModeTest.NVL8, CollectiveKind.ALL_REDUCE, "nvls", "auto", sizes,
                1 << 20).steps();
        List<SizeRun> ring = NcclModeTest.run(NcclModeTest.NVL8, CollectiveKind.ALL_REDUCE, "ring", "Simple", sizes,
                1 << 20).steps();
        for (int i = 0; i < sizes.size(); i++) {
            double model = nvls.get(i).choice().modelUs();
            double emulated = NcclModeTest.emulatedUs(nvls.get(i));
            assertTrue(emulated < NcclModeTest.emulatedUs(ring.get(i)), "8 GPUs: NVLS " + emulated
                    + " us against the ring's " + NcclModeTest.emulatedUs(ring.get(i)));
            double tolerance = sizes.get(i) < 32L << 20 ? 0.12 : 0.10;
            assertTrue(emulated >= model && emulated < (1 + tolerance) * model, "8 GPUs at " + sizes.get(i)
                    + " B: model " + model + " us, emulated " + emulated + " us");
        }
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

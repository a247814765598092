package io.collemu.collectives.nccl;

import static io.collemu.collectives.nccl.NcclAlgorithm.NVLS_TREE;
import static io.collemu.collectives.nccl.NcclAlgorithm.RING;
import static io.collemu.collectives.nccl.NcclAlgorithm.TREE;
import static io.collemu.collectives.nccl.NcclAssert.assertRel;
import static io.collemu.collectives.nccl.NcclFunction.ALL_REDUCE;
import static io.collemu.collectives.nccl.NcclProtocol.LL;
import static io.collemu.collectives.nccl.NcclProtocol.LL128;
import static io.collemu.collectives.nccl.NcclProtocol.SIMPLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every number of the spec's worked example (section 10): 2 x 8 H100, 8 x 400G per node, Intel. */
class NcclWorkedExampleTest {

    private static final NcclTuner NVLS = new NcclTuner(NcclAssert.workedExample());
    private static final NcclTuner NO_NVLS = new NcclTuner(NcclAssert.workedExample().withNvlsSupport(false));
    private static final long MIB = 1 << 20;

    @ParameterizedTest(name = "{0}/{1}: busBw {2}, algBw {3}")
    @CsvSource({
        "RING, LL, 39.0, 20.8",
        "RING, LL128, 293.6, 156.5867",
        "RING, SIMPLE, 384.0, 204.8",
        "TREE, LL, 33.15, 16.575",
        "TREE, LL128, 249.56, 124.78",
        "TREE, SIMPLE, 281.52, 140.76",
        "NVLS_TREE, SIMPLE, 461.6, 246.1867",
    })
    void shouldGiveTheBandwidthsOfSection10_2(NcclAlgorithm a, NcclProtocol p, double busGBps, double algGBps) {
        assertRel(busGBps, NVLS.busBandwidthGBps(ALL_REDUCE, a, p), a + "/" + p + " busBw");
        assertRel(algGBps, NVLS.bandwidthGBps(ALL_REDUCE, a, p), a + "/" + p + " algBw");
    }

    @ParameterizedTest(name = "{0}/{1}: {2} us")
    @CsvSource({
        "RING, LL, 40.0",
        "RING, LL128, 75.2",
        "RING, SIMPLE, 131.6",
        "TREE, LL, 25.2",
        "TREE, LL128, 48.5",
        "TREE, SIMPLE, 92.4",
        "NVLS_TREE, SIMPLE, 66.8",
    })
    void shouldGiveTheLatenciesOfSection10_3(NcclAlgorithm a, NcclProtocol p, double us) {
        assertRel(us, NVLS.latencyUs(ALL_REDUCE, a, p), a + "/" + p + " latency");
    }

    @Test
    void shouldApplyTheRingPlateauFrom16KiB() {
        // nBytes / (16 channels * 16 ranks) >= 64 from 16384 B: latency 131.6 x 1.4 = 184.24 (spec 10.3)
        assertRel(131.6 + 16383 / 204800.0, NO_NVLS.timeUs(ALL_REDUCE, RING, SIMPLE, 16383), "16383 B");
        assertRel(184.24 + 16384 / 204800.0, NO_NVLS.timeUs(ALL_REDUCE, RING, SIMPLE, 16384), "16384 B");
    }

    @ParameterizedTest(name = "{0}/{1} at {2} B: {3} us")
    @CsvSource({
        "RING, LL, 8, 40.0004", "RING, LL, 1048576, 90.4123",
        "RING, LL, 67108864, 3266.388", "RING, LL, 1073741824, 51662.20",
        "RING, LL128, 8, 75.2001", "RING, LL128, 1048576, 81.8964",
        "RING, LL128, 67108864, 503.773", "RING, LL128, 1073741824, 6932.37",
        "RING, SIMPLE, 8, 131.6000", "RING, SIMPLE, 1048576, 189.36",
        "RING, SIMPLE, 67108864, 511.92", "RING, SIMPLE, 1073741824, 5427.12",
        "TREE, LL, 8, 25.2005", "TREE, LL, 1048576, 151.725",
        "TREE, LL, 67108864, 4074.00", "TREE, LL, 1073741824, 64806.0",
        "TREE, LL128, 8, 48.5001", "TREE, LL128, 1048576, 62.5057",
        "TREE, LL128, 67108864, 646.075", "TREE, LL128, 1073741824, 8653.58",
        "TREE, SIMPLE, 8, 92.4001", "TREE, SIMPLE, 1048576, 107.299",
        "TREE, SIMPLE, 67108864, 688.351", "TREE, SIMPLE, 1073741824, 7720.57",
        "NVLS_TREE, SIMPLE, 8, 66.8000", "NVLS_TREE, SIMPLE, 1048576, 71.0593",
        "NVLS_TREE, SIMPLE, 67108864, 339.393", "NVLS_TREE, SIMPLE, 1073741824, 4428.29",
    })
    void shouldGiveTheTimesOfSection10_4(NcclAlgorithm a, NcclProtocol p, long nBytes, double us) {
        assertRel(us, NVLS.timeUs(ALL_REDUCE, a, p, nBytes), a + "/" + p + " at " + nBytes);
    }

    @ParameterizedTest(name = "{0} B without NVLS: {1}/{2} {3} us, {4} channels, {5} threads")
    @CsvSource({
        "8, TREE, LL, 25.2005, 1, 640",
        "1048576, TREE, LL128, 62.5057, 16, 640",
        "67108864, RING, LL128, 503.773, 16, 640",
        "1073741824, RING, SIMPLE, 5427.12, 16, 544",
    })
    void shouldSelectWithoutNvlsSupport(long nBytes, NcclAlgorithm a, NcclProtocol p, double us, int channels,
                                        int threads) {
        NcclChoice c = NO_NVLS.choose(ALL_REDUCE, nBytes);
        assertEquals(a, c.algorithm());
        assertEquals(p, c.protocol());
        assertRel(us, c.predictedUs(), "predicted time");
        assertEquals(channels, c.channels(), "channels (spec 10.5)");
        assertEquals(threads, c.threads(), "threads (spec 10.5)");
        assertEquals(-1, c.timeUs(NVLS_TREE, SIMPLE), "NVLSTree is not eligible without NVLS support");
    }

    @ParameterizedTest(name = "{0} B with NVLS: {1}/{2} {3} us, {4} channels")
    @CsvSource({
        "8, TREE, LL, 25.2005, 1",
        "1048576, TREE, LL128, 62.5057, 16",
        "67108864, NVLS_TREE, SIMPLE, 339.393, 16",
        "1073741824, NVLS_TREE, SIMPLE, 4428.29, 16",
    })
    void shouldSelectWithNvlsSupport(long nBytes, NcclAlgorithm a, NcclProtocol p, double us, int channels) {
        NcclChoice c = NVLS.choose(ALL_REDUCE, nBytes);
        assertEquals(a, c.algorithm());
        assertEquals(p, c.protocol());
        assertRel(us, c.predictedUs(), "predicted time");
        assertEquals(channels, c.channels(), "channels (spec 10.5)");
    }

    @Test
    void shouldKeepTheMaximumChannelsAndThreadsOfSection10_5() {
        // 8 B Tree/LL: 4096 > 8 -> nc 1; threads 512 -> 64, then Tree forces 640
        assertEquals(1, NVLS.channelsAndThreads(TREE, LL, 8)[0]);
        assertEquals(16, NVLS.channelsAndThreads(TREE, LL128, MIB)[0]);
        assertEquals(16, NVLS.channelsAndThreads(NVLS_TREE, SIMPLE, 64 * MIB)[0], "nvlsChannels");
        assertEquals(544, NVLS.channelsAndThreads(RING, SIMPLE, 1L << 30)[1], "512 + a sync warp");
    }

    @Test
    void shouldPredictTheBusBandwidthOfSection10_4() {
        long s = 1L << 30;
        double busbw = s / (NO_NVLS.choose(ALL_REDUCE, s).predictedUs() * 1e3) * 2 * 15 / 16;
        assertEquals(370.96, busbw, 0.01, "Ring/Simple 1 GiB busbw");
        double nvls = s / (NVLS.choose(ALL_REDUCE, s).predictedUs() * 1e3) * 2 * 15 / 16;
        assertEquals(454.6, nvls, 0.05, "NVLSTree 1 GiB busbw");
    }

    @Test
    void shouldDeriveTheWorkedExampleSystemFromTheMachine() {
        assertEquals(NcclAssert.workedExample(), NcclSystem.derive(NcclMachine.hgx(2, 90, 8, 50.0)));
    }
}

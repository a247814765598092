package io.collemu.collectives.nccl;

import static io.collemu.collectives.nccl.NcclAssert.assertRel;
import static io.collemu.collectives.nccl.NcclFunction.ALL_REDUCE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spec's single-node cross-check (section 10.6) and the 3-node log line of section 9. */
class NcclSingleNodeTest {

    private static final NcclTuner ONE_NODE = new NcclTuner(NcclAssert.singleNode());

    @ParameterizedTest(name = "{0}/{1}: busBw {2}, latency {3}")
    @CsvSource({
        "RING, LL, 141.0, 15.0",
        "RING, LL128, 331.2, 40.6",
        "RING, SIMPLE, 360.0, 56.0",
        "TREE, LL, 87.158, 15.2",
        "TREE, LL128, 257.6, 31.5",
        "TREE, SIMPLE, 331.2, 64.4",
        "NVLS, SIMPLE, 476.0, 25.0",
    })
    void shouldMatchTheSingleNodeCrossCheck(NcclAlgorithm a, NcclProtocol p, double busGBps, double us) {
        assertRel(busGBps, ONE_NODE.busBandwidthGBps(ALL_REDUCE, a, p), a + "/" + p + " busBw");
        assertRel(us, ONE_NODE.latencyUs(ALL_REDUCE, a, p), a + "/" + p + " latency");
    }

    // The spec prints 271.72 for 64 MiB; 25 + 67108864 / 272000 = 271.7237 (the spec rounds to 5 digits).
    @ParameterizedTest(name = "{0} B: {1}/{2} {3} us")
    @CsvSource({
        "8, RING, LL, 15.000",
        "1048576, RING, LL, 28.014",
        "67108864, NVLS, SIMPLE, 271.7237",
        "1073741824, NVLS, SIMPLE, 3972.58",
    })
    void shouldPickLikeTheSingleNodeCrossCheck(long nBytes, NcclAlgorithm a, NcclProtocol p, double us) {
        NcclChoice c = ONE_NODE.choose(ALL_REDUCE, nBytes);
        assertEquals(a, c.algorithm());
        assertEquals(p, c.protocol());
        assertRel(us, c.predictedUs(), "predicted time");
    }

    @Test
    void shouldPutNvlsJustBehindRingLlAtOneMebibyte() {
        assertRel(28.855, ONE_NODE.timeUs(ALL_REDUCE, NcclAlgorithm.NVLS, NcclProtocol.SIMPLE, 1 << 20), "NVLS 1 MiB");
        assertRel(272.0, ONE_NODE.bandwidthGBps(ALL_REDUCE, NcclAlgorithm.NVLS, NcclProtocol.SIMPLE), "NVLS algBw");
    }

    @Test
    void shouldPrintTheThreeNodeLogLineOfIssue1453() {
        // spec 9: "128 Bytes -> Algo 0 proto 0 time 25.214764" is Tree/LL on 3 nodes x 8 GPUs, Intel
        NcclTuner tuner = new NcclTuner(NcclSystem.derive(NcclMachine.hgx(3, 90, 8, 50)));
        NcclChoice c = tuner.choose(ALL_REDUCE, 128);
        assertEquals("128 Bytes -> Algo 0 proto 0 time 25.214764", NcclTuningTable.traceLine(c, 128));
        assertRel(8.67, tuner.bandwidthGBps(ALL_REDUCE, NcclAlgorithm.TREE, NcclProtocol.LL), "20.4 x 0.85 x 0.5");
    }
}

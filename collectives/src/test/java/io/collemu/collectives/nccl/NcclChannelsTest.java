package io.collemu.collectives.nccl;

import static io.collemu.collectives.nccl.NcclFunction.ALL_GATHER;
import static io.collemu.collectives.nccl.NcclFunction.ALL_REDUCE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How many channels one collective occupies (enqueue.cc:576-760), and the step-4 reduction (enqueue.cc:2070-2116). */
class NcclChannelsTest {

    private static final NcclTuner T = new NcclTuner(NcclAssert.workedExample());

    @ParameterizedTest(name = "{0} {1}/{2} {3} B, at most {4}: {5} channels")
    @CsvSource({
        "ALL_REDUCE, TREE, LL, 8, 1, 1",
        "ALL_REDUCE, TREE, LL128, 1048576, 16, 16",
        "ALL_REDUCE, RING, SIMPLE, 16384, 16, 1",
        "ALL_REDUCE, RING, SIMPLE, 49152, 16, 3",
        "ALL_REDUCE, RING, SIMPLE, 49153, 16, 4",
        "ALL_REDUCE, RING, LL, 8192, 16, 2",
        "ALL_REDUCE, RING, SIMPLE, 278528, 16, 9",
        "ALL_REDUCE, RING, SIMPLE, 1048576, 4, 4",
        "ALL_REDUCE, NVLS_TREE, SIMPLE, 67108864, 16, 16",
        "ALL_GATHER, RING, SIMPLE, 1048576, 16, 16",
        "ALL_GATHER, RING, SIMPLE, 0, 16, 0",
        "BROADCAST, RING, LL128, 100000, 16, 4",
    })
    void shouldSpreadCellsOverChannels(NcclFunction f, NcclAlgorithm a, NcclProtocol p, long nBytes, int max,
                                       int used) {
        assertEquals(used, T.channelsUsed(f, a, p, nBytes, max));
    }

    @Test
    void shouldFollowTheSpecsClosedFormForOneAllReduce() {
        // spec 2.3: channelsUsed = min(nc, ceil(cells / ceil(cells / nc))), cells of 16 KiB (4 KiB for LL)
        for (long s = 1; s <= 1L << 31; s = s * 3 / 2 + 7) {
            for (int nc : new int[] {1, 2, 5, 16}) {
                for (NcclProtocol p : NcclProtocol.values()) {
                    long cell = p == NcclProtocol.LL ? 4096 : 16384;
                    long cells = (s + cell - 1) / cell;
                    long perChannel = (cells + nc - 1) / nc;
                    long expected = Math.min(nc, (cells + perChannel - 1) / perChannel);
                    assertEquals(expected, T.channelsUsed(ALL_REDUCE, NcclAlgorithm.RING, p, s, nc),
                            s + " B, " + nc + " channels, " + p);
                }
            }
        }
    }

    @Test
    void shouldReduceChannelsThenThreadsForSmallRingSimple() {
        // Ring/Simple: nc x 512 x 64 per step; 1 MiB -> 1048576 / 32768 = 32 > 16 keeps 16
        assertEquals(16, T.channelsAndThreads(NcclAlgorithm.RING, NcclProtocol.SIMPLE, 1 << 20)[0]);
        assertEquals(544, T.channelsAndThreads(NcclAlgorithm.RING, NcclProtocol.SIMPLE, 1 << 20)[1]);
        // 64 KiB -> 2 channels; 8 KiB -> 1 channel, threads 512 -> 128 (then + 32)
        assertEquals(2, T.channelsAndThreads(NcclAlgorithm.RING, NcclProtocol.SIMPLE, 65536)[0]);
        assertEquals(1, T.channelsAndThreads(NcclAlgorithm.RING, NcclProtocol.SIMPLE, 8192)[0]);
        assertEquals(128 + 32, T.channelsAndThreads(NcclAlgorithm.RING, NcclProtocol.SIMPLE, 8192)[1]);
        // Ring/LL's threshold is 8 x nRanks: 16 ranks -> 512 x 128 = 65536 per channel
        assertEquals(16, T.channelsAndThreads(NcclAlgorithm.RING, NcclProtocol.LL, 1 << 20)[0]);
        assertEquals(1, T.channelsAndThreads(NcclAlgorithm.RING, NcclProtocol.LL, 65535)[0]);
    }

    @Test
    void shouldCountAllGatherTrafficOverTheWholeBuffer() {
        // all-gather of 64 KiB per rank on 16 ranks: NCCL's nBytes is 1 MiB; cells of 2 KiB of count
        long nBytes = ALL_GATHER.ncclBytes(65536, 16);
        assertEquals(1 << 20, nBytes);
        NcclChoice c = T.choose(ALL_GATHER, nBytes);
        assertEquals(NcclAlgorithm.RING, c.algorithm());
        assertEquals(16, c.channels());
    }
}

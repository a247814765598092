package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The {@code #}-comment table of one size, and NCCL's own log lines. */
class NcclTuningTableTest {

    private static final NcclTuner T = new NcclTuner(NcclAssert.workedExample());

    @Test
    void shouldPrintEveryAlgorithmAndMarkTheChosenOne() {
        String table = NcclTuningTable.format(T, NcclFunction.ALL_REDUCE, 1 << 20, "# ");
        String[] lines = table.split("\n");
        assertEquals(1 + 1 + NcclAlgorithm.values().length + 1, lines.length, table);
        for (String line : lines) {
            assertTrue(line.startsWith("# "), line);
        }
        assertEquals("#     Algorithm |           LL  |        LL128  |       Simple", lines[1]);
        assertEquals("#          Tree |      151.725  |       62.506* |      107.299", lines[2]);
        assertEquals("#          Ring |       90.412  |       81.896  |      189.360", lines[3]);
        assertEquals("# CollNetDirect |            -  |            -  |            -", lines[4]);
        assertEquals("#      NVLSTree |            -  |            -  |       71.059", lines[7]);
        assertEquals("# 1048576 Bytes -> Algo 0 proto 1 time 62.505661 (Tree/LL128, 16 channels, 640 threads)",
                lines[9]);
        assertEquals(1, table.chars().filter(ch -> ch == '*').count() - 1, "one marked cell besides the legend");
    }

    @Test
    void shouldPrintTheTuningInfoLineWithCountBytes() {
        NcclChoice c = T.choose(NcclFunction.ALL_GATHER, 1 << 20);
        assertEquals("AllGather: 65536 Bytes -> Algo RING proto LL128 channel{Lo..Hi}={0..15}",
                NcclTuningTable.infoLine(T, NcclFunction.ALL_GATHER, c, 1 << 20));
    }
}

package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.collemu.collectives.CollectiveKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the emulator and NCCL's time model part on purpose: NCCL's model charges a tree all-reduce
 * {@code 2 x log2i(nNodes)} network latencies ({@code src/graph/tuning.cc:415-417, 427-428}, v2.30.7-1; {@code log2i}
 * is {@code log2Down}, {@code src/include/utils.h:56}), while the trees NCCL builds ({@code ncclGetBtree},
 * {@code src/graph/trees.cc}) are {@code ceil(log2 nNodes)} levels deep: on 3 servers node 0 has the one child 2, whose
 * child is 1. The emulator sends the data through the trees NCCL builds, one network latency per level up and down,
 * so on a server count that is not a power of two a small all-reduce takes {@code 2 x (ceil - floor)} network
 * latencies longer than NCCL's model (a power of two matches it, {@link NcclModeTest}). The depth is computed here from
 * NCCL's btree rule, independently of the emulator's trees.
 */
class NcclTreeDepthTest {

    /** NET hardware latencies of tuning.cc's hwLat table (v2.30.7-1): Tree LL, LL128, Simple; NVLSTree Simple. */
    private static final double[] TREE_NET_US = {5.0, 8.5, 14.0};
    private static final double NVLS_TREE_NET_US = 20.9;

    @Test
    void shouldPayOneNetworkLatencyPerLevelOfNcclsTreesOnThreeAndSixServers() {
        String[] protocols = {"LL", "LL128", "Simple"};
        for (int servers : new int[] {3, 6}) {
            int extra = depth(servers) - floorLog2(servers);
            assertEquals(1, extra, servers + " servers: NCCL's btree is one level deeper than log2Down");
            String topology = NcclModeTest.rail(servers, "pluggable-dsp-400g");
            for (int p = 0; p < protocols.length; p++) {
                SizeRun r = NcclModeTest.run(topology, CollectiveKind.ALL_REDUCE, "tree", protocols[p], List.of(8L),
                        1 << 20).steps().get(0);
                double gap = NcclModeTest.emulatedUs(r) - r.choice().modelUs();
                assertEquals(2 * extra * TREE_NET_US[p], gap, 0.5, servers + " servers, tree " + protocols[p]
                        + ": emulated less model at 8 B");
            }
            SizeRun r = NcclModeTest.run(topology, CollectiveKind.ALL_REDUCE, "nvlstree", "auto", List.of(8L),
                    1 << 20).steps().get(0);
            assertEquals(2 * extra * NVLS_TREE_NET_US, NcclModeTest.emulatedUs(r) - r.choice().modelUs(), 0.5,
                    servers + " servers, NVLSTree: emulated less model at 8 B");
        }
    }

    @Test
    void shouldBuildTreesAsDeepAsNcclsBtreeRule() {
        assertEquals(1, depth(2));
        assertEquals(2, depth(3));
        assertEquals(2, depth(4));
        assertEquals(3, depth(6));
        assertEquals(3, depth(8));
        assertEquals(4, depth(16));
    }

    /** Levels below the root of NCCL's btree over {@code n} ranks (ncclGetBtree's parent rule). */
    private static int depth(int n) {
        int max = 0;
        for (int rank = 1; rank < n; rank++) {
            int levels = 0;
            for (int r = rank; r != 0; levels++) {
                int bit = 1;
                while (bit < n && (bit & r) == 0) {
                    bit <<= 1;
                }
                int up = (r ^ bit) | (bit << 1);
                r = up >= n ? r ^ bit : up;
            }
            max = Math.max(max, levels);
        }
        return max;
    }

    private static int floorLog2(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }
}

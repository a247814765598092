package io.collemu.collectives.nccl;

import static io.collemu.collectives.nccl.NcclGraph.PATTERN_BALANCED_TREE;
import static io.collemu.collectives.nccl.NcclGraph.PATTERN_TREE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The graphs {@link NcclSystem#derive} builds: spec sections 3.3/3.4 exactly, and sensible elsewhere. */
class NcclSystemDeriveTest {

    private static final double H100_NVLINK = 18 * 20.6;

    /** One expected graph: channels, per-channel bandwidths, pattern. */
    record G(int channels, double bwIntra, double bwInter, int pattern) {
        void check(String what, NcclGraph g) {
            assertEquals(channels, g.nChannels(), what + " channels");
            assertEquals(bwIntra, g.bwIntra(), 1e-6, what + " bwIntra");
            assertEquals(bwInter, g.bwInter(), 1e-6, what + " bwInter");
            assertEquals(pattern, g.pattern(), what + " pattern");
        }
    }

    static Stream<Arguments> specMachines() {
        G ring8 = new G(8, 48, 48, NcclGraph.PATTERN_RING);
        G tree8 = new G(8, 48, 48, PATTERN_TREE);
        G nvls8 = new G(8, 40, 48, NcclGraph.PATTERN_NVLS);
        return Stream.of(
                Arguments.of("2 x 8 H100, 8 x 400G", NcclMachine.hgx(2, 90, 8, 50), ring8, tree8, nvls8, 16, 16),
                Arguments.of("16 x 8 H100, 8 x 400G", NcclMachine.hgx(16, 90, 8, 50), ring8, tree8, nvls8, 16, 16),
                Arguments.of("2 x 8 H100, 8 x 800G", NcclMachine.hgx(2, 90, 8, 100), ring8, tree8, nvls8, 16, 16),
                Arguments.of("1 x 8 H100", NcclMachine.hgx(1, 90, 8, 50), new G(12, 30, 30, NcclGraph.PATTERN_RING),
                        new G(12, 30, 30, PATTERN_BALANCED_TREE), new G(8, 40, 60, NcclGraph.PATTERN_NVLS), 24, 16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specMachines")
    void shouldDeriveTheGraphsOfSpecSection3(String name, NcclMachine m, G ring, G tree, G nvls, int comm,
                                             int nvlsChannels) {
        NcclSystem s = NcclSystem.derive(m);
        ring.check("ring", s.ring());
        tree.check("tree", s.tree());
        nvls.check("nvls", s.nvls());
        assertEquals(comm, s.commChannels(), "comm channels");
        assertEquals(nvlsChannels, s.nvlsChannels(), "nvls channels");
        assertEquals(PathType.NVL, s.ring().typeIntra());
        assertTrue(s.nvlsSupport());
        if (m.nNodes() > 1) {
            assertEquals(PathType.PIX, s.ring().typeInter(), "crossNic 2 rings stay on PIX");
            assertFalse(s.ring().sameChannels());
        }
    }

    @Test
    void shouldKeepTheSpeedListsOfSearchCc() {
        assertArrayEquals(new float[] {48, 45, 42, 40, 30, 24, 22, 20, 17.5f, 15, 12, 6, 3, 2.4f, 1.2f, 0.24f, 0.12f},
                GraphSearch.SM90_SPEED_INTER);
        assertArrayEquals(new float[] {60, 50, 40, 30, 24, 20, 15, 12, 11, 6, 3}, GraphSearch.SM90_SPEED_INTRA);
        assertArrayEquals(new float[] {96, 86, 80, 48, 45.1f, 42, 40, 30, 24, 22, 20, 17.5f, 15, 12, 6, 3, 2.4f,
            1.2f, 0.24f, 0.12f}, GraphSearch.SM100_SPEED_INTER);
        assertArrayEquals(new float[] {90, 80, 70, 60, 50, 45, 40, 30, 24, 20, 19, 18}, GraphSearch.SM100_SPEED_INTRA);
        assertEquals(19, GraphSearch.SPEED_INTER.length);
        assertEquals(13, GraphSearch.SPEED_INTRA.length);
    }

    @Test
    void shouldSplitTheNetworkOverFewerNicsThanGpus() {
        // 4 NICs for 8 GPUs (GPUs 2k, 2k+1 share NIC k): 4 x 48 found, doubled to 8 x 24 (4 channels is not > 4)
        NcclSystem s = NcclSystem.derive(NcclMachine.hgx(2, 90, 4, 50));
        new G(8, 24, 24, NcclGraph.PATTERN_RING).check("ring", s.ring());
        assertEquals(4 * 48.0, s.ring().nChannels() * s.ring().bwInter(), 1e-9, "ring carries 4 NICs x 48");
        assertEquals(PATTERN_BALANCED_TREE, s.tree().pattern(), "two GPUs per NIC make the balanced tree possible");
        assertEquals(8, s.tree().nChannels());
        assertEquals(4, s.nvls().nChannels(), "one NVLS head per NIC");
        assertEquals(16, s.commChannels());
    }

    @Test
    void shouldDoubleSm90ChannelsOnlyWhenFewerThan16AtFullSpeed() {
        // connect.cc:480-483 needs ring bwIntra > 45 and < 16 channels after the x2
        NcclSystem six = NcclSystem.derive(new NcclMachine(6, 2, 90, 6, 50, 48, H100_NVLINK, true, CpuVendor.INTEL));
        new G(6, 48, 48, NcclGraph.PATTERN_RING).check("6 GPUs ring", six.ring());
        assertEquals(24, six.commChannels(), "6 -> 12 -> 24");
        NcclSystem b200 = NcclSystem.derive(new NcclMachine(2, 2, 100, 2, 100, 96, 721.8, true, CpuVendor.INTEL));
        new G(4, 48, 48, NcclGraph.PATTERN_RING).check("2 x B200 ring", b200.ring());
        assertEquals(16, b200.commChannels(), "4 -> 8 -> 16");
        // 4 GPUs / 4 NICs: the search's 4 x 48 is doubled by ncclTopoDupChannels to 8 x 24, so no extra x2
        NcclSystem four = NcclSystem.derive(new NcclMachine(4, 2, 90, 4, 50, 48, H100_NVLINK, true, CpuVendor.INTEL));
        new G(8, 24, 24, NcclGraph.PATTERN_RING).check("4 GPUs ring", four.ring());
        assertEquals(16, four.commChannels(), "8 -> 16 without the sm90 rule");
    }

    @Test
    void shouldMakeOneGpuPerNodeATreePatternOnLocalPaths() {
        NcclSystem s = NcclSystem.derive(new NcclMachine(1, 4, 90, 1, 50, 48, 0, false, CpuVendor.INTEL));
        new G(2, 24, 24, NcclGraph.PATTERN_RING).check("ring", s.ring());
        assertEquals(PATTERN_TREE, s.tree().pattern(), "ngpus == 1 forces PATTERN_TREE (search.cc:1133)");
        assertEquals(PathType.LOC, s.ring().typeIntra());
        assertFalse(s.nvlsSupport());
        assertEquals(0, s.nvls().nChannels());
        assertEquals(4, s.commChannels());
    }

    @Test
    void shouldHaveNoNvlsWithoutAnNvSwitch() {
        // HGX H100 4-GPU board: a full mesh of 6 NVLinks (123.6 GB/s) per pair, no NVSwitch
        NcclSystem s = NcclSystem.derive(new NcclMachine(4, 1, 90, 0, 50, 48, H100_NVLINK, false, CpuVendor.INTEL));
        assertFalse(s.nvlsSupport());
        assertEquals(0, s.nvlsChannels());
        assertEquals(0, s.nvls().nChannels());
        assertEquals(PathType.NVL, s.ring().typeIntra());
        new G(8, 30, 30, NcclGraph.PATTERN_RING).check("ring", s.ring());
    }

    @Test
    void shouldFallBackToPcieWithoutNvlink() {
        NcclSystem s = NcclSystem.derive(new NcclMachine(8, 1, 90, 0, 50, 48, 0, false, CpuVendor.INTEL));
        assertEquals(PathType.PHB, s.ring().typeIntra(), "GPUs on different PCIe switches go through the CPU");
        assertTrue(s.ring().nChannels() * s.ring().bwIntra() <= 48, "one PCIe link per GPU bounds the ring");
        assertFalse(s.nvlsSupport());
    }

    @Test
    void shouldUseTheBlackwellSpeedListsAndTables() {
        // 8 x B200 + 8 x 400G (Gen5): 8 x 48 rings (PXN fits on 721.8 NVLink, found before crossNic 2),
        // the tree's bwIntra raised in pass 2 to 96, nvlsChannels 32 on 2 nodes (nvls.cc:172-180)
        NcclSystem s = NcclSystem.derive(NcclMachine.hgx(2, 100, 8, 50));
        new G(8, 48, 48, NcclGraph.PATTERN_RING).check("ring", s.ring());
        new G(8, 96, 48, PATTERN_TREE).check("tree", s.tree());
        assertEquals(16, s.commChannels());
        assertEquals(32, s.nvlsChannels());
        // 8 x B200 + 8 x 800G on Gen6: 8 x 96 -> 16 x 48 -> 32 (spec 3.3, derived)
        NcclSystem fast = NcclSystem.derive(new NcclMachine(8, 2, 100, 8, 100, 96, 721.8, true, CpuVendor.INTEL));
        new G(16, 48, 48, NcclGraph.PATTERN_RING).check("800G ring", fast.ring());
        assertEquals(32, fast.commChannels());
        // one B200 node: 8 x 90 -> 16 x 45, 32 channels, 24 NVLS channels; Ring/LL capped at llMaxBws[3][0]
        NcclSystem one = NcclSystem.derive(NcclMachine.hgx(1, 100, 8, 50));
        new G(16, 45, 45, NcclGraph.PATTERN_RING).check("1 node ring", one.ring());
        assertEquals(32, one.commChannels());
        assertEquals(24, one.nvlsChannels());
        NcclTuner t = new NcclTuner(one);
        assertEquals(282.0, t.busBandwidthGBps(NcclFunction.ALL_REDUCE, NcclAlgorithm.RING, NcclProtocol.LL), 1e-4);
        // NVLS graph 8 x 80/90: min(80 x 0.74 x 7/8 x 2 = 103.6, 90) x 8; all-gather has no x2: 80 x 0.74 x 7/8 x 7/8
        assertEquals(90 * 8, t.busBandwidthGBps(NcclFunction.ALL_REDUCE, NcclAlgorithm.NVLS, NcclProtocol.SIMPLE),
                1e-3);
        assertEquals(80 * 0.74 * 7 / 8 * 7 / 8 * 8, t.busBandwidthGBps(NcclFunction.ALL_GATHER, NcclAlgorithm.NVLS,
                NcclProtocol.SIMPLE), 1e-3, "Blackwell NVLS efficiency 0.74");
    }

    @Test
    void shouldCountP2pChannelsPerPeer() {
        // spec 5: 4 per peer up to 32 ranks, 2 at 64, 1 at 128; 36 NVLink channels per local peer
        assertEquals(4, new NcclTuner(NcclSystem.derive(NcclMachine.hgx(2, 90, 8, 50))).p2pChannelsPerPeer());
        assertEquals(4, new NcclTuner(NcclSystem.derive(NcclMachine.hgx(4, 90, 8, 50))).p2pChannelsPerPeer());
        assertEquals(2, new NcclTuner(NcclSystem.derive(NcclMachine.hgx(8, 90, 8, 50))).p2pChannelsPerPeer());
        assertEquals(1, new NcclTuner(NcclSystem.derive(NcclMachine.hgx(16, 90, 8, 50))).p2pChannelsPerPeer());
        NcclTuner one = new NcclTuner(NcclSystem.derive(NcclMachine.hgx(1, 90, 8, 50)));
        assertEquals(36, one.system().p2pPeerChannels());
        assertEquals(32, one.p2pChannels(), "pow2Up(24)");
        assertEquals(32, one.p2pChannelsPerPeer(), "pow2Up(36) capped at p2pChannels");
    }
}

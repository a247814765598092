package io.collemu.collectives.nccl;

import static io.collemu.collectives.nccl.NcclFunction.ALL_GATHER;
import static io.collemu.collectives.nccl.NcclFunction.ALL_REDUCE;
import static io.collemu.collectives.nccl.NcclFunction.REDUCE_SCATTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The enable rules of tuning.cc:498-541 and enqueue.cc:1989-2026, and the selection never picking a disabled cell. */
class NcclEnableRulesTest {

    private static NcclSystem withRingTypes(PathType intra, PathType inter, int compCap) {
        NcclSystem s = NcclAssert.workedExample();
        NcclGraph r = s.ring();
        NcclGraph ring = new NcclGraph(r.nChannels(), r.bwIntra(), r.bwInter(), intra, inter, r.pattern(),
                r.sameChannels(), 0);
        return new NcclSystem(s.nRanks(), s.nNodes(), compCap, s.cpuVendor(), ring, s.tree(), s.nvls(),
                s.commChannels(), s.nvlsChannels(), s.nvlsSupport(), false, s.p2pPeerChannels());
    }

    @ParameterizedTest(name = "network path {0}")
    @EnumSource(value = PathType.class, names = {"PIX", "PXB", "P2C", "PXN", "PHB", "SYS"})
    void shouldEnableLl128OnHopperOnlyUpToPxn(PathType inter) {
        NcclTuner t = new NcclTuner(withRingTypes(PathType.NVL, inter, 90));
        boolean on = inter.atMost(PathType.PXN);
        assertEquals(on, t.enabled(ALL_REDUCE, NcclAlgorithm.RING, NcclProtocol.LL128));
        assertEquals(on ? 293.6 : 0.0, t.busBandwidthGBps(ALL_REDUCE, NcclAlgorithm.RING, NcclProtocol.LL128), 1e-4);
        if (!on) {
            assertEquals(-1, t.timeUs(ALL_REDUCE, NcclAlgorithm.RING, NcclProtocol.LL128, 1 << 20));
        }
        assertTrue(t.enabled(ALL_REDUCE, NcclAlgorithm.RING, NcclProtocol.SIMPLE), "Simple stays");
    }

    @Test
    void shouldEnableLl128BeforeHopperOnlyUpToPxbAndOverNvlinkUpToNvb() {
        assertFalse(new NcclTuner(withRingTypes(PathType.NVL, PathType.PXN, 80))
                .enabled(ALL_REDUCE, NcclAlgorithm.RING, NcclProtocol.LL128), "Ampere: PXN may hide PXB or P2C");
        assertTrue(new NcclTuner(withRingTypes(PathType.NVL, PathType.PXB, 80))
                .enabled(ALL_REDUCE, NcclAlgorithm.RING, NcclProtocol.LL128));
        assertFalse(new NcclTuner(withRingTypes(PathType.PIX, PathType.PIX, 90))
                .enabled(ALL_REDUCE, NcclAlgorithm.RING, NcclProtocol.LL128), "intra path above NVB");
    }

    @Test
    void shouldNeverUseNvlsWithoutAnNvSwitch() {
        NcclTuner t = new NcclTuner(NcclSystem.derive(
                new NcclMachine(8, 2, 90, 8, 50, 48, 18 * 20.6, false, CpuVendor.INTEL)));
        for (long b = 1; b <= 1L << 34; b <<= 1) {
            for (NcclFunction f : NcclFunction.values()) {
                assertFalse(t.choose(f, b).algorithm().isNvls(), f + " at " + b);
            }
        }
        assertFalse(t.enabled(ALL_REDUCE, NcclAlgorithm.NVLS_TREE, NcclProtocol.SIMPLE));
    }

    @Test
    void shouldUseNvlsOnlyOnOneNodeAndNvlsTreeOnlyAcrossNodes() {
        NcclTuner one = new NcclTuner(NcclAssert.singleNode());
        NcclTuner two = new NcclTuner(NcclAssert.workedExample());
        assertTrue(one.enabled(ALL_REDUCE, NcclAlgorithm.NVLS, NcclProtocol.SIMPLE));
        assertFalse(one.enabled(ALL_REDUCE, NcclAlgorithm.NVLS_TREE, NcclProtocol.SIMPLE), "tuning.cc:501");
        assertFalse(two.enabled(ALL_REDUCE, NcclAlgorithm.NVLS, NcclProtocol.SIMPLE), "across nodes needs CollNet");
        assertTrue(two.enabled(ALL_REDUCE, NcclAlgorithm.NVLS_TREE, NcclProtocol.SIMPLE));
        assertTrue(one.enabled(ALL_GATHER, NcclAlgorithm.NVLS, NcclProtocol.SIMPLE), "single-node NVLS all-gather");
        assertFalse(two.enabled(ALL_GATHER, NcclAlgorithm.NVLS, NcclProtocol.SIMPLE), "needs CollNet iallgather");
        for (NcclProtocol p : new NcclProtocol[] {NcclProtocol.LL, NcclProtocol.LL128}) {
            assertFalse(one.enabled(ALL_REDUCE, NcclAlgorithm.NVLS, p), "NVLS is Simple only");
        }
    }

    @Test
    void shouldAllowPatOnlyWithOneGpuPerNode() {
        NcclTuner onePerNode = new NcclTuner(NcclSystem.derive(
                new NcclMachine(1, 4, 90, 1, 50, 48, 0, false, CpuVendor.INTEL)));
        NcclTuner eightPerNode = new NcclTuner(NcclAssert.workedExample());
        for (NcclFunction f : new NcclFunction[] {ALL_GATHER, REDUCE_SCATTER}) {
            assertTrue(onePerNode.enabled(f, NcclAlgorithm.PAT, NcclProtocol.SIMPLE), f + " 1 GPU per node");
            assertFalse(onePerNode.enabled(f, NcclAlgorithm.PAT, NcclProtocol.LL), "PAT is Simple only");
            assertFalse(eightPerNode.enabled(f, NcclAlgorithm.PAT, NcclProtocol.SIMPLE), f + " 8 GPUs per node");
        }
        assertFalse(onePerNode.enabled(ALL_REDUCE, NcclAlgorithm.PAT, NcclProtocol.SIMPLE), "PAT is not all-reduce");
        assertEquals(NcclAlgorithm.PAT, onePerNode.choose(ALL_GATHER, 1L << 20).algorithm(), "small: PAT's latency");
        assertEquals(NcclAlgorithm.RING, onePerNode.choose(ALL_GATHER, 4L << 20).algorithm(), "large: Ring bandwidth");
        // PAT: tree graph 2 x 48 (nNodes > 2: bwInter 24) x 0.75, no bus-to-algorithm ratio for all-gather
        assertEquals(2 * 24 * 0.75, onePerNode.bandwidthGBps(ALL_GATHER, NcclAlgorithm.PAT, NcclProtocol.SIMPLE), 1e-5);
        assertEquals(8.0 + 2 * (14 / 3.5) + 4 * 2.8, onePerNode.latencyUs(ALL_GATHER, NcclAlgorithm.PAT,
                NcclProtocol.SIMPLE), 1e-4, "base + log2i(nodes) x NET Tree latency / 3.5 + nRanks x 2.8");
    }

    @Test
    void shouldServeBroadcastAndReduceWithRingOnly() {
        NcclTuner t = new NcclTuner(NcclAssert.workedExample());
        for (NcclFunction f : new NcclFunction[] {NcclFunction.BROADCAST, NcclFunction.REDUCE}) {
            for (NcclAlgorithm a : NcclAlgorithm.values()) {
                for (NcclProtocol p : NcclProtocol.values()) {
                    assertEquals(a == NcclAlgorithm.RING, t.enabled(f, a, p), f + " " + a + "/" + p);
                }
            }
            // sameChannels 0: nsteps x NET ring latency (Simple: NET tree latency)
            assertEquals(8.4 + 16 * 14.0, t.latencyUs(f, NcclAlgorithm.RING, NcclProtocol.SIMPLE), 1e-4);
            assertEquals(6.6 + 16 * 2.7, t.latencyUs(f, NcclAlgorithm.RING, NcclProtocol.LL), 1e-4);
        }
    }

    @Test
    void shouldRunASingleRankAsRingSimpleInNoTime() {
        NcclTuner t = new NcclTuner(NcclSystem.derive(new NcclMachine(1, 1, 90, 0, 50, 48, 0, false,
                CpuVendor.INTEL)));
        NcclChoice c = t.choose(ALL_REDUCE, 1 << 20);
        assertEquals(NcclAlgorithm.RING, c.algorithm());
        assertEquals(NcclProtocol.SIMPLE, c.protocol());
        assertEquals(0.0, c.predictedUs());
    }

    static Stream<Arguments> systems() {
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of("worked example", NcclAssert.workedExample()));
        all.add(Arguments.of("worked example, no NVLS", NcclAssert.workedExample().withNvlsSupport(false)));
        all.add(Arguments.of("one node", NcclAssert.singleNode()));
        all.add(Arguments.of("3 x 8 H100", NcclSystem.derive(NcclMachine.hgx(3, 90, 8, 50))));
        all.add(Arguments.of("2 x 8 H100, 4 NICs", NcclSystem.derive(NcclMachine.hgx(2, 90, 4, 50))));
        all.add(Arguments.of("4 x 1 GPU", NcclSystem.derive(new NcclMachine(1, 4, 90, 1, 50, 48, 0, false,
                CpuVendor.AMD))));
        all.add(Arguments.of("2 x 8 B200", NcclSystem.derive(NcclMachine.hgx(2, 100, 8, 50))));
        all.add(Arguments.of("1 x 8 B200", NcclSystem.derive(NcclMachine.hgx(1, 100, 8, 50))));
        all.add(Arguments.of("2 x 8 A100 PCIe", NcclSystem.derive(new NcclMachine(8, 2, 80, 4, 25, 24, 0, false,
                CpuVendor.AMD))));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("systems")
    void shouldNeverChooseADisabledAlgorithmProtocol(String name, NcclSystem system) {
        NcclTuner t = new NcclTuner(system);
        for (NcclFunction f : NcclFunction.values()) {
            for (long count = 1; count <= 1L << 32; count = count < 4096 ? count * 2 : count * 2 + 4096) {
                long b = f.ncclBytes(count, system.nRanks());
                NcclChoice c = t.choose(f, b);
                assertTrue(t.enabled(f, c.algorithm(), c.protocol()), name + " " + f + " " + b + ": " + c);
                double chosen = t.timeUs(f, c.algorithm(), c.protocol(), b);
                assertEquals((float) chosen, (float) c.predictedUs(), name + " " + f + " " + b);
                for (NcclAlgorithm a : NcclAlgorithm.values()) {
                    for (NcclProtocol p : NcclProtocol.values()) {
                        double time = c.timeUs(a, p);
                        assertEquals(t.enabled(f, a, p), time >= 0, a + "/" + p + " eligibility");
                        assertFalse(time >= 0 && (float) time < (float) chosen, a + "/" + p + " is faster");
                    }
                }
                assertTrue(c.channels() >= 1 && c.channels() <= Math.max(system.commChannels(),
                        system.nvlsChannels()), name + " " + f + " " + b + " channels " + c.channels());
            }
        }
    }

    @Test
    void shouldKeepTheEarlierAlgorithmOnATie() {
        // an Ring/LL equal to Tree/LL at 8 B would lose: the selection is a strict minimum in id order
        NcclTuner t = new NcclTuner(NcclAssert.workedExample());
        NcclChoice c = t.choose(ALL_REDUCE, 8);
        assertNotEquals(NcclAlgorithm.RING, c.algorithm());
        assertTrue(c.timeUs(NcclAlgorithm.TREE, NcclProtocol.LL) < c.timeUs(NcclAlgorithm.RING, NcclProtocol.LL));
    }
}

package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Schedule;
import io.collemu.node.actor.Grouping;
import io.collemu.node.cluster.Partition;
import io.collemu.node.engine.Job;
import io.collemu.node.engine.LocalLoop;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.FaultPlan;
import io.collemu.node.lp.InstanceTiming;
import io.collemu.node.lp.Model;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lookahead bound from the workload's smallest segment: a port hands a segment on when its serialization starts,
 * so every message travels at least the smallest segment's serialization plus a link. The figures are derived here
 * from the link rate, not read back from the code; the engines' own check (every send against the receiver's
 * inbound lookahead) shows the bound holds, and a bound one byte too large is caught by it.
 */
class SegmentBoundTest {
    private static final String FAT_TREE = "fat-tree:k=4,link=cpo-800g";
    private static final long SEGMENT = 64 << 10;
    /** A ring all-reduce over 16 GPUs whose every op is one segment and 1,000 bytes. */
    private static final long SIZE = 16 * (SEGMENT + 1000);

    private static Job ringJob(Fabric fabric, long sizeBytes) {
        Schedule s = TestRuns.schedule(CollectiveKind.ALL_REDUCE, "ring", sizeBytes, fabric.gpuCount(), 1,
                fabric.topology().gpusPerServer());
        Workload w = ModelAssembly.backToBack(s, InstanceTiming.IDEAL, RankOrder.railAware(fabric.topology()),
                fabric.gpuCount(), 1, 0);
        return new Job(fabric, w, ModelOptions.defaults(SEGMENT, 7), 0, null);
    }

    @Test
    void shouldWidenEveryChannelByTheSmallestSegmentsSerialization() {
        Fabric plain = TestRuns.fabric(FAT_TREE);
        Job job = ringJob(plain, SIZE);
        assertEquals(1000, job.fabric().minSegmentProtocolBytes(), "a ring op is 1/16 of the buffer: 64 KiB + 1000 B");
        // 1,000 B at 800 Gb/s (ideal timing: payload at line rate) = 8,000 bits / 800e9 b/s = 10 ns
        long txPs = 10_000;
        long[] before = plain.inboundLookaheadPs();
        long[] after = job.fabric().inboundLookaheadPs();
        for (int lp = 0; lp < before.length; lp++) {
            assertEquals(before[lp] + txPs, after[lp], "LP " + lp);
        }
        // the cluster's window across a cut: the smallest link (and switch) delay plus the same 10 ns
        Partition unbounded = Partition.of(plain, 2, Grouping.of(plain, Grouping.Mode.SWITCH), Grouping.Mode.SWITCH,
                null);
        Partition bounded = Partition.of(job.fabric(), 2, Grouping.of(job.fabric(), Grouping.Mode.SWITCH),
                Grouping.Mode.SWITCH, null);
        assertEquals(unbounded.crossLookaheadPs() + txPs, bounded.crossLookaheadPs());
        assertTrue(bounded.describe().contains("plus a 1000-byte segment's serialization"), bounded.describe());
    }

    @Test
    void shouldGiveTheSameResultsOnEveryEngineWithTheWiderWindows() {
        Fabric f = TestRuns.fabric(FAT_TREE);
        Job job = ringJob(f, SIZE);
        assertTrue(job.fabric().minSegmentProtocolBytes() > 0);
        ExecutionResult seq;
        try (var e = TestRuns.engine(EngineKind.SEQUENTIAL, 1, Grouping.Mode.SWITCH)) {
            seq = Session.execute(job, e, io.collemu.node.engine.Progress.NONE);
        }
        for (Grouping.Mode mode : new Grouping.Mode[] {Grouping.Mode.LP, Grouping.Mode.SWITCH}) {
            try (var e = TestRuns.engine(EngineKind.ACTORS, 2, mode)) {
                ExecutionResult act = Session.execute(job, e, io.collemu.node.engine.Progress.NONE);
                assertArrayEquals(seq.instanceEndPs(), act.instanceEndPs(), mode.name());
                assertEquals(seq.endPs(), act.endPs(), mode.name());
                assertEquals(seq.stats().events(), act.stats().events(), mode.name());
            }
        }
    }

    @Test
    void shouldBeCaughtByTheEnginesCheckWhenTheBoundIsOneByteTooLarge() {
        Fabric f = TestRuns.fabric(FAT_TREE);
        Job job = ringJob(f, SIZE);
        Model model = job.model();
        // the 1000-byte pieces are sent inside a lookahead that counts on 1001 bytes
        Fabric tooWide = f.withMinSegment(1001, null);
        LocalLoop loop = LocalLoop.ofAll(model.lps(), tooWide.inboundLookaheadPs());
        loop.start(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            while (!loop.isEmpty()) {
                loop.runBefore(Long.MAX_VALUE, 1 << 16);
            }
        });
        assertTrue(e.getMessage().contains("inside its lookahead"), e.getMessage());
        // the true bound runs to the end
        LocalLoop exact = LocalLoop.ofAll(job.model().lps(), job.fabric().inboundLookaheadPs());
        exact.start(0);
        while (!exact.isEmpty()) {
            exact.runBefore(Long.MAX_VALUE, 1 << 16);
        }
    }

    @Test
    void shouldKeepTheLinkLatenciesWithFaultsAndWithoutSends() {
        Fabric f = TestRuns.fabric(FaultTest.TWO_SPINES);
        FaultPlan plan = FaultPlans.build(FaultTest.faults("link-down,link=gpu0/leaf0,at=1ms"), f.topology(), 7);
        assertTrue(plan.any());
        Fabric faulty = f.withFaults(plan);
        Job job = ringJob(faulty, SIZE);
        assertSame(faulty, job.fabric(), "in fault mode a port sends at the end of its serialization");
        assertEquals(0, job.fabric().minSegmentProtocolBytes());
        assertArrayEquals(f.inboundLookaheadPs(), job.fabric().inboundLookaheadPs());
        // a bounded fabric that gets faults loses its bound
        Fabric bounded = ringJob(f, SIZE).fabric();
        assertEquals(0, bounded.withFaults(plan).minSegmentProtocolBytes());
    }

    @Test
    void shouldLeaveNvlsSwitchPortsUnboundedAndBoundTheRest() {
        // the in-switch reduction's contributions leave the NVSwitch port with their sum, in no time: a GPU can
        // hear from its NVSwitch port one link after that port's event
        Fabric plain = TestRuns.fabric(NcclModeTest.NVL8);
        ModelAssembly a = ModelAssembly.of(new TopologySource(NcclModeTest.NVL8, null, true, null,
                io.collemu.topology.route.RoutingMode.ECMP), sweepSpec("nvls"), ModelOptions.defaults(1 << 20, 1),
                new Fidelity(Fidelity.Mode.NCCL, "auto", null, true));
        Job nvls = a.sweepJob(sweepSpec("nvls"), CollectiveKind.ALL_REDUCE, 64L << 20,
                a.step(sweepSpec("nvls"), CollectiveKind.ALL_REDUCE, 64L << 20), 0);
        assertTrue(nvls.fabric().minSegmentProtocolBytes() > 0);
        long[] before = plain.inboundLookaheadPs();
        long[] after = nvls.fabric().inboundLookaheadPs();
        for (int g = 0; g < plain.gpuCount(); g++) {
            assertEquals(before[g], after[g], "GPU " + g + ": its NVSwitch port may send in no time");
        }
        // the NVSwitch ports hear from the GPUs, whose own ports still serialize every segment
        for (int lp = plain.gpuCount(); lp < plain.lpCount(); lp++) {
            assertTrue(after[lp] > before[lp], "NVSwitch port LP " + lp);
        }
    }

    private static SweepSpec sweepSpec(String algorithm) {
        return new SweepSpec(List.of(CollectiveKind.ALL_REDUCE), algorithm, List.of(64L << 20), 0, 1, 0);
    }
}

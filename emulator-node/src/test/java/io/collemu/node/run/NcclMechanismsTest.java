package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Schedule;
import io.collemu.collectives.algo.Schedules;
import io.collemu.node.engine.Job;
import io.collemu.node.engine.Progress;
import io.collemu.node.engine.SequentialEngine;
import io.collemu.node.lp.CollectiveInstance;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.GpuTask;
import io.collemu.node.lp.InstanceTiming;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.PortStats;
import io.collemu.node.lp.Workload;
import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nccl mode's mechanisms, each alone against arithmetic: protocol lines on the wire, link framing, a channel's
 * GPU-side pacing, the base latency and the per-step software latency.
 */
class NcclMechanismsTest {
    static final long SEG = 64 << 10;
    static final Topology TWO = TopologySpecs.parse("single-switch:gpus=2,link=cpo-800g");

    static ExecutionResult send(Fabric fabric, long bytes, InstanceTiming timing) {
        Schedule s = Schedules.of(new CollectiveRequest(CollectiveKind.SEND_RECV, "direct", bytes, 2, 1, 0, 1, null,
                new int[] {0, 1}));
        CollectiveInstance inst = new CollectiveInstance(0, "", "send", 0, s, new int[] {0, 1}, timing);
        GpuTask[][] programs = {{GpuTask.collective(0, 0, new int[0], 0)}, {GpuTask.collective(0, 1, new int[0], 0)}};
        Job job = new Job(fabric, new Workload(List.of(inst), programs), ModelOptions.defaults(SEG, 1), 0, null);
        return Session.execute(job, new SequentialEngine(), Progress.NONE);
    }

    static long bytesSent(ExecutionResult r) {
        return Arrays.stream(r.portsById()).mapToLong(PortStats::bytesSent).sum();
    }

    static double[] everywhere(double e) {
        double[] out = new double[TWO.portCount()];
        Arrays.fill(out, e);
        return out;
    }

    @Test
    void shouldPutTwiceTheBytesOnTheWireWithLlAndOneEighthMoreWithLl128() {
        Fabric f = new Fabric(TWO);
        long size = 1 << 20;
        ExecutionResult simple = send(f, size, InstanceTiming.IDEAL);
        ExecutionResult ll = send(f, size, new InstanceTiming(8, 16, 0, 0, 0, 0, false));
        ExecutionResult ll128 = send(f, size, new InstanceTiming(120, 128, 0, 0, 0, 0, false));
        assertEquals(2 * size, bytesSent(simple), "two hops: GPU to switch, switch to GPU");
        assertEquals(2 * 2 * size, bytesSent(ll));
        long lines = (SEG + 119) / 120;
        assertEquals(2 * (size / SEG) * lines * 128, bytesSent(ll128));
        assertEquals(size, ll.bytesDelivered(), "the receiver gets the data, not the lines");
        // store-and-forward over two hops: (segments + 1) segment times; LL forwards NCCL's 32 KiB LL steps
        long llSeg = Math.min(SEG, InstanceTiming.LL_STEP_DATA_BYTES);
        double expected = (size / llSeg + 1) * 2.0 * llSeg / ((size / SEG + 1) * (double) SEG);
        double ratio = ll.durationPs() / (double) simple.durationPs();
        assertEquals(expected, ratio, 0.03 * expected, "LL takes about twice as long at line rate");
    }

    @Test
    void shouldChargeALinksFramingAsWireBytes() {
        long size = 1 << 20;
        ExecutionResult half = send(new Fabric(TWO, new Router(TWO), everywhere(0.5)), size, InstanceTiming.IDEAL);
        assertEquals(2 * 2 * size, bytesSent(half));
        ExecutionResult roce = send(new Fabric(TWO, new Router(TWO), everywhere(0.9804)), size,
                InstanceTiming.IDEAL);
        long perSegment = (SEG * 1_000_000 + 980_399) / 980_400;
        assertEquals(2 * (size / SEG) * perSegment, bytesSent(roce));
    }

    @Test
    void shouldPaceAChannelAtItsGpuSideRate() {
        long size = 1 << 20;
        double psPerByte = 100; // 10 GB/s, far below the 100 GB/s link
        ExecutionResult r = send(new Fabric(TWO), size, new InstanceTiming(1, 1, 0, 0, 0, psPerByte, false));
        // the first segment leaves once processed (6.55 us), each next one 6.55 us after the one before; the last
        // then crosses alone: 16 x 6.55 us + one segment's transfer
        double expected = size * psPerByte + send(new Fabric(TWO), SEG, InstanceTiming.IDEAL).durationPs();
        assertEquals(expected, r.durationPs(), expected * 0.001, "paced to 10 GB/s");
    }

    @Test
    void shouldAddTheBaseLatencyOnceAndEachStepsSoftwareLatencyLessThePathsOwn() {
        Fabric f = new Fabric(TWO);
        ExecutionResult plain = send(f, 8, InstanceTiming.IDEAL);
        long basePs = 5_000_000;
        long stepPs = 3_000_000;
        ExecutionResult timed = send(f, 8, new InstanceTiming(1, 1, basePs, 0, stepPs, 0, false));
        int[] path = new int[8];
        int hops = f.router().path(0, 1, 0, path);
        long pathPs = f.pathLatencyPs(Arrays.copyOf(path, hops));
        assertTrue(pathPs > 0 && pathPs < stepPs);
        assertEquals(plain.durationPs() + basePs + (stepPs - pathPs), timed.durationPs(),
                "one step: the base, then the step's latency beyond what its links take");
    }
}

package io.collemu.node.lp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Schedule;
import io.collemu.collectives.algo.Schedules;
import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model's LPs one event at a time, against a recording context: what a GPU injects, when a port serializes,
 * where a segment goes next, how credits gate a port, and what a receiving GPU refuses.
 */
class PortAndGpuLpTest {
    static final long SEG = 64 << 10;
    /** Two GPUs on one 800G switch. */
    final Fabric fabric = new Fabric(TopologySpecs.parse("single-switch:gpus=2,link=cpo-800g"));
    final Topology t = fabric.topology();

    /** GPU 0 sends {@code bytes} to GPU 1 (one send-recv pair). */
    Workload sendOne(long bytes) {
        Schedule s = Schedules.of(new CollectiveRequest(CollectiveKind.SEND_RECV, "direct", bytes, 2, 1, 0, 1, null,
                new int[] {0, 1}));
        CollectiveInstance inst = new CollectiveInstance(0, "", "send-recv", 0, s, new int[] {0, 1});
        GpuTask[][] programs = {{GpuTask.collective(0, 0, new int[0], 0)}, {GpuTask.collective(0, 1, new int[0], 0)}};
        return new Workload(List.of(inst), programs);
    }

    @Test
    void shouldSerializeAtLineRateRoundingUpToAPicosecond() {
        EgressPort p = new EgressPort(fabric, t.portOf(t.gpuNode(0), 0), 0, SEG);
        long rate = t.portRateBps(t.portOf(t.gpuNode(0), 0));
        assertEquals(800_000_000_000L, rate);
        assertEquals(81_920, p.serializationPs(8192), "8 KiB at 800 Gb/s is 81.92 ns");
        assertEquals(0, p.serializationPs(0), "no bytes, no time");
        assertEquals(10, p.serializationPs(1), "one byte: 10 ps");
    }

    @Test
    void shouldInjectAtMostTwoSegmentsPerStreamAndSerializeOneAtATime() {
        Workload w = sendOne(4 * SEG);
        GpuLp gpu = new GpuLp(0, fabric, ModelOptions.defaults(SEG, 1), w);
        RecordingContext ctx = new RecordingContext();
        gpu.start(ctx);
        RecordingContext.Call start = ctx.takeOne();
        assertEquals(EventKinds.TASK_START, start.kind());
        gpu.handle(EventKinds.TASK_START, null, start.aux(), 0, ctx);
        // one segment starts serializing (TX_DONE after 64 KiB at 800G), two more wait in the window; the segment is
        // handed to the switch's port towards GPU 1 at once, stamped with the end of its serialization plus the link
        List<RecordingContext.Call> calls = ctx.take();
        assertEquals(2, calls.size());
        RecordingContext.Call tx = calls.get(0);
        assertEquals(EventKinds.TX_DONE, tx.kind());
        assertEquals(655_360, tx.atPs());
        assertNull(tx.payload(), "the port's serializer frees itself; the segment has gone on");
        RecordingContext.Call arrive = calls.get(1);
        assertTrue(arrive.send());
        assertEquals(EventKinds.ARRIVE, arrive.kind(), "the next hop is the switch's port towards GPU 1");
        Segment first = (Segment) arrive.payload();
        assertEquals(0, first.opOffsetBytes);
        assertEquals(SEG, first.sizeBytes);
        assertEquals(1, first.dstGpu);
        int switchPortLp = arrive.dstLp();
        assertEquals(fabric.lpOfPort(first.path[1]), switchPortLp);
        long linkPs = t.portLinkLatencyPs(first.path[0]);
        long switchPs = t.switchLatencyPs(t.portPeer(first.path[0]));
        assertEquals(tx.atPs() + linkPs + switchPs, arrive.atPs());

        ctx.nowPs = tx.atPs();
        gpu.handle(EventKinds.TX_DONE, null, tx.aux(), 0, ctx);
        calls = ctx.take();
        assertEquals(EventKinds.TX_DONE, calls.get(0).kind(), "the port starts its next segment at once");
        assertEquals(tx.atPs() + 655_360, calls.get(0).atPs());
        assertEquals(EventKinds.ARRIVE, calls.get(1).kind());
        assertEquals(SEG, ((Segment) calls.get(1).payload()).opOffsetBytes);
        assertEquals(tx.atPs() + 655_360 + linkPs + switchPs, calls.get(1).atPs());
    }

    @Test
    void shouldHoldASwitchPortUntilCreditReturns() {
        int lp = fabric.gpuCount(); // the first switch-port LP
        SwitchPortLp port = new SwitchPortLp(lp, fabric, 4L << 20); // a credit window of exactly 4 segments
        RecordingContext ctx = new RecordingContext();
        int dstGpu = t.gpuOfNode(t.portPeer(fabric.portOfSwitchLp(lp)));
        Segment[] segs = new Segment[3];
        for (int i = 0; i < segs.length; i++) {
            segs[i] = new Segment();
            segs[i].sizeBytes = 4 << 20;
            segs[i].protocolBytes = 4 << 20;
            segs[i].creditBytes = 4 << 20;
            segs[i].dstGpu = dstGpu;
            segs[i].upstreamLp = 7 - i;
            segs[i].upstreamPort = i;
            segs[i].path = new int[] {0, fabric.portOfSwitchLp(lp)};
            segs[i].hops = 1;
            port.handle(EventKinds.ARRIVE, segs[i], 0, 0, ctx);
        }
        // into a GPU there is no credit to wait for: the first starts, the others queue behind the serializer.
        // It goes on at once, due at the end of its serialization plus the link, and so does the credit for the
        // ingress buffer it leaves, due one reverse link after that end.
        long txPs = 41_943_040; // 4 MiB at 800 Gb/s
        int port0 = fabric.portOfSwitchLp(lp);
        List<RecordingContext.Call> calls = ctx.take();
        assertEquals(3, calls.size());
        assertEquals(EventKinds.TX_DONE, calls.get(0).kind());
        assertEquals(txPs, calls.get(0).atPs());
        assertEquals(EventKinds.DELIVER, calls.get(1).kind());
        assertEquals(dstGpu, calls.get(1).dstLp());
        assertSame(segs[0], calls.get(1).payload());
        assertEquals(txPs + t.portLinkLatencyPs(port0), calls.get(1).atPs());
        assertEquals(EventKinds.CREDIT, calls.get(2).kind(), "the ingress buffer's credit goes back upstream");
        assertEquals(7, calls.get(2).dstLp());
        assertEquals(0, EventKinds.creditPort(calls.get(2).aux()));
        assertEquals(4 << 20, EventKinds.creditBytes(calls.get(2).aux()));
        assertEquals(txPs + fabric.creditDelayPs(0), calls.get(2).atPs());
        ctx.nowPs = txPs;
        port.handle(EventKinds.TX_DONE, null, 0, lp, ctx);
        calls = ctx.take();
        assertEquals(EventKinds.TX_DONE, calls.get(0).kind(), "then the next segment serializes");
        assertSame(segs[1], calls.get(1).payload());
        assertEquals(6, calls.get(2).dstLp());
    }

    @Test
    void shouldCompleteTheReceiveInOrderAndRefuseASegmentOutOfOrder() {
        Workload w = sendOne(2 * SEG);
        GpuLp receiver = new GpuLp(1, fabric, ModelOptions.defaults(SEG, 1), w);
        RecordingContext ctx = new RecordingContext();
        receiver.start(ctx);
        receiver.handle(EventKinds.TASK_START, null, ctx.takeOne().aux(), 1, ctx);
        Segment second = segment(SEG, 0);
        second.opOffsetBytes = SEG;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> receiver.handle(EventKinds.DELIVER, second, 0, 2, ctx));
        assertTrue(e.getMessage().contains("out of order"), e.getMessage());

        GpuLp fresh = new GpuLp(1, fabric, ModelOptions.defaults(SEG, 1), w);
        fresh.start(ctx);
        fresh.handle(EventKinds.TASK_START, null, ctx.takeOne().aux(), 1, ctx);
        ctx.nowPs = 1_000;
        fresh.handle(EventKinds.DELIVER, segment(SEG, 0), 0, 2, ctx);
        assertEquals(-1, fresh.report().taskEndPs()[0], "half the bytes are in");
        Segment s2 = segment(SEG, 0);
        s2.opOffsetBytes = SEG;
        ctx.nowPs = 2_000;
        fresh.handle(EventKinds.DELIVER, s2, 0, 2, ctx);
        LpReport r = fresh.report();
        assertEquals(2_000, r.taskEndPs()[0], "the task ends with its last byte");
        assertEquals(2, r.segmentsDelivered());
        assertEquals(2 * SEG, r.bytesDelivered());
        assertEquals(2, r.latencyNs().getTotalCount());
        assertNull(ctx.calls.stream().filter(c -> c.send()).findAny().orElse(null), "a receiver sends nothing");
    }

    private static Segment segment(long size, long injectPs) {
        Segment s = new Segment();
        s.instance = 0;
        s.srcGpu = 0;
        s.dstGpu = 1;
        s.recvOp = 0;
        s.sizeBytes = (int) size;
        s.protocolBytes = (int) size;
        s.injectPs = injectPs;
        return s;
    }
}

package io.collemu.node.lp;

import io.collemu.collectives.RankSchedule;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;

/**
 * One egress port: a FIFO queue, a serializer at line rate, the link behind it, and the credit counter for the
 * downstream switch's ingress buffer on that link (lossless flow control). Used inside a GPU LP (NIC, NVLink)
 * and by a switch-port LP. Store-and-forward per segment: the next hop sees a segment after its full
 * serialization plus the link latency (plus the next switch's port-to-port latency).
 *
 * <p>Without faults a segment is handed on when its serialization <em>starts</em>, stamped with the time it
 * reaches the next hop (the end of its serialization plus the link), and so is the credit for the buffer it
 * leaves: the receiver sees exactly what it would see if the port sent them at the end, but every message now
 * travels at least one serialization time plus the link, which {@link Fabric#withMinSegment} adds to the
 * lookahead of every channel. In fault mode the port decides a segment's fate at the end of its serialization (the
 * link may fail during it) and sends then.
 *
 * <p>Not thread-safe: owned by one LP.
 */
public final class EgressPort {
    /** The smallest credit window, in segments, whatever the configured buffer. */
    public static final int MIN_BUFFER_SEGMENTS = 4;
    final int port;
    final int ownerLp;
    final int localIndex;
    final long rateBps;
    final long linkLatencyPs;
    final int peerNode;
    /** The destination GPU LP when the link ends at a GPU, else -1. */
    final int peerGpuLp;
    final long peerSwitchLatencyPs;
    final long creditCapacityBytes;
    private final Fabric fabric;
    private final boolean exactRate;
    private final long rateMbps;
    /** Payload bytes per wire byte of this link, in millionths (framing overhead; 1,000,000 = none). */
    private final long efficiencyPpm;
    private final SegmentQueue queue = new SegmentQueue();
    long creditBytes;
    long waitingBytes;
    boolean busy;

    long bytesSent;
    long busyPs;
    long peakWaitingBytes;
    long segmentsSent;
    long creditStalls;

    /** The segment being serialized, as far as its end needs (it was handed on at the start): its instance, its
     * stream, how many segments it stands for (an NVLS store with its copies) and its wire bytes. */
    int txInstance;
    int txStream;
    int txSegments;
    private int txWireBytes;

    /** Fault mode: the owner's routing view (null: no faults in this run), its start time, and where drops go. */
    FaultView view;
    long originPs;
    DropHandler onDrop;
    /** Segments this port lost: on its link (down, bit errors) or at the switch it leads to (no route). */
    long drops;

    /** Receives the segments a port loses, in fault mode. */
    interface DropHandler {
        /**
         * @param queued true if the segment was dropped from the port's queue (it still holds the ingress buffer it
         *               occupies, whose credit the handler returns); false if lost after its serialization
         */
        void dropped(Segment s, boolean queued, LpContext ctx);
    }

    /**
     * @param segmentProtocolBytes the most bytes a segment may take in its protocol's lines (its size for Simple,
     *                             twice it for LL): the credit window holds at least four of them on this link
     */
    EgressPort(Fabric fabric, int port, int ownerLp, long segmentProtocolBytes) {
        Topology t = fabric.topology();
        this.fabric = fabric;
        this.port = port;
        this.ownerLp = ownerLp;
        this.localIndex = fabric.localIndexOfPort(port);
        this.rateBps = t.portRateBps(port);
        if (rateBps <= 0) {
            throw new IllegalArgumentException("port " + port + " has a non-positive rate");
        }
        this.linkLatencyPs = t.portLinkLatencyPs(port);
        this.peerNode = t.portPeer(port);
        boolean peerIsGpu = t.nodeKind(peerNode) == NodeKind.GPU;
        this.peerGpuLp = peerIsGpu ? t.gpuOfNode(peerNode) : -1;
        this.peerSwitchLatencyPs = peerIsGpu ? 0 : t.switchLatencyPs(peerNode);
        long buffer = t.ingressBufferBytes(peerNode);
        // GPUs always sink: a link into a GPU needs no credit. A real buffer holds hundreds of packets; an
        // emulator segment may be a MiB, so the credit window is at least MIN_BUFFER_SEGMENTS segments lest
        // coarse segments starve a link the real fabric keeps busy (with 1 MiB segments and a 1 MiB buffer a
        // store-and-forward hop would run at half rate).
        this.exactRate = rateBps % 1_000_000L == 0;
        this.rateMbps = rateBps / 1_000_000L;
        this.efficiencyPpm = fabric.efficiencyPpm(port);
        this.creditCapacityBytes = peerIsGpu ? 0
                : Math.max(buffer, MIN_BUFFER_SEGMENTS * wireBytes(segmentProtocolBytes));
        this.creditBytes = creditCapacityBytes;
    }

    /** Wire bytes of {@code protocolBytes} on this link: its framing adds {@code 1/efficiency - 1}, rounded up. */
    public long wireBytes(long protocolBytes) {
        return wireBytes(protocolBytes, efficiencyPpm);
    }

    /** Wire bytes of {@code protocolBytes} on a link of {@code efficiencyPpm}; non-decreasing in the bytes. */
    static long wireBytes(long protocolBytes, long efficiencyPpm) {
        return efficiencyPpm == Fabric.FULL_EFFICIENCY_PPM ? protocolBytes
                : (protocolBytes * Fabric.FULL_EFFICIENCY_PPM + efficiencyPpm - 1) / efficiencyPpm;
    }

    /** Serialization time of {@code bytes} at this port's line rate, rounded up to a picosecond. */
    public long serializationPs(long bytes) {
        return serializationPs(bytes, rateBps, exactRate, rateMbps);
    }

    /** As {@link #serializationPs(long)} on a port of {@code rateBps}: the same picoseconds, non-decreasing. */
    static long serializationPs(long bytes, long rateBps) {
        return serializationPs(bytes, rateBps, rateBps % 1_000_000L == 0, rateBps / 1_000_000L);
    }

    private static long serializationPs(long bytes, long rateBps, boolean exactRate, long rateMbps) {
        if (exactRate) {
            return (bytes * 8 * 1_000_000L + rateMbps - 1) / rateMbps;
        }
        return (long) Math.ceil(bytes * 8 * 1e12 / rateBps);
    }

    /**
     * Queues a segment. At a GPU's own port an NVLS multicast store takes twice its protocol bytes: the copy it
     * stores, and the GPU's own copy of the piece that the switch read for the reduction ({@link SwitchCombine}).
     */
    void enqueue(Segment s, long nowPs) {
        boolean store = s.combine == RankSchedule.COMBINE_MULTICAST && s.hops == 0;
        enqueue(s, nowPs, store ? 2L * s.protocolBytes : s.protocolBytes);
    }

    /** Queues a segment that takes {@code chargedProtocolBytes} of protocol lines on this link (0: nothing). */
    void enqueue(Segment s, long nowPs, long chargedProtocolBytes) {
        s.enqueuePs = nowPs;
        s.wireBytes = chargedProtocolBytes == 0 ? 0 : (int) wireBytes(chargedProtocolBytes);
        queue.add(s);
        waitingBytes += s.wireBytes;
        if (waitingBytes > peakWaitingBytes) {
            peakWaitingBytes = waitingBytes;
        }
    }

    /**
     * Starts serializing the head segment if the port is idle and the downstream buffer has credit for it. Without
     * faults the segment is handed on now ({@link #handOn}, stamped with its arrival) with the credit for the
     * buffer it leaves: the caller must not touch it afterwards, and reads {@link #txInstance} and
     * {@link #txStream} instead.
     *
     * @return whether a segment started
     */
    boolean tryStart(LpContext ctx) {
        if (busy || queue.isEmpty()) {
            return false;
        }
        if (view != null && view.plan().down(port, ctx.nowPs() - originPs)) {
            flush(ctx);
            return false;
        }
        Segment s = queue.peek();
        boolean credited = peerGpuLp < 0;
        if (credited && creditBytes < s.wireBytes) {
            creditStalls++;
            return false;
        }
        queue.poll();
        long now = ctx.nowPs();
        if (credited) {
            creditBytes -= s.wireBytes;
        }
        waitingBytes -= s.wireBytes;
        s.queuedPs += now - s.enqueuePs;
        long txPs = serializationPs(s.wireBytes);
        busy = true;
        busyPs += txPs;
        txInstance = s.instance;
        txStream = s.stream;
        txSegments = 1 + (s.siblings == null ? 0 : s.siblings.length);
        txWireBytes = s.wireBytes;
        if (view != null) {
            ctx.schedule(now + txPs, EventKinds.TX_DONE, s, localIndex);
            return true;
        }
        ctx.schedule(now + txPs, EventKinds.TX_DONE, null, localIndex);
        handOn(s, ctx, now + txPs);
        return true;
    }

    /** The link is down: every queued segment is lost (the switch drops what it cannot send). */
    private void flush(LpContext ctx) {
        long now = ctx.nowPs();
        while (!queue.isEmpty()) {
            Segment d = queue.poll();
            waitingBytes -= d.wireBytes;
            d.queuedPs += now - d.enqueuePs;
            drops++;
            onDrop.dropped(d, true, ctx);
        }
    }

    /**
     * The segment being serialized has left the serializer. Without faults it was handed on when it started
     * ({@code s} is null) and only the port's counters move. In fault mode ({@code s} is the segment) the credit
     * it held here goes back, and it goes on now unless it is lost: if the link is down at any instant between the
     * start of its serialization and its arrival, if a bit error hits one of its packets, or if the switch it
     * reaches has no route for it (that switch re-routes it first when its view of the fabric changed since the path
     * was chosen). The caller must not touch a segment it handed on.
     *
     * @return false if it was lost (the caller then owns it, with {@code hops} still at this port)
     */
    boolean finishTx(Segment s, LpContext ctx) {
        busy = false;
        bytesSent += txWireBytes;
        segmentsSent++;
        if (s == null) {
            return true;
        }
        long now = ctx.nowPs();
        if (lostAfterTx(s, now)) {
            drops++;
            if (peerGpuLp < 0) {
                creditBytes += s.wireBytes; // it never reached the next buffer
            }
            returnHeldCredit(s.upstreamLp, s.upstreamPort, s.creditBytes, ctx, now); // it left this switch's buffer
            return false;
        }
        handOn(s, ctx, now);
        return true;
    }

    /**
     * The segment leaves this port's serializer at {@code txEndPs}: it goes to the next LP, and the credit for the
     * buffer it held here goes back to the port that sent it here.
     */
    private void handOn(Segment s, LpContext ctx, long txEndPs) {
        int upstreamLp = s.upstreamLp;
        int upstreamPort = s.upstreamPort;
        int heldBytes = s.creditBytes;
        forward(s, ctx, txEndPs);
        returnHeldCredit(upstreamLp, upstreamPort, heldBytes, ctx, txEndPs);
    }

    /**
     * Returns the credit a segment held in the ingress buffer of this port's switch, one reverse link after it left
     * ({@code heldBytes} is 0 at a GPU's port, and for NVLS segments the switch released on arrival).
     */
    private void returnHeldCredit(int upstreamLp, int upstreamPort, int heldBytes, LpContext ctx, long leftPs) {
        if (heldBytes > 0) {
            ctx.send(upstreamLp, leftPs + fabric.creditDelayPs(upstreamPort), EventKinds.CREDIT, null,
                    EventKinds.packCredit(upstreamPort, heldBytes));
        }
    }

    /** Hands a segment to the next LP: it leaves this port's serializer at {@code txEndPs}. */
    private void forward(Segment s, LpContext ctx, long txEndPs) {
        s.upstreamLp = ownerLp;
        s.upstreamPort = port;
        s.creditBytes = s.wireBytes;
        s.hops++;
        Segment[] copies = s.siblings;
        s.siblings = null;
        if (peerGpuLp >= 0) {
            if (copies != null) {
                throw new IllegalStateException("port " + port
                        + ": an NVLS multicast needs a switch behind the GPU's link");
            }
            ctx.send(peerGpuLp, txEndPs + linkLatencyPs, EventKinds.DELIVER, s, 0);
            return;
        }
        int next = s.path[s.hops];
        ctx.send(fabric.lpOfPort(next), txEndPs + linkLatencyPs + peerSwitchLatencyPs, EventKinds.ARRIVE, s, 0);
        if (copies != null) {
            replicate(s, copies, ctx, txEndPs);
        }
    }

    /**
     * NVLS multicast: the stored segment's other copies reach the switch with it, each going on along its own path
     * (they took no time on this link and hold no buffer credit). Every copy's path starts at this port.
     */
    private void replicate(Segment s, Segment[] copies, LpContext ctx, long txEndPs) {
        for (Segment c : copies) {
            c.upstreamLp = ownerLp;
            c.upstreamPort = port;
            c.creditBytes = 0;
            c.wireBytes = 0;
            c.enqueuePs = s.enqueuePs;
            c.queuedPs = s.queuedPs;
            c.hops++;
            ctx.send(fabric.lpOfPort(c.path[c.hops]), txEndPs + linkLatencyPs + peerSwitchLatencyPs,
                    EventKinds.ARRIVE, c, 0);
        }
    }

    private boolean lostAfterTx(Segment s, long now) {
        FaultPlan plan = view.plan();
        long rel = now - originPs;
        if (plan.downDuring(port, rel - serializationPs(s.wireBytes), rel + linkLatencyPs)
                || plan.segmentLost(port, segmentsSent, s.sizeBytes)) {
            return true;
        }
        if (peerGpuLp < 0 && plan.hasDownLinks()) {
            int epoch = plan.epoch(rel + linkLatencyPs + peerSwitchLatencyPs);
            return epoch != s.pathEpoch && !view.reroute(s, epoch);
        }
        return false;
    }

    /**
     * Sends a control packet (a NAK) on: it has priority and is tiny, so it neither queues nor takes credit; it is
     * lost if the link is down. {@code s.path} is its route and {@code s.hops} this port's index in it.
     */
    void forwardControl(Segment s, LpContext ctx, Fabric fabric) {
        long now = ctx.nowPs();
        if (view.plan().down(port, now - originPs)) {
            return;
        }
        if (peerGpuLp >= 0) {
            ctx.send(peerGpuLp, now + linkLatencyPs, EventKinds.NAK, s, 0);
        } else {
            s.hops++;
            ctx.send(fabric.lpOfPort(s.path[s.hops]), now + linkLatencyPs + peerSwitchLatencyPs, EventKinds.NAK, s,
                    0);
        }
    }

    /** Sets up fault handling (when the run has faults): the owner's view, and its handler of lost segments. */
    void enableFaults(FaultView v, DropHandler handler) {
        this.view = v;
        this.onDrop = handler;
    }

    /** The owner started at {@code nowPs}: fault times count from there; schedules a tick at each link failure. */
    void startFaults(LpContext ctx) {
        originPs = ctx.nowPs();
        for (long t : view.plan().downStarts(port)) {
            if (originPs + t >= ctx.nowPs()) {
                ctx.schedule(originPs + t, EventKinds.FAULT_TICK, null, localIndex);
            }
        }
    }

    void returnCredit(int bytes) {
        creditBytes += bytes;
        if (creditBytes > creditCapacityBytes) {
            throw new IllegalStateException("port " + port + ": credits exceed the buffer (" + creditBytes + " > "
                    + creditCapacityBytes + ")");
        }
    }

    /** What this port did so far. */
    public PortStats stats() {
        return new PortStats(port, bytesSent, busyPs, peakWaitingBytes, segmentsSent, creditStalls,
                creditCapacityBytes - creditBytes, drops);
    }
}

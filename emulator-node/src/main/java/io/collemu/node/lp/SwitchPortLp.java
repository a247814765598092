package io.collemu.node.lp;

import io.collemu.collectives.RankSchedule;

/**
 * A switch egress port as an LP: segments arrive from any ingress of its switch, wait in FIFO order, are
 * serialized at line rate when the downstream buffer has credit, and move on; when a segment leaves, the credit
 * for the ingress buffer it occupied goes back to whoever transmitted it here, after the reverse link latency.
 */
public final class SwitchPortLp implements Lp {
    private final int id;
    private final Fabric fabric;
    private final EgressPort port;
    /** NVLS reductions toward this port's GPU in flight (null until the first). */
    private SwitchCombine combine;

    /**
     * The LP of switch-port LP id {@code id}, with a credit window of at least four of the largest segments on
     * its link ({@code segmentProtocolBytes} in protocol lines, plus the link's framing).
     */
    public SwitchPortLp(int id, Fabric fabric, long segmentProtocolBytes) {
        this.id = id;
        this.fabric = fabric;
        this.port = new EgressPort(fabric, fabric.portOfSwitchLp(id), id, segmentProtocolBytes);
        if (fabric.faults().any()) {
            port.enableFaults(new FaultView(fabric), this::dropped);
        }
    }

    @Override
    public void start(LpContext ctx) {
        if (port.view != null) {
            port.startFaults(ctx);
        }
    }

    /**
     * A segment this port lost: if it was still in this switch's buffer, its credit goes back to whoever sent it
     * here; its loss notice walks back to its sender.
     */
    private void dropped(Segment s, boolean queued, LpContext ctx) {
        if (queued) {
            ctx.send(s.upstreamLp, ctx.nowPs() + fabric.creditDelayPs(s.upstreamPort), EventKinds.CREDIT, null,
                    EventKinds.packCredit(s.upstreamPort, s.creditBytes));
        }
        lossBack(s, ctx);
    }

    /** Hands a loss notice to the LP of the previous port of its path (one cable back, like a credit). */
    private void lossBack(Segment s, LpContext ctx) {
        int prev = s.path[s.hops - 1];
        s.hops--;
        ctx.send(fabric.lpOfPort(prev), ctx.nowPs() + fabric.creditDelayPs(prev), EventKinds.LOSS, s, 0);
    }

    /**
     * Returns a segment's ingress credit now: an NVLS segment lives in the switch's multicast or reduction state,
     * not in the buffer of the one egress port it happens to queue at.
     */
    private void release(Segment s, LpContext ctx) {
        if (s.creditBytes > 0) {
            ctx.send(s.upstreamLp, ctx.nowPs() + fabric.creditDelayPs(s.upstreamPort), EventKinds.CREDIT, null,
                    EventKinds.packCredit(s.upstreamPort, s.creditBytes));
            s.creditBytes = 0;
        }
    }

    /**
     * NVLS: a contribution to an in-switch reduction toward this port's GPU. Its ingress buffer is free at once (the
     * switch holds it in its reduction state); when the group is complete the sum leaves once ({@link SwitchCombine}).
     */
    private void reduce(Segment s, LpContext ctx) {
        release(s, ctx);
        if (combine == null) {
            combine = new SwitchCombine();
        }
        Segment[] all = combine.contribute(s);
        if (all == null) {
            return;
        }
        for (int i = 0; i < all.length; i++) {
            port.enqueue(all[i], ctx.nowPs(), i == 0 ? 2L * all[i].protocolBytes : 0);
        }
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public LpReport report() {
        return new LpReport(id, null, null, null, null, new PortStats[] {port.stats()}, 0, 0, 0);
    }

    /** The port this LP serializes on. */
    public EgressPort port() {
        return port;
    }

    @Override
    public void handle(int kind, Object payload, long aux, int srcLp, LpContext ctx) {
        switch (kind) {
            case EventKinds.ARRIVE -> {
                Segment s = (Segment) payload;
                if (s.combine == RankSchedule.COMBINE_REDUCE && port.peerGpuLp >= 0) {
                    reduce(s, ctx);
                } else {
                    if (s.combine == RankSchedule.COMBINE_MULTICAST) {
                        release(s, ctx); // an NVLS store: replicated on arrival, like its copies it holds no buffer
                    }
                    port.enqueue(s, ctx.nowPs());
                }
                port.tryStart(ctx);
            }
            case EventKinds.TX_DONE -> {
                Segment s = (Segment) payload; // null unless in fault mode: then it leaves only now
                if (!port.finishTx(s, ctx)) {
                    lossBack(s, ctx);
                }
                port.tryStart(ctx);
            }
            case EventKinds.LOSS -> lossBack((Segment) payload, ctx);
            case EventKinds.NAK -> port.forwardControl((Segment) payload, ctx, fabric);
            case EventKinds.FAULT_TICK -> port.tryStart(ctx);
            case EventKinds.CREDIT -> {
                port.returnCredit(EventKinds.creditBytes(aux));
                port.tryStart(ctx);
            }
            default -> throw new IllegalStateException("switch port LP " + id + ": unexpected event kind " + kind);
        }
    }
}

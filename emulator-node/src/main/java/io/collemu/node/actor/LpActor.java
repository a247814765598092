package io.collemu.node.actor;

import io.collemu.node.actor.LpMessages.Batch;
import io.collemu.node.actor.LpMessages.Begin;
import io.collemu.node.actor.LpMessages.ClockCommand;
import io.collemu.node.actor.LpMessages.Collect;
import io.collemu.node.actor.LpMessages.Command;
import io.collemu.node.actor.LpMessages.LpFailed;
import io.collemu.node.actor.LpMessages.Reported;
import io.collemu.node.actor.LpMessages.StartWindow;
import io.collemu.node.actor.LpMessages.WindowDone;
import io.collemu.node.engine.EventQueue;
import io.collemu.node.engine.Lp;
import io.collemu.node.engine.LpContext;
import io.collemu.node.lp.LpReport;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A thin actor shell around one LP, or around a group of LPs (see {@code Grouping}) that it runs as a small
 * sequential engine. It keeps its LPs' pending events in one queue ordered by (time, destination LP, source LP,
 * source sequence), as the sequential engine orders them; messages between its own LPs go straight into that
 * queue; it processes a window when the clock says so and every batch due has arrived, sends what its LPs sent to
 * other groups as one batch per destination group, and reports to the clock.
 *
 * <p>All state is confined to the actor; batches and segments change hands only through messages.
 */
public final class LpActor extends AbstractBehavior<Command> {
    private final int group;
    private final Lp[] lpsByLocal;
    private final int[] groupOf;
    private final int[] localIndexOf;
    private final long[] nextSeq;
    private final long[] inboundLookaheadPs;
    private final IntFunction<ActorRef<Command>> refs;
    private final int[] groupMember;
    private final int localMember;
    private final ActorRef<ClockCommand> clock;
    private final IntFunction<LpReport> report;
    private final EventQueue queue = new EventQueue(16);
    private final Outboxes out = new Outboxes();
    private final Ctx ctx = new Ctx();
    private long received;
    private long expected;
    private long pendingHorizonPs = -1;
    private long processedBeforePs = Long.MIN_VALUE;

    private LpActor(ActorContext<Command> context, int group, Lp[] lps, int[] groupOf, int[] localIndexOf,
            long[] inboundLookaheadPs, IntFunction<ActorRef<Command>> refs, int[] groupMember, int localMember,
            ActorRef<ClockCommand> clock, IntFunction<LpReport> report) {
        super(context);
        this.group = group;
        this.lpsByLocal = lps;
        this.groupOf = groupOf;
        this.localIndexOf = localIndexOf;
        this.nextSeq = new long[lps.length];
        this.inboundLookaheadPs = inboundLookaheadPs;
        this.refs = refs;
        this.groupMember = groupMember;
        this.localMember = localMember;
        this.clock = clock;
        this.report = report;
    }

    /**
     * @param group              this actor's group id
     * @param lps                the group's LPs, in the order of their local index
     * @param groupOf            per LP id, its group (shared, read-only)
     * @param localIndexOf       per LP id, its index within its group (shared, read-only)
     * @param inboundLookaheadPs per LP id, the smallest delay of any message it can receive (shared, read-only)
     * @param refs               the actor of each local group id (filled before any message flows)
     * @param groupMember        the member hosting each group; batches for other members go through the clock
     * @param report             an LP's report, by LP id
     */
    public static Behavior<Command> create(int group, Lp[] lps, int[] groupOf, int[] localIndexOf,
            long[] inboundLookaheadPs, IntFunction<ActorRef<Command>> refs, int[] groupMember, int localMember,
            ActorRef<ClockCommand> clock, IntFunction<LpReport> report) {
        return Behaviors.setup(c -> new LpActor(c, group, lps, groupOf, localIndexOf, inboundLookaheadPs, refs,
                groupMember, localMember, clock, report));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Command.class, this::onCommand).build();
    }

    private Behavior<Command> onCommand(Command m) {
        try {
            if (m instanceof Batch b) {
                onBatch(b);
            } else if (m instanceof StartWindow w) {
                expected = w.expectedBatches();
                pendingHorizonPs = w.horizonPs();
                runIfReady();
            } else if (m instanceof Begin b) {
                ctx.nowPs = b.startPs();
                for (int i = 0; i < lpsByLocal.length; i++) {
                    ctx.local = i;
                    ctx.lp = lpsByLocal[i].id();
                    lpsByLocal[i].start(ctx);
                }
                finishWindow(0);
            } else if (m instanceof Collect c) {
                for (Lp lp : lpsByLocal) {
                    c.replyTo().tell(new Reported(report.apply(lp.id())));
                }
            }
        } catch (RuntimeException | AssertionError e) {
            clock.tell(new LpFailed(lpsByLocal[Math.max(0, ctx.local)].id(), e));
        }
        return this;
    }

    private void onBatch(Batch b) {
        for (int i = 0; i < b.count(); i++) {
            long t = b.timePs()[i];
            if (t < processedBeforePs) {
                throw new IllegalStateException("LP " + b.dstLp()[i] + " received an event at " + t + " ps from LP "
                        + b.srcLp()[i] + " after processing up to " + processedBeforePs + " ps (causality violated)");
            }
            queue.add(t, b.dstLp()[i], b.srcLp()[i], b.seq()[i], b.kind()[i], b.payload()[i], b.aux()[i]);
        }
        received++;
        runIfReady();
    }

    private void runIfReady() {
        if (pendingHorizonPs < 0 || received < expected) {
            return;
        }
        long horizon = pendingHorizonPs;
        pendingHorizonPs = -1;
        processedBeforePs = Math.max(processedBeforePs, horizon);
        long events = 0;
        while (!queue.isEmpty() && queue.peekTimePs() < horizon) {
            long t = queue.peekTimePs();
            int dst = queue.peekDstLp();
            int src = queue.peekSrcLp();
            int kind = queue.peekKind();
            long aux = queue.peekAux();
            Object payload = queue.peekPayload();
            queue.poll();
            ctx.nowPs = t;
            ctx.lp = dst;
            ctx.local = localIndexOf[dst];
            lpsByLocal[ctx.local].handle(kind, payload, aux, src, ctx);
            events++;
        }
        finishWindow(events);
    }

    private void finishWindow(long events) {
        int n = out.size();
        int local = 0;
        for (int i = 0; i < n; i++) {
            if (groupMember[out.get(i).dst] == localMember) {
                local++;
            }
        }
        int[] dests = new int[local];
        long[] mins = new long[local];
        int[] remoteDsts = new int[n - local];
        Batch[] remote = new Batch[n - local];
        int l = 0;
        int r = 0;
        for (int i = 0; i < n; i++) {
            Outboxes.Box box = out.get(i);
            if (groupMember[box.dst] == localMember) {
                dests[l] = box.dst;
                mins[l++] = box.minTimePs;
                refs.apply(box.dst).tell(out.drain(i));
            } else {
                remoteDsts[r] = box.dst;
                remote[r++] = out.drain(i);
            }
        }
        out.reset();
        clock.tell(new WindowDone(group, queue.isEmpty() ? Long.MAX_VALUE : queue.peekTimePs(), local, dests, mins,
                events, r, remoteDsts, remote));
    }

    private final class Ctx implements LpContext {
        long nowPs;
        int lp;
        int local = -1;

        @Override
        public long nowPs() {
            return nowPs;
        }

        @Override
        public void schedule(long atPs, int kind, Object payload, long aux) {
            if (atPs < nowPs) {
                throw new IllegalStateException("LP " + lp + " scheduled an event in the past: " + atPs + " < "
                        + nowPs);
            }
            queue.add(atPs, lp, lp, nextSeq[local]++, kind, payload, aux);
        }

        @Override
        public void send(int dstLp, long atPs, int kind, Object payload, long aux) {
            if (atPs - nowPs < inboundLookaheadPs[dstLp]) {
                throw new IllegalStateException("LP " + lp + " sent to LP " + dstLp + " inside its lookahead: "
                        + atPs + " - " + nowPs + " < " + inboundLookaheadPs[dstLp]);
            }
            long seq = nextSeq[local]++;
            int dstGroup = groupOf[dstLp];
            if (dstGroup == group) {
                queue.add(atPs, dstLp, lp, seq, kind, payload, aux);
            } else {
                out.add(dstGroup, dstLp, lp, atPs, seq, kind, payload, aux);
            }
        }
    }
}

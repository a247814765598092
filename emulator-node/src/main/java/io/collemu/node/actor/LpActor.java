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
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A thin actor shell around one LP. It keeps the LP's pending events in its own queue (ordered by time, source LP,
 * source sequence, as the sequential engine orders them), processes a window when the clock says so and every
 * batch due has arrived, sends what the LP sent as one batch per destination, and reports to the clock.
 *
 * <p>All state is confined to the actor; batches and segments change hands only through messages.
 */
public final class LpActor extends AbstractBehavior<Command> {
    private final Lp lp;
    private final int id;
    private final long[] inboundLookaheadPs;
    private final IntFunction<ActorRef<Command>> refs;
    private final int[] lpMember;
    private final int localMember;
    private final ActorRef<ClockCommand> clock;
    private final Supplier<LpReport> report;
    private final EventQueue queue = new EventQueue(16);
    private final Outboxes out = new Outboxes();
    private final Ctx ctx = new Ctx();
    private long received;
    private long expected;
    private long pendingHorizonPs = -1;
    private long processedBeforePs = Long.MIN_VALUE;
    private long nextSeq;

    private LpActor(ActorContext<Command> context, Lp lp, long[] inboundLookaheadPs,
            IntFunction<ActorRef<Command>> refs, int[] lpMember, int localMember, ActorRef<ClockCommand> clock,
            Supplier<LpReport> report) {
        super(context);
        this.lp = lp;
        this.id = lp.id();
        this.inboundLookaheadPs = inboundLookaheadPs;
        this.refs = refs;
        this.lpMember = lpMember;
        this.localMember = localMember;
        this.clock = clock;
        this.report = report;
    }

    /**
     * @param inboundLookaheadPs per LP id, the smallest delay of any message it can receive (shared, read-only)
     * @param refs               the actor of each local LP id (filled before any message flows)
     * @param lpMember           the member hosting each LP id; batches for other members go through the clock
     */
    public static Behavior<Command> create(Lp lp, long[] inboundLookaheadPs, IntFunction<ActorRef<Command>> refs,
            int[] lpMember, int localMember, ActorRef<ClockCommand> clock, Supplier<LpReport> report) {
        return Behaviors.setup(c -> new LpActor(c, lp, inboundLookaheadPs, refs, lpMember, localMember, clock,
                report));
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
                lp.start(ctx);
                finishWindow(0);
            } else if (m instanceof Collect c) {
                c.replyTo().tell(new Reported(report.get()));
            }
        } catch (RuntimeException | AssertionError e) {
            clock.tell(new LpFailed(id, e));
        }
        return this;
    }

    private void onBatch(Batch b) {
        for (int i = 0; i < b.count(); i++) {
            long t = b.timePs()[i];
            if (t < processedBeforePs) {
                throw new IllegalStateException("LP " + id + " received an event at " + t + " ps from LP " + b.srcLp()
                        + " after processing up to " + processedBeforePs + " ps (causality violated)");
            }
            queue.add(t, id, b.srcLp(), b.seq()[i], b.kind()[i], b.payload()[i], b.aux()[i]);
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
            int src = queue.peekSrcLp();
            int kind = queue.peekKind();
            long aux = queue.peekAux();
            Object payload = queue.peekPayload();
            queue.poll();
            ctx.nowPs = t;
            lp.handle(kind, payload, aux, src, ctx);
            events++;
        }
        finishWindow(events);
    }

    private void finishWindow(long events) {
        int n = out.size();
        int local = 0;
        for (int i = 0; i < n; i++) {
            if (lpMember[out.get(i).dst] == localMember) {
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
            if (lpMember[box.dst] == localMember) {
                dests[l] = box.dst;
                mins[l++] = box.minTimePs;
                refs.apply(box.dst).tell(out.drain(id, i));
            } else {
                remoteDsts[r] = box.dst;
                remote[r++] = out.drain(id, i);
            }
        }
        out.reset();
        clock.tell(new WindowDone(id, queue.isEmpty() ? Long.MAX_VALUE : queue.peekTimePs(), local, dests, mins,
                events, r, remoteDsts, remote));
    }

    private final class Ctx implements LpContext {
        long nowPs;

        @Override
        public long nowPs() {
            return nowPs;
        }

        @Override
        public void schedule(long atPs, int kind, Object payload, long aux) {
            if (atPs < nowPs) {
                throw new IllegalStateException("LP " + id + " scheduled an event in the past: " + atPs + " < "
                        + nowPs);
            }
            queue.add(atPs, id, id, nextSeq++, kind, payload, aux);
        }

        @Override
        public void send(int dstLp, long atPs, int kind, Object payload, long aux) {
            if (atPs - nowPs < inboundLookaheadPs[dstLp]) {
                throw new IllegalStateException("LP " + id + " sent to LP " + dstLp + " inside its lookahead: "
                        + atPs + " - " + nowPs + " < " + inboundLookaheadPs[dstLp]);
            }
            out.add(dstLp, atPs, nextSeq++, kind, payload, aux);
        }
    }
}

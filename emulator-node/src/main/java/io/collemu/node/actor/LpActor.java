package io.collemu.node.actor;

import io.collemu.node.engine.LocalLoop;
import io.collemu.node.lp.Lp;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A thin actor shell around one group of LPs (see {@link Grouping}; often one LP), which it runs in a
 * {@link LocalLoop}: the sequential engine's loop over the group. It processes a window when its clock says so and
 * every batch due has arrived, sends what its LPs sent to other groups as one {@link Batch} per destination group
 * (directly to local actors; through the clock to other members), and reports to the clock.
 *
 * <pre>
 *   clock --StartWindow(horizon, expected)--> LpActor --Batch--> other local LpActors
 *   other LpActors --Batch--> LpActor           LpActor --WindowDone(next, dests, remote batches)--> clock
 * </pre>
 *
 * <p>All state is confined to the actor; batches and segments change hands only through messages.
 */
public final class LpActor extends AbstractBehavior<LpActor.Command> {

    /** What an LP actor accepts. */
    public interface Command {
    }

    /** Start the LPs at the run's start time, then report like a window. */
    public record Begin(long startPs) implements Command {
    }

    /**
     * Process every event due before {@code horizonPs}, once {@code expectedBatches} batches (counted since the
     * run began) have arrived.
     */
    public record StartWindow(long horizonPs, long expectedBatches) implements Command {
    }

    /**
     * Events the LPs of one actor sent the LPs of another during one window, as parallel arrays of {@code count}
     * entries (source and destination LP per event: an actor may host a group of LPs).
     */
    public record Batch(int count, int[] srcLp, int[] dstLp, long[] timePs, long[] seq, int[] kind, long[] aux,
            Object[] payload) implements Command, ClusterMessage {

        /** The earliest event of the batch ({@code Long.MAX_VALUE} if it is empty). */
        public long minTimePs() {
            long min = Long.MAX_VALUE;
            for (int e = 0; e < count; e++) {
                min = Math.min(min, timePs[e]);
            }
            return min;
        }
    }

    /** Send every LP's report to {@code replyTo}. */
    public record Collect(ActorRef<MemberClock.Command> replyTo) implements Command {
    }

    /**
     * What every actor of a member shares.
     *
     * @param lpInboundPs per LP id, the smallest delay of any message into it (sends are checked against it)
     * @param localRefs   the actor of each local group id (filled before any message flows)
     * @param clock       the member's clock
     */
    public record Wiring(Placement placement, long[] lpInboundPs, IntFunction<ActorRef<Command>> localRefs,
            ActorRef<MemberClock.Command> clock) {
    }

    private final int group;
    private final Lp[] lps;
    private final Wiring wiring;
    private final Outboxes out;
    private final LocalLoop loop;
    private long received;
    private long expected;
    private long pendingHorizonPs = -1;

    private LpActor(ActorContext<Command> context, int group, Lp[] lps, Wiring wiring) {
        super(context);
        this.group = group;
        this.lps = lps;
        this.wiring = wiring;
        Grouping grouping = wiring.placement().grouping();
        this.out = new Outboxes(grouping.groupOfArray());
        this.loop = new LocalLoop(lps, grouping.groupOfArray(), group, grouping.localIndexOfArray(),
                wiring.lpInboundPs(), out);
    }

    /**
     * The actor of group {@code group}.
     *
     * @param lps the group's LPs, in the order of their index within the group
     */
    public static Behavior<Command> create(int group, Lp[] lps, Wiring wiring) {
        return Behaviors.setup(c -> new LpActor(c, group, lps, wiring));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Batch.class, m -> guarded(() -> onBatch(m)))
                .onMessage(StartWindow.class, m -> guarded(() -> onStartWindow(m)))
                .onMessage(Begin.class, m -> guarded(() -> onBegin(m)))
                .onMessage(Collect.class, m -> guarded(() -> onCollect(m)))
                .build();
    }

    /** A model invariant that breaks ends the run with an error instead of a silent stop. */
    private Behavior<Command> guarded(Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException | AssertionError e) {
            int lp = loop.currentLp() >= 0 ? loop.currentLp() : lps[0].id();
            wiring.clock().tell(new MemberClock.LpFailed(lp, e));
        }
        return this;
    }

    private void onBatch(Batch b) {
        for (int i = 0; i < b.count(); i++) {
            loop.accept(b.timePs()[i], b.dstLp()[i], b.srcLp()[i], b.seq()[i], b.kind()[i], b.payload()[i],
                    b.aux()[i]);
        }
        received++;
        runIfReady();
    }

    private void onStartWindow(StartWindow w) {
        expected = w.expectedBatches();
        pendingHorizonPs = w.horizonPs();
        runIfReady();
    }

    private void onBegin(Begin b) {
        loop.start(b.startPs());
        finishWindow(0);
    }

    private void onCollect(Collect c) {
        for (Lp lp : lps) {
            c.replyTo().tell(new MemberClock.Reported(lp.report()));
        }
    }

    private void runIfReady() {
        if (pendingHorizonPs < 0 || received < expected) {
            return;
        }
        long horizon = pendingHorizonPs;
        pendingHorizonPs = -1;
        finishWindow(loop.runBefore(horizon, Long.MAX_VALUE));
    }

    /** Sends local batches directly, hands remote ones to the clock, and reports the window. */
    private void finishWindow(long events) {
        Placement placement = wiring.placement();
        int n = out.size();
        int local = 0;
        for (int i = 0; i < n; i++) {
            if (placement.isLocal(out.get(i).dst)) {
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
            if (placement.isLocal(box.dst)) {
                dests[l] = box.dst;
                mins[l++] = box.minTimePs;
                wiring.localRefs().apply(box.dst).tell(out.drain(i));
            } else {
                remoteDsts[r] = box.dst;
                remote[r++] = out.drain(i);
            }
        }
        out.reset();
        wiring.clock().tell(new MemberClock.WindowDone(group, loop.nextEventPs(), dests, mins, events, remoteDsts,
                remote));
    }
}

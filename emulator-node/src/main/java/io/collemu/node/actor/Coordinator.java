package io.collemu.node.actor;

import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineStats;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.LpReport;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Starts one emulation on the member clocks and ends it: the clocks advance the global windows among themselves
 * (each computes the next from the announcements in the other members' batches: {@link MemberExchange}); once
 * every member says no event is left anywhere, it gathers every LP's report and completes the run's future. A member whose LP fails completes it with an error
 * (a lost member is the cluster engine's to notice: it races the run's future against its member watch). It
 * watches every clock: one that stops before it has sent its reports (it failed) ends the run with an error, so a
 * broken clock is never a silent wait for a MemberDone that cannot come.
 *
 * <pre>
 *   Coordinator --Peers--> every clock (start)
 *   clock --MemberDone(no event left)--> Coordinator        all in: --CollectReports--> every clock
 *   clock --MemberReports--> Coordinator
 * </pre>
 */
public final class Coordinator extends AbstractBehavior<Coordinator.Command> {

    /** What the coordinator accepts. */
    public interface Command {
    }

    /**
     * A member is done: no event is left anywhere ({@code nextPs} is {@code Long.MAX_VALUE}), its last global
     * window and what it did.
     */
    public record MemberDone(int member, long windowPs, long nextPs, long events, long activations, long windows,
            long crossBatches, long barrierWaitNanos, long globalWindows) implements Command, ClusterMessage {
    }

    /** A member's LP reports. */
    public record MemberReports(int member, LpReport[] reports) implements Command, ClusterMessage {
    }

    /** A member's LP failed, or ({@code lost}) it lost its window link to another member. */
    public record MemberFailed(int member, String message, boolean lost) implements Command, ClusterMessage {
    }

    /**
     * The members of one run.
     *
     * @param names     a name per member for messages (e.g. its address)
     * @param endpoints the members' {@link WindowLinks} endpoints, comma-separated in member order, or "" when the
     *                  window exchange goes through Pekko
     */
    public record Members(ActorRef<MemberClock.Command>[] clocks, String[] names, String endpoints) {
    }

    private static final long NONE = Long.MAX_VALUE;
    private final Members members;
    private final CompletableFuture<Engine.Outcome> result;
    private final Progress progress;
    private final long wallStart = System.nanoTime();
    private final MemberDone[] latest;
    private final LpReport[] reports;
    private int done;
    private long lastWindowPs;
    private long globalWindows;
    private int reportsMissing;

    private Coordinator(ActorContext<Command> context, Members members, int lpCount, Progress progress,
            CompletableFuture<Engine.Outcome> result) {
        super(context);
        this.members = members;
        this.progress = progress;
        this.result = result;
        this.latest = new MemberDone[members.clocks().length];
        this.reports = new LpReport[lpCount];
        for (ActorRef<MemberClock.Command> c : members.clocks()) {
            context.watch(c);
            c.tell(new MemberClock.Peers(members.clocks(), context.getSelf(), members.endpoints()));
        }
    }

    /** Starts the run on every member clock; {@code result} completes with its outcome or its error. */
    public static Behavior<Command> create(Members members, int lpCount, Progress progress,
            CompletableFuture<Engine.Outcome> result) {
        return Behaviors.setup(c -> new Coordinator(c, members, lpCount, progress, result));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(MemberDone.class, this::onMemberDone)
                .onMessage(MemberReports.class, this::onMemberReports)
                .onMessage(MemberFailed.class, f -> fail(f.lost()
                        ? new MemberLostException("cluster member " + members.names()[f.member()] + ": " + f.message())
                        : new IllegalStateException("member " + members.names()[f.member()] + ": " + f.message())))
                .onSignal(Terminated.class, this::onClockStopped)
                .build();
    }

    private Behavior<Command> onClockStopped(Terminated t) {
        if (reportsMissing > 0) {
            // collecting: a clock stops once it has sent its reports, and over the network its Terminated (a
            // system message) may overtake them
            return this;
        }
        String name = t.getRef().path().address().toString();
        for (int m = 0; m < members.clocks().length; m++) {
            if (members.clocks()[m].equals(t.getRef())) {
                name = members.names()[m];
            }
        }
        return fail(new IllegalStateException("member " + name + ": its clock stopped before the run ended (see "
                + "that member's log)"));
    }

    private Behavior<Command> onMemberDone(MemberDone d) {
        if (d.nextPs() != NONE) {
            return fail(new IllegalStateException("member " + members.names()[d.member()] + " stopped at "
                    + d.windowPs() + " ps with events left at " + d.nextPs() + " ps"));
        }
        latest[d.member()] = d;
        lastWindowPs = Math.max(lastWindowPs, d.windowPs());
        globalWindows = Math.max(globalWindows, d.globalWindows());
        if (++done < latest.length) {
            return this;
        }
        progress.update(lastWindowPs, sum(MemberDone::events));
        ActorRef<MemberClock.Command>[] clocks = members.clocks();
        reportsMissing = clocks.length;
        for (ActorRef<MemberClock.Command> c : clocks) {
            c.tell(new MemberClock.CollectReports());
        }
        return this;
    }

    private Behavior<Command> onMemberReports(MemberReports r) {
        for (LpReport rep : r.reports()) {
            reports[rep.lp()] = rep;
        }
        if (--reportsMissing > 0) {
            return this;
        }
        EngineStats stats = new EngineStats(sum(MemberDone::events), lastWindowPs, System.nanoTime() - wallStart,
                sum(MemberDone::windows), sum(MemberDone::activations));
        double barrier = sum(MemberDone::barrierWaitNanos) / (double) latest.length;
        result.complete(new Engine.Outcome(stats, reports, globalWindows, sum(MemberDone::crossBatches), barrier));
        return Behaviors.stopped();
    }

    private Behavior<Command> fail(RuntimeException e) {
        result.completeExceptionally(e);
        return Behaviors.stopped();
    }

    private long sum(java.util.function.ToLongFunction<MemberDone> f) {
        long s = 0;
        for (MemberDone d : latest) {
            s += d == null ? 0 : f.applyAsLong(d);
        }
        return s;
    }
}

package io.collemu.node.actor;

import io.collemu.node.actor.LpMessages.ClockCommand;
import io.collemu.node.actor.LpMessages.CollectReports;
import io.collemu.node.actor.LpMessages.CoordinatorCommand;
import io.collemu.node.actor.LpMessages.GlobalWindow;
import io.collemu.node.actor.LpMessages.MemberDone;
import io.collemu.node.actor.LpMessages.MemberFailed;
import io.collemu.node.actor.LpMessages.MemberLost;
import io.collemu.node.actor.LpMessages.MemberReports;
import io.collemu.node.actor.LpMessages.Peers;
import io.collemu.node.cli.MemberLostException;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineStats;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.LpReport;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Runs the global windows of one emulation over the member clocks: once every member is done with a window, the
 * next starts at the earliest pending event of any member (empty stretches are skipped); when none is left, it
 * gathers every LP's report and completes the run. A member that fails or is lost ends the run with an error.
 */
public final class Coordinator extends AbstractBehavior<CoordinatorCommand> {
    private static final long NONE = Long.MAX_VALUE;
    private final ActorRef<ClockCommand>[] clocks;
    private final int lpCount;
    private final CompletableFuture<Engine.Outcome> result;
    private final Progress progress;
    private final long wallStart = System.nanoTime();
    private final long[] memberEvents;
    private final long[] memberActivations;
    private final long[] memberWindows;
    private final long[] memberCross;
    private final long[] memberBarrierNanos;
    private final String[] memberNames;
    private final LpReport[] reports;
    private int done;
    private long nextPs = NONE;
    private long lastWindowPs;
    private long globalWindows;
    private int reportsMissing;
    private boolean finished;

    private Coordinator(ActorContext<CoordinatorCommand> context, ActorRef<ClockCommand>[] clocks, String[] names,
            int lpCount, Progress progress, CompletableFuture<Engine.Outcome> result) {
        super(context);
        this.clocks = clocks;
        this.memberNames = names;
        this.lpCount = lpCount;
        this.progress = progress;
        this.result = result;
        int m = clocks.length;
        memberEvents = new long[m];
        memberActivations = new long[m];
        memberWindows = new long[m];
        memberCross = new long[m];
        memberBarrierNanos = new long[m];
        reports = new LpReport[lpCount];
        for (ActorRef<ClockCommand> c : clocks) {
            c.tell(new Peers(clocks, context.getSelf()));
        }
    }

    /** @param names a name per member for error messages (e.g. its address) */
    public static Behavior<CoordinatorCommand> create(ActorRef<ClockCommand>[] clocks, String[] names, int lpCount,
            Progress progress, CompletableFuture<Engine.Outcome> result) {
        return Behaviors.setup(c -> new Coordinator(c, clocks, names, lpCount, progress, result));
    }

    @Override
    public Receive<CoordinatorCommand> createReceive() {
        return newReceiveBuilder().onMessage(CoordinatorCommand.class, this::onCommand).build();
    }

    private Behavior<CoordinatorCommand> onCommand(CoordinatorCommand m) {
        if (finished) {
            return this;
        }
        if (m instanceof MemberDone d) {
            memberEvents[d.member()] = d.events();
            memberActivations[d.member()] = d.activations();
            memberWindows[d.member()] = d.windows();
            memberCross[d.member()] = d.crossBatches();
            memberBarrierNanos[d.member()] = d.barrierWaitNanos();
            nextPs = Math.min(nextPs, d.nextPs());
            if (++done == clocks.length) {
                done = 0;
                long next = nextPs;
                nextPs = NONE;
                if (next == NONE) {
                    progress.update(lastWindowPs, sum(memberEvents));
                    reportsMissing = clocks.length;
                    for (ActorRef<ClockCommand> c : clocks) {
                        c.tell(new CollectReports());
                    }
                } else {
                    globalWindows++;
                    lastWindowPs = next;
                    for (ActorRef<ClockCommand> c : clocks) {
                        c.tell(new GlobalWindow(next));
                    }
                    if (clocks.length > 1 && (globalWindows & 0xff) == 0) {
                        progress.update(next, sum(memberEvents));
                    }
                }
            }
        } else if (m instanceof MemberReports r) {
            for (LpReport rep : r.reports()) {
                reports[rep.lp()] = rep;
            }
            if (--reportsMissing == 0) {
                finished = true;
                EngineStats stats = new EngineStats(sum(memberEvents), lastWindowPs, System.nanoTime() - wallStart,
                        sum(memberWindows), sum(memberActivations));
                result.complete(new Engine.Outcome(stats, reports, globalWindows, sum(memberCross),
                        sum(memberBarrierNanos) / (double) clocks.length));
                return Behaviors.stopped();
            }
        } else if (m instanceof MemberFailed f) {
            finished = true;
            result.completeExceptionally(new IllegalStateException("member " + memberNames[f.member()] + ": "
                    + f.message()));
            return Behaviors.stopped();
        } else if (m instanceof MemberLost lost) {
            finished = true;
            result.completeExceptionally(new MemberLostException("cluster member " + lost.address()
                    + " was lost during the run"));
            return Behaviors.stopped();
        }
        return this;
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}

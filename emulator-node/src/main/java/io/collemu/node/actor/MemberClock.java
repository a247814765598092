package io.collemu.node.actor;

import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Lp;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.Model;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The clock of one member: conservative, window-synchronous virtual time over the LP actors this member hosts. It
 * is a thin shell: the {@link WindowScheduler} decides the local windows, the {@link MemberExchange} the batches
 * between members; this actor spawns the LP actors, relays messages, and gathers reports.
 *
 * <pre>
 *   global window G (the start, then the earliest pending event anywhere, which every member computes alike)
 *   member clock, local windows:  T = earliest pending local event
 *       --StartWindow(horizon, expected batches)--> each local LP actor with an event before its horizon
 *       LP actor --Batch--> local LP actor          (one per destination per window, direct)
 *       LP actor --WindowDone(next event, destinations, batches for other members)--> clock
 *       horizon_g = min(T + lookahead_g, G + cross-member lookahead)
 *       horizon_g = min(T + lookahead_g, G + W),  W = half the cross-member lookahead L
 *   nothing left before the horizons:  one MemberBatch (or a few parts) to every other member, even empty,
 *       carrying this member's earliest pending or sent event N and its earliest sent event S;
 *   window k done and every other member's parts of window k-1 in:
 *       next G = max(G + W, min(N of window k-1, S of window k-2)) over all members, this one included;
 *       nothing left anywhere: MemberDone --> coordinator, which then collects the reports
 * </pre>
 *
 * <b>Pipelined by one window.</b> A message sent in global window k leaves at or after its start G_k and arrives
 * at least L later: never before the end of window k+1, which starts at most W after G_k... unless window k was
 * empty, and then it sent nothing. So a member runs window k+1 while its batches of window k are still on the
 * wire, and only window k+2 waits for them: the network's round trip overlaps a window's work instead of adding to
 * it. The next window starts W later, or later still where the announcements of window k-1 (with what was sent in
 * window k-2, possibly not yet received when a member announced) show that nothing is pending before: the same
 * figures on every member, so every member computes the same windows. With one member the cross-member lookahead
 * is infinite and a global window runs the whole emulation.
 *
 * <p>Over direct {@link WindowLinks} the clock reads the other members' parts itself when it waits for them
 * ({@link #awaitLinks}), spinning first where it has a processor to itself: no thread hands them over.
 */
public final class MemberClock extends AbstractBehavior<MemberClock.Command> {

    /** What a member clock accepts. */
    public interface Command {
    }

    /**
     * An actor finished its window: the time of its earliest remaining event, the local groups it sent a batch to
     * and the earliest event in each, how many events it handled, and its batches for groups on other members
     * (the clock forwards them).
     */
    public record WindowDone(int group, long nextLocalPs, int[] dests, long[] destMinPs, long events,
            int[] remoteDsts, LpActor.Batch[] remoteBatches) implements Command {
    }

    /** An LP failed (a model invariant broke): the run ends with this error. */
    public record LpFailed(int lp, Throwable error) implements Command {
    }

    /** An LP's report, in reply to {@link LpActor.Collect}. */
    public record Reported(LpReport report) implements Command {
    }

    /**
     * The clocks of every member, by member index, the coordinator, and the members' {@link WindowLinks} endpoints
     * (comma-separated, "" when batches go through Pekko); starts the run.
     */
    public record Peers(ActorRef<Command>[] clocks, ActorRef<Coordinator.Command> coordinator, String endpoints)
            implements Command, ClusterMessage {
    }

    /** This member's window link to or from {@code member} broke (from {@link WindowLinks}; local only). */
    public record LinkFailed(int member, String message) implements Command {
    }

    /** A broken window link was not explained by a lost member within the grace: the run ends. */
    private record LinkGiveUp(String message) implements Command {
    }

    /** Go on reading the window links: the last wait's slice ended before the parts came (local only). */
    private enum PollLinks implements Command {
        INSTANCE
    }

    /**
     * What one member's actors sent another member's actors during one global window (exchange number
     * {@code exchange}, counted from 0 for the start): part {@code part} of {@code parts}, each with {@code count}
     * batches for the groups in {@code dsts}, and the sender's share of the next global window (its earliest pending
     * event or event sent to another member) and the earliest event it sent another member in that window.
     */
    public record MemberBatch(long exchange, int fromMember, int part, int parts, int count, int[] dsts,
            LpActor.Batch[] batches, long senderNextPs, long senderSentPs) implements Command, ClusterMessage {
    }

    /** Send the reports of every local LP to the coordinator. */
    public record CollectReports() implements Command, ClusterMessage {
    }

    /**
     * One member's part of a run.
     *
     * @param crossLookaheadPs the smallest delay of a message between members ({@code Long.MAX_VALUE} for one)
     * @param dispatcher       the dispatcher the LP actors run on
     * @param links            the direct window exchange ({@link WindowLinks}), or null: through Pekko
     * @param linkGrace        how long a broken link may wait for the cluster to name a lost member before the run
     *                         ends on the link's own error
     */
    public record Plan(Model model, Placement placement, long crossLookaheadPs, long startPs, String dispatcher,
            Progress progress, WindowLinks links, java.time.Duration linkGrace) {

        /** A plan whose batches go through Pekko. */
        public Plan(Model model, Placement placement, long crossLookaheadPs, long startPs, String dispatcher,
                Progress progress) {
            this(model, placement, crossLookaheadPs, startPs, dispatcher, progress, null, java.time.Duration.ZERO);
        }
    }

    private final Plan plan;
    private final int member;
    private final int[] localGroups;
    private final int localLpCount;
    private final ActorRef<LpActor.Command>[] actors;
    private final WindowScheduler scheduler;
    /**
     * How many windows a member may run ahead of the batches it has received, with other members: windows are then
     * the cross-member lookahead over (depth + 1), and the next window's bound takes the sent figures of that many
     * windows back. Measured on the 512-GPU run (2 members, this 2-core VM): depth 1 65.3 and 71.8 s, depth 2 71.7
     * and 82.9 s (more windows, each with its fixed cost, for slack the members do not use). Again once the clock
     * read its links itself (2026-12-03): depth 0 61.7 and 65.8 s, depth 1 58.7 and 64.6 s; and with the hand-written
     * serializers: depth 2 64.7 and 58.6 s, depth 1 54.6 and 57.5 s.
     */
    static final int PIPELINE_DEPTH = 1;
    /** The longest this clock reads its window links before it looks at its mailbox again. */
    static final long POLL_SLICE_MS = 50;
    /**
     * How long a clock that has a processor to itself spins on its window links before it waits in the kernel.
     * Measured on the 512-GPU run (2 members on this 2-core VM, per-window timestamps of both members): a clock
     * that waited in the kernel went on a median 42 us after the later of its own send and the other member's, and
     * a send (one write of about 1.7 kB) cost 25-33 us; spinning, 30 us and 17 us. A waiting thread is woken by the
     * kernel, and on this VM (Firecracker, guest halt-polling off) an idle processor halts, so the wake-up is slow.
     * 200 us covers about 90% of the waits (their p90 was 131 us). Whole runs: 54.6, 54.9 and 58.6 s spinning 200 us
     * against 60.0 and 60.8 s without (50 us: 59.7 s; 1 ms: 60.2 s); the VM's noise is of the same size.
     */
    static final long SPIN_NS = 200_000L;
    /** Whether other members run parts of this run (the cross-member lookahead is finite). */
    private final boolean withOthers;
    /** {@link #PIPELINE_DEPTH} with other members, else 0. */
    private final int lag;
    /** A global window's length: half the cross-member lookahead when pipelined, else all of it. */
    private final long windowPs;
    private final List<LpReport> reports = new ArrayList<>();
    /** Other members' parts that came before this clock's {@link Peers}; handled once it has started. */
    private final List<MemberBatch> early = new ArrayList<>();
    private MemberExchange exchange;
    private ActorRef<Command>[] peers;
    private ActorRef<Coordinator.Command> coordinator;
    private long globalWindowPs;
    private boolean exchanging;
    private int reportsMissing;
    private long events;
    /** Wall time spent between finishing a global window's local work and starting the next (statistics only). */
    private long barrierWaitNanos;
    private long exchangeStartNanos;
    private long globalWindows;
    private boolean failed;
    /** The batches go over {@link Plan#links()} (set on {@link Peers}). */
    private boolean direct;
    /** This member has said MemberDone: its links may close from now on. */
    private boolean finished;
    private boolean linkBroken;
    /**
     * How long this clock spins on its links before it waits in the kernel: {@link #SPIN_NS} when the members on
     * this member's host, times its threads, fit in the host's processors, else 0 (a spinning member would take the
     * processor another one needs).
     */
    private long spinNs;
    /** {@link #maybeDoneExchanging} is running, and whether it must run once more. */
    private boolean advancing;
    private boolean again;
    /** A {@link PollLinks} is in this clock's mailbox. */
    private boolean pollPending;
    /** Where {@link WindowLinks#poll} puts what it reads. */
    private final WindowLinks.Sink linkSink = new WindowLinks.Sink() {
        @Override
        public void batch(MemberBatch b) {
            receive(b);
        }

        @Override
        public void failed(int from, String message) {
            onLinkFailed(new LinkFailed(from, message));
        }
    };

    @SuppressWarnings("unchecked")
    private MemberClock(ActorContext<Command> context, Plan plan) {
        super(context);
        this.plan = plan;
        Placement placement = plan.placement();
        Grouping grouping = placement.grouping();
        this.member = placement.member();
        this.localGroups = placement.localGroups();
        int lps = 0;
        for (int g : localGroups) {
            lps += grouping.members(g).length;
        }
        this.localLpCount = lps;
        this.actors = new ActorRef[grouping.groupCount()];
        long cross = plan.crossLookaheadPs();
        this.withOthers = cross < WindowScheduler.NONE / 8;
        this.lag = cross > PIPELINE_DEPTH && withOthers ? PIPELINE_DEPTH : 0;
        this.windowPs = cross / (lag + 1);
        this.scheduler = new WindowScheduler(grouping.inboundLookaheadPs(plan.model().fabric()), windowPs);
    }

    /** The clock of one member's part of a run; it starts on {@link Peers}. */
    public static Behavior<Command> create(Plan plan) {
        return Behaviors.setup(c -> new MemberClock(c, plan));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(WindowDone.class, this::onWindowDone)
                .onMessage(MemberBatch.class, this::onMemberBatch)
                .onMessage(Peers.class, this::onPeers)
                .onMessage(CollectReports.class, this::onCollectReports)
                .onMessage(Reported.class, this::onReported)
                .onMessage(LpFailed.class, this::onLpFailed)
                .onMessage(LinkFailed.class, this::onLinkFailed)
                .onMessage(LinkGiveUp.class, this::onLinkGiveUp)
                .onMessage(PollLinks.class, p -> {
                    pollPending = false;
                    maybeDoneExchanging();
                    return this;
                })
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
                    if (plan.links() != null) {
                        plan.links().close();
                    }
                    return this;
                })
                .build();
    }

    private Behavior<Command> onPeers(Peers p) {
        this.peers = p.clocks();
        this.coordinator = p.coordinator();
        this.exchange = new MemberExchange(member, peers.length);
        if (plan.links() != null && !p.endpoints().isEmpty()) {
            direct = true;
            String[] endpoints = p.endpoints().split(",");
            spinNs = spins(endpoints, member, dispatcherThreads(), Runtime.getRuntime().availableProcessors())
                    ? SPIN_NS : 0;
            for (int m = 0; m < endpoints.length && !linkBroken; m++) {
                if (m == member) {
                    continue;
                }
                try {
                    plan.links().connect(member, m, endpoints[m]);
                } catch (java.io.IOException e) {
                    // most likely the member is gone: give the cluster engine the time to name it
                    onLinkFailed(new LinkFailed(m, "cannot open the window link to member " + m + " at "
                            + endpoints[m] + " (" + e.getMessage() + ")"));
                }
            }
        }
        DispatcherSelector selector = DispatcherSelector.fromConfig(plan.dispatcher());
        Grouping grouping = plan.placement().grouping();
        LpActor.Wiring wiring = new LpActor.Wiring(plan.placement(), plan.model().fabric().inboundLookaheadPs(),
                g -> actors[g], getContext().getSelf());
        Lp[] all = plan.model().lps();
        for (int g : localGroups) {
            int[] ms = grouping.members(g);
            Lp[] groupLps = new Lp[ms.length];
            for (int i = 0; i < ms.length; i++) {
                groupLps[i] = all[ms[i]];
            }
            actors[g] = getContext().spawnAnonymous(LpActor.create(g, groupLps, wiring), selector);
        }
        // the start is a window of its own: every LP's start(), then the exchange and a MemberDone
        globalWindowPs = plan.startPs();
        for (int g : localGroups) {
            scheduler.markStarted(g);
            actors[g].tell(new LpActor.Begin(plan.startPs()));
        }
        if (localGroups.length == 0) {
            exchange();
        }
        for (MemberBatch b : early) {
            onMemberBatch(b);
        }
        early.clear();
        return this;
    }

    private Behavior<Command> onWindowDone(WindowDone d) {
        if (failed) {
            return this;
        }
        events += d.events();
        int[] groupMember = plan.placement().groupMember();
        for (int k = 0; k < d.remoteDsts().length; k++) {
            int dst = d.remoteDsts()[k];
            exchange.add(groupMember[dst], dst, d.remoteBatches()[k]);
        }
        if (scheduler.done(d.group(), d.nextLocalPs(), d.dests(), d.destMinPs())) {
            localWindow();
        }
        return this;
    }

    private Behavior<Command> onMemberBatch(MemberBatch b) {
        if (failed) {
            return this;
        }
        if (peers == null) {
            // with three or more members, another member's first part can overtake the leader's Peers (different
            // senders, different connections): keep it until this clock has started
            early.add(b);
            return this;
        }
        receive(b);
        maybeDoneExchanging();
        return this;
    }

    /** Hands another member's part to the local actors it is for. */
    private void receive(MemberBatch b) {
        for (int i = 0; i < b.count(); i++) {
            int dst = b.dsts()[i];
            LpActor.Batch batch = b.batches()[i];
            actors[dst].tell(batch);
            scheduler.noteIncoming(dst, batch.minTimePs());
        }
        exchange.received(b);
    }

    private Behavior<Command> onCollectReports(CollectReports c) {
        CrashPoint.gather();
        reportsMissing = localLpCount;
        if (reportsMissing == 0) {
            coordinator.tell(new Coordinator.MemberReports(member, new LpReport[0]));
            return Behaviors.stopped();
        }
        for (int g : localGroups) {
            actors[g].tell(new LpActor.Collect(getContext().getSelf()));
        }
        return this;
    }

    private Behavior<Command> onReported(Reported r) {
        reports.add(r.report());
        if (--reportsMissing == 0) {
            // to a leader with other members: the GPUs' histograms merged (one JVM keeps them per GPU for tests)
            coordinator.tell(new Coordinator.MemberReports(member, withOthers ? LpReport.withMergedHistograms(reports)
                    : reports.toArray(LpReport[]::new)));
            return Behaviors.stopped();
        }
        return this;
    }

    private Behavior<Command> onLpFailed(LpFailed f) {
        if (!failed) {
            failed = true;
            Throwable e = f.error();
            coordinator.tell(new Coordinator.MemberFailed(member, "LP " + f.lp() + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage(), false));
        }
        return this;
    }

    /** Activates every local actor with an event before its horizon; when none is left, exchanges. */
    private void localWindow() {
        long t = scheduler.nextWindow(globalWindowPs,
                (g, horizonPs, expected) -> actors[g].tell(new LpActor.StartWindow(horizonPs, expected)));
        if (t != WindowScheduler.NONE && (scheduler.windows() & 0x3ff) == 0) {
            plan.progress().update(t, events);
        }
        if (scheduler.outstanding() == 0) {
            exchange();
        }
    }

    /** Sends every other member its batches of this global window (at least one message each). */
    private void exchange() {
        exchanging = true;
        exchangeStartNanos = System.nanoTime(); // statistics only: never feeds back into the model
        exchange.begin(scheduler.nextEventPs());
        for (int m = 0; m < peers.length; m++) {
            for (MemberBatch part : exchange.flush(m)) {
                if (!direct) {
                    peers[m].tell(part);
                } else if (!linkBroken) {
                    try {
                        plan.links().send(m, part, linkSink);
                    } catch (java.io.IOException e) {
                        onLinkFailed(new LinkFailed(m, "the window link to member " + m + " failed: "
                                + e.getMessage()));
                    }
                }
            }
        }
        exchange.sent();
        maybeDoneExchanging();
    }

    /**
     * Reads the window links on this thread until every other member's parts of exchange {@code need} are in, for at
     * most {@link #POLL_SLICE_MS}; after that the clock goes back to its mailbox (a {@link PollLinks} brings it back
     * here), so that it stops, fails and hears of broken links as usual.
     *
     * @return whether the parts are in
     */
    private boolean awaitLinks(long need) {
        long start = System.nanoTime();
        long deadline = start + POLL_SLICE_MS * 1_000_000L;
        long spinUntil = start + spinNs;
        long waitMs = 0; // first whatever is already in the kernel's buffers, without a system call that waits
        while (!linkBroken && !failed) {
            plan.links().poll(waitMs, linkSink);
            if (exchange.complete(need)) {
                return true;
            }
            long now = System.nanoTime();
            if (now < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            long leftNanos = deadline - now;
            if (leftNanos <= 0) {
                break;
            }
            waitMs = Math.max(1, leftNanos / 1_000_000L);
        }
        if (!linkBroken && !failed && !pollPending) {
            pollPending = true;
            getContext().getSelf().tell(PollLinks.INSTANCE);
        }
        return false;
    }

    /**
     * Whether a member may spin while it waits: the members advertising the same host as {@code member}, each
     * running {@code threads} threads, fit in {@code processors}.
     */
    static boolean spins(String[] endpoints, int member, int threads, int processors) {
        String host = hostOf(endpoints[member]);
        int sharing = 0;
        for (String e : endpoints) {
            if (hostOf(e).equals(host)) {
                sharing++;
            }
        }
        return (long) sharing * threads <= processors;
    }

    private static String hostOf(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return colon < 0 ? endpoint : endpoint.substring(0, colon);
    }

    /** The threads of this member's LP dispatcher (1 if its configuration does not say). */
    private int dispatcherThreads() {
        com.typesafe.config.Config config = getContext().getSystem().settings().config();
        String path = plan.dispatcher() + ".thread-pool-executor.fixed-pool-size";
        return config.hasPath(path) ? Math.max(1, config.getInt(path)) : 1;
    }

    /**
     * A window link broke. A member that died breaks its links at once, seconds before the cluster's failure
     * detector names it: wait {@link Plan#linkGrace()} for the cluster engine to report the lost member, then end
     * the run on the link's error (never a silent wait for batches that cannot come).
     */
    private Behavior<Command> onLinkFailed(LinkFailed f) {
        if (finished || failed || linkBroken) {
            return this; // at the end of a run the peers close their links: expected
        }
        linkBroken = true;
        getContext().scheduleOnce(plan.linkGrace(), getContext().getSelf(), new LinkGiveUp(f.message()));
        return this;
    }

    private Behavior<Command> onLinkGiveUp(LinkGiveUp g) {
        if (!finished && !failed) {
            failed = true;
            coordinator.tell(new Coordinator.MemberFailed(member, g.message(), true));
        }
        return this;
    }

    /**
     * Done with this global window once every other member's last part of the exchange {@link #lag} windows back is
     * in: the next window then starts where those announcements say, the same on every member. A loop, not a
     * recursion: a window with nothing local exchanges at once and comes back here, and a clock that reads its links
     * may find the parts of many such windows in one read (a StackOverflowError on a 3-member profile run before).
     */
    private void maybeDoneExchanging() {
        if (advancing) {
            again = true; // from within a step: the loop below takes it
            return;
        }
        advancing = true;
        try {
            do {
                again = false;
                stepExchange();
            } while (again);
        } finally {
            advancing = false;
        }
    }

    /** One step of {@link #maybeDoneExchanging}. */
    private void stepExchange() {
        if (!exchanging) {
            return;
        }
        long need = exchange.sendSeq() - 1 - lag;
        if (need >= 0 && !exchange.complete(need) && !(direct && awaitLinks(need))) {
            return;
        }
        exchanging = false;
        barrierWaitNanos += System.nanoTime() - exchangeStartNanos;
        long next;
        if (need < 0) {
            next = globalWindowPs + windowPs; // the start window's batches are still on the wire: nothing known yet
        } else {
            long bound = exchange.announcedNextPs(need);
            for (int back = 1; back <= lag; back++) { // sent before, possibly not yet received when announced
                bound = Math.min(bound, exchange.announcedSentPs(need - back));
            }
            exchange.forget(need, lag);
            next = bound == WindowScheduler.NONE || lag == 0 ? bound : Math.max(globalWindowPs + windowPs, bound);
        }
        if (next == WindowScheduler.NONE) {
            finished = true;
            coordinator.tell(new Coordinator.MemberDone(member, globalWindowPs, next, events,
                    scheduler.activations(), scheduler.windows(), exchange.crossBatches(), barrierWaitNanos,
                    globalWindows));
            return;
        }
        // every member computed the same start from the same announcements: go on without a coordinator round trip
        globalWindows++;
        globalWindowPs = next;
        if (peers.length > 1 && (globalWindows & 0xff) == 0) {
            plan.progress().update(next, events);
        }
        localWindow();
    }
}

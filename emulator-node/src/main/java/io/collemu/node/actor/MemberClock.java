package io.collemu.node.actor;

import io.collemu.node.actor.LpMessages.Batch;
import io.collemu.node.actor.LpMessages.Begin;
import io.collemu.node.actor.LpMessages.ClockCommand;
import io.collemu.node.actor.LpMessages.Collect;
import io.collemu.node.actor.LpMessages.CollectReports;
import io.collemu.node.actor.LpMessages.Command;
import io.collemu.node.actor.LpMessages.CoordinatorCommand;
import io.collemu.node.actor.LpMessages.GlobalWindow;
import io.collemu.node.actor.LpMessages.LpFailed;
import io.collemu.node.actor.LpMessages.MemberBatch;
import io.collemu.node.actor.LpMessages.MemberDone;
import io.collemu.node.actor.LpMessages.MemberFailed;
import io.collemu.node.actor.LpMessages.MemberReports;
import io.collemu.node.actor.LpMessages.Peers;
import io.collemu.node.actor.LpMessages.Reported;
import io.collemu.node.actor.LpMessages.StartWindow;
import io.collemu.node.actor.LpMessages.WindowDone;
import io.collemu.node.lp.LpReport;
import io.collemu.node.engine.Grouping;
import io.collemu.node.lp.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The clock of one member: conservative, window-synchronous virtual time over the LP actors this member hosts.
 *
 * <pre>
 *   coordinator --GlobalWindow(G)--> every member clock
 *   member clock, local windows:  T = earliest pending local event
 *       --StartWindow(horizon, expected batches)--> each local LP with an event before its horizon
 *       LP --Batch--> local LP                 (one per destination per window, direct)
 *       LP --WindowDone(next event, destinations, batches for other members)--> clock
 *       horizon_i = min(T + lookahead_i, G + cross-member lookahead)
 *   nothing left before the horizons:  one MemberBatch (or a few parts) to every other member, even empty;
 *   every other member's parts in:  MemberDone(next event) --> coordinator
 * </pre>
 *
 * No acknowledgements and no timeouts: each WindowDone names the LPs its sender wrote to, so the clock knows how
 * many batches each LP must have received before it may start its next window, and the LP waits for that count.
 * Events from other members are at least the cross-member lookahead after the global window began, so local
 * windows never run past them. With one member the cross-member lookahead is infinite and a global window runs
 * the whole emulation.
 */
public final class MemberClock extends AbstractBehavior<ClockCommand> {
    private static final long NONE = Long.MAX_VALUE;
    /** Batches per MemberBatch message: keeps a message well under Artery's frame size. */
    static final int BATCHES_PER_PART = 512;
    private final Model model;
    private final int member;
    private final Grouping grouping;
    /** Per group, the member hosting it. */
    private final int[] groupMember;
    /** Per LP, the smallest delay of any message into it (the LPs check every send against it). */
    private final long[] lpInboundPs;
    /** Per group, the smallest delay of a message from another group: the group's horizon is T plus this. */
    private final long[] inboundLookaheadPs;
    private final long crossLookaheadPs;
    private final long maxLookaheadPs;
    private final long startPs;
    private final String dispatcher;
    private final io.collemu.node.engine.Progress progress;
    private final int[] localGroups;
    private final int localLpCount;
    private final ActorRef<Command>[] lps;
    private final long[] localNextPs;
    private final long[] incomingMinPs;
    private final long[] expectedBatches;
    private final IndexedMinHeap idle;
    private final long[] active;
    private final List<LpReport> reports = new ArrayList<>();
    private final Map<Long, int[]> partsSeen = new HashMap<>();
    private List<List<int[]>> outDsts;
    private List<List<Batch>> outBatches;
    private ActorRef<ClockCommand>[] peers;
    private ActorRef<CoordinatorCommand> coordinator;
    private long globalWindowPs;
    /** Exchanges completed: 0 for the start, then one per global window. */
    private long exchangeSeq;
    private boolean exchanging;
    private int outstanding;
    private int reportsMissing;
    private long windows;
    private long activations;
    private long events;
    private long crossBatches;
    /** Wall time spent between finishing a global window's local work and starting the next window. */
    private long barrierWaitNanos;
    private long exchangeStartNanos;
    private boolean failed;

    @SuppressWarnings("unchecked")
    private MemberClock(ActorContext<ClockCommand> context, Model model, int member, Grouping grouping,
            int[] groupMember, long crossLookaheadPs, long startPs, String dispatcher,
            io.collemu.node.engine.Progress progress) {
        super(context);
        this.progress = progress;
        this.model = model;
        this.member = member;
        this.grouping = grouping;
        this.groupMember = groupMember;
        this.lpInboundPs = Grouping.lpInboundLookaheadPs(model.fabric());
        this.inboundLookaheadPs = grouping.inboundLookaheadPs(model.fabric());
        this.crossLookaheadPs = crossLookaheadPs;
        this.startPs = startPs;
        this.dispatcher = dispatcher;
        int n = grouping.groupCount();
        long max = 0;
        for (long l : inboundLookaheadPs) {
            if (l < Long.MAX_VALUE / 4) {
                max = Math.max(max, l);
            }
        }
        this.maxLookaheadPs = max;
        int local = 0;
        int localLpsTotal = 0;
        for (int g = 0; g < n; g++) {
            if (groupMember[g] == member) {
                local++;
                localLpsTotal += grouping.members(g).length;
            }
        }
        this.localLpCount = localLpsTotal;
        this.localGroups = new int[local];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (groupMember[i] == member) {
                localGroups[k++] = i;
            }
        }
        this.lps = new ActorRef[n];
        this.localNextPs = new long[n];
        this.incomingMinPs = new long[n];
        this.expectedBatches = new long[n];
        this.idle = new IndexedMinHeap(n);
        this.active = new long[n / 64 + 1];
        Arrays.fill(incomingMinPs, NONE);
    }

    /**
     * @param grouping         which LPs share an actor
     * @param groupMember      the member hosting each group
     * @param crossLookaheadPs the smallest delay of a message between members (Long.MAX_VALUE / 4 for one member)
     */
    public static Behavior<ClockCommand> create(Model model, int member, Grouping grouping, int[] groupMember,
            long crossLookaheadPs, long startPs, String dispatcher, io.collemu.node.engine.Progress progress) {
        return Behaviors.setup(c -> new MemberClock(c, model, member, grouping, groupMember, crossLookaheadPs,
                startPs, dispatcher, progress));
    }

    @Override
    public Receive<ClockCommand> createReceive() {
        return newReceiveBuilder().onMessage(ClockCommand.class, this::onCommand).build();
    }

    private Behavior<ClockCommand> onCommand(ClockCommand m) {
        if (failed) {
            return this;
        }
        if (m instanceof WindowDone d) {
            onDone(d);
        } else if (m instanceof MemberBatch b) {
            onMemberBatch(b);
        } else if (m instanceof GlobalWindow g) {
            barrierWaitNanos += System.nanoTime() - exchangeStartNanos;
            globalWindowPs = g.windowPs();
            exchanging = false;
            localWindow();
        } else if (m instanceof Peers p) {
            start(p);
        } else if (m instanceof CollectReports) {
            reportsMissing = localLpCount;
            if (reportsMissing == 0) {
                coordinator.tell(new MemberReports(member, new LpReport[0]));
            }
            for (int g : localGroups) {
                lps[g].tell(new Collect(getContext().getSelf()));
            }
        } else if (m instanceof Reported r) {
            reports.add(r.report());
            if (--reportsMissing == 0) {
                coordinator.tell(new MemberReports(member, reports.toArray(LpReport[]::new)));
                return Behaviors.stopped();
            }
        } else if (m instanceof LpFailed f) {
            failed = true;
            coordinator.tell(new MemberFailed(member, describe(f)));
        }
        return this;
    }

    private static String describe(LpFailed f) {
        Throwable e = f.error();
        return "LP " + f.lp() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private void start(Peers p) {
        this.peers = p.clocks();
        this.coordinator = p.coordinator();
        outDsts = new ArrayList<>();
        outBatches = new ArrayList<>();
        for (int i = 0; i < peers.length; i++) {
            outDsts.add(new ArrayList<>());
            outBatches.add(new ArrayList<>());
        }
        DispatcherSelector selector = DispatcherSelector.fromConfig(dispatcher);
        ActorRef<ClockCommand> self = getContext().getSelf();
        int[] groupOf = grouping.groupOfArray();
        int[] localIndexOf = new int[groupOf.length];
        for (int g = 0; g < grouping.groupCount(); g++) {
            int[] ms = grouping.members(g);
            for (int i = 0; i < ms.length; i++) {
                localIndexOf[ms[i]] = i;
            }
        }
        for (int g : localGroups) {
            int[] ms = grouping.members(g);
            io.collemu.node.engine.Lp[] groupLps = new io.collemu.node.engine.Lp[ms.length];
            for (int i = 0; i < ms.length; i++) {
                groupLps[i] = model.lps()[ms[i]];
            }
            lps[g] = getContext().spawnAnonymous(LpActor.create(g, groupLps, groupOf, localIndexOf, lpInboundPs,
                    d -> lps[d], groupMember, member, self,
                    id -> model.fabric().isGpuLp(id) ? model.gpu(id).report() : model.switchPort(id).report()),
                    selector);
        }
        // the start is a window of its own: every LP's start(), then the exchange and a MemberDone
        globalWindowPs = startPs;
        outstanding = localGroups.length;
        for (int g : localGroups) {
            markActive(g);
            lps[g].tell(new Begin(startPs));
        }
        if (outstanding == 0) {
            exchange();
        }
    }

    private void onDone(WindowDone d) {
        events += d.events();
        int lp = d.group();
        localNextPs[lp] = d.nextLocalPs();
        for (int k = 0; k < d.destCount(); k++) {
            noteIncoming(d.dests()[k], d.destMinPs()[k]);
        }
        for (int k = 0; k < d.remoteCount(); k++) {
            int dst = d.remoteDsts()[k];
            int m = groupMember[dst];
            outDsts.get(m).add(new int[] {dst});
            outBatches.get(m).add(d.remoteBatches()[k]);
        }
        markInactive(lp);
        long next = Math.min(d.nextLocalPs(), incomingMinPs[lp]);
        if (next != NONE) {
            idle.set(lp, next);
        }
        if (--outstanding == 0) {
            localWindow();
        }
    }

    /** A batch is (or will be) in a local LP's mailbox, its earliest event at {@code t}. */
    private void noteIncoming(int dst, long t) {
        expectedBatches[dst]++;
        if (t < incomingMinPs[dst]) {
            incomingMinPs[dst] = t;
            if (idle.contains(dst)) {
                if (t < idle.key(dst)) {
                    idle.set(dst, t);
                }
            } else if (!activeNow(dst)) {
                idle.set(dst, Math.min(t, localNextPs[dst]));
            }
        }
    }

    private void onMemberBatch(MemberBatch b) {
        for (int i = 0; i < b.count(); i++) {
            int dst = b.dsts()[i];
            Batch batch = b.batches()[i];
            lps[dst].tell(batch);
            long min = NONE;
            for (int e = 0; e < batch.count(); e++) {
                min = Math.min(min, batch.timePs()[e]);
            }
            noteIncoming(dst, min);
        }
        int[] seen = partsSeen.computeIfAbsent(b.exchange(), w -> new int[2]);
        seen[0]++;
        if (b.part() == b.parts() - 1) {
            seen[1]++;
        }
        maybeDoneExchanging();
    }

    private boolean activeNow(int lp) {
        return (active[lp >>> 6] & (1L << lp)) != 0;
    }

    private void markActive(int lp) {
        active[lp >>> 6] |= 1L << lp;
    }

    private void markInactive(int lp) {
        active[lp >>> 6] &= ~(1L << lp);
    }

    /** Activates every local LP with an event before its horizon; when none is left, exchanges with the others. */
    private void localWindow() {
        if (idle.isEmpty()) {
            exchange();
            return;
        }
        long t = idle.peekKey();
        long globalLimit = crossLookaheadPs >= NONE / 8 ? NONE : globalWindowPs + crossLookaheadPs;
        if (t >= globalLimit) {
            exchange();
            return;
        }
        windows++;
        long candidatesBefore = Math.min(t + maxLookaheadPs, globalLimit);
        int[] deferred = null;
        long[] deferredKeys = null;
        int deferredCount = 0;
        while (!idle.isEmpty() && idle.peekKey() < candidatesBefore) {
            long key = idle.peekKey();
            int lp = idle.poll();
            long horizon = Math.min(t + inboundLookaheadPs[lp], globalLimit);
            if (key < horizon) {
                markActive(lp);
                incomingMinPs[lp] = NONE;
                outstanding++;
                activations++;
                lps[lp].tell(new StartWindow(horizon, expectedBatches[lp]));
            } else {
                if (deferred == null) {
                    deferred = new int[16];
                    deferredKeys = new long[16];
                } else if (deferredCount == deferred.length) {
                    deferred = Arrays.copyOf(deferred, deferredCount * 2);
                    deferredKeys = Arrays.copyOf(deferredKeys, deferredCount * 2);
                }
                deferred[deferredCount] = lp;
                deferredKeys[deferredCount++] = key;
            }
        }
        for (int i = 0; i < deferredCount; i++) {
            idle.set(deferred[i], deferredKeys[i]);
        }
        if ((windows & 0x3ff) == 0) {
            progress.update(t, events);
        }
        if (outstanding == 0) {
            exchange();
        }
    }

    /** Sends every other member its batches of this global window (at least one message each). */
    private void exchange() {
        exchanging = true;
        exchangeStartNanos = System.nanoTime(); // statistics only: never feeds back into the model
        for (int m = 0; m < peers.length; m++) {
            if (m == member) {
                continue;
            }
            List<int[]> dsts = outDsts.get(m);
            List<Batch> batches = outBatches.get(m);
            int total = batches.size();
            crossBatches += total;
            int parts = Math.max(1, (total + BATCHES_PER_PART - 1) / BATCHES_PER_PART);
            for (int part = 0; part < parts; part++) {
                int from = part * BATCHES_PER_PART;
                int count = Math.min(BATCHES_PER_PART, total - from);
                int[] d = new int[Math.max(0, count)];
                Batch[] b = new Batch[Math.max(0, count)];
                for (int i = 0; i < count; i++) {
                    d[i] = dsts.get(from + i)[0];
                    b[i] = batches.get(from + i);
                }
                peers[m].tell(new MemberBatch(exchangeSeq, member, part, parts, Math.max(0, count), d, b));
            }
            dsts.clear();
            batches.clear();
        }
        maybeDoneExchanging();
    }

    /** Done with this global window once every other member's last part for it is in. */
    private void maybeDoneExchanging() {
        if (!exchanging) {
            return;
        }
        // parts from one sender arrive in order, so its last part means all of its parts are in
        int[] seen = partsSeen.get(exchangeSeq);
        int lastParts = seen == null ? 0 : seen[1];
        if (lastParts < peers.length - 1) {
            return;
        }
        partsSeen.remove(exchangeSeq);
        exchangeSeq++;
        exchanging = false;
        long next = idle.isEmpty() ? NONE : idle.peekKey();
        coordinator.tell(new MemberDone(member, globalWindowPs, next, events, activations, windows, crossBatches,
                barrierWaitNanos));
    }
}

package io.collemu.node.actor;

import io.collemu.node.actor.LpMessages.Begin;
import io.collemu.node.actor.LpMessages.ClockCommand;
import io.collemu.node.actor.LpMessages.Collect;
import io.collemu.node.actor.LpMessages.Command;
import io.collemu.node.actor.LpMessages.LpFailed;
import io.collemu.node.actor.LpMessages.Reported;
import io.collemu.node.actor.LpMessages.StartWindow;
import io.collemu.node.actor.LpMessages.WindowDone;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineStats;
import io.collemu.node.engine.Horizons;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.Model;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The window clock of one run: conservative, window-synchronous virtual time over the LP actors.
 *
 * <pre>
 *   clock --StartWindow(T, expected batches)--> LP actors with an event before T + their lookahead
 *   LP --Batch--> LP                             (one per destination per window, direct)
 *   LP --WindowDone(next event, destinations)--> clock
 *   all done: T' = earliest pending event anywhere (empty stretches are skipped), repeat
 * </pre>
 *
 * No acknowledgements and no timeouts: each WindowDone names the LPs its sender wrote to, so the clock knows
 * exactly how many batches each LP must have received before it may start its next window, and the LP waits for
 * that count. Each LP may run to T + its own inbound lookahead (the smallest delay of any message that can reach
 * it); the global window is the smallest of these, so no LP ever receives an event in its past.
 */
public final class WindowClock extends AbstractBehavior<ClockCommand> {
    private static final long NONE = Long.MAX_VALUE;
    private final Model model;
    private final Progress progress;
    private final CompletableFuture<Engine.Outcome> result;
    private final long[] inboundLookaheadPs;
    private final long maxLookaheadPs;
    private final ActorRef<Command>[] lps;
    private final long[] localNextPs;
    private final long[] incomingMinPs;
    private final long[] expectedBatches;
    private final IndexedMinHeap idle;
    private final LpReport[] reports;
    private final long wallStart = System.nanoTime();
    private int outstanding;
    private int reportsMissing;
    private long windows;
    private long activations;
    private long events;
    private long lastWindowPs;
    private boolean failed;
    /** LPs between StartWindow (or Begin) and their WindowDone: batches to them wait for their report. */
    private long[] active = new long[0];

    @SuppressWarnings("unchecked")
    private WindowClock(ActorContext<ClockCommand> context, Model model, long startPs, Progress progress,
            CompletableFuture<Engine.Outcome> result, String dispatcher) {
        super(context);
        this.model = model;
        this.progress = progress;
        this.result = result;
        int n = model.lps().length;
        this.inboundLookaheadPs = Horizons.inboundLookaheadPs(model.fabric());
        long max = 0;
        for (long l : inboundLookaheadPs) {
            if (l < Long.MAX_VALUE / 4) {
                max = Math.max(max, l);
            }
        }
        this.maxLookaheadPs = max;
        this.lps = new ActorRef[n];
        this.localNextPs = new long[n];
        this.incomingMinPs = new long[n];
        this.expectedBatches = new long[n];
        this.idle = new IndexedMinHeap(n);
        this.reports = new LpReport[n];
        Arrays.fill(incomingMinPs, NONE);
        DispatcherSelector selector = DispatcherSelector.fromConfig(dispatcher);
        ActorRef<ClockCommand> self = context.getSelf();
        for (int i = 0; i < n; i++) {
            var lp = model.lps()[i];
            int id = i;
            lps[i] = context.spawnAnonymous(LpActor.create(lp, inboundLookaheadPs, d -> lps[d], self,
                    () -> model.fabric().isGpuLp(id) ? model.gpu(id).report() : model.switchPort(id).report()),
                    selector);
        }
        lastWindowPs = startPs;
        outstanding = n;
        for (int i = 0; i < n; i++) {
            markActive(i);
        }
        for (ActorRef<Command> ref : lps) {
            ref.tell(new Begin(startPs));
        }
        if (n == 0) {
            finish();
        }
    }

    public static Behavior<ClockCommand> create(Model model, long startPs, Progress progress,
            CompletableFuture<Engine.Outcome> result, String dispatcher) {
        return Behaviors.setup(c -> new WindowClock(c, model, startPs, progress, result, dispatcher));
    }

    @Override
    public Receive<ClockCommand> createReceive() {
        return newReceiveBuilder().onMessage(ClockCommand.class, this::onCommand).build();
    }

    private Behavior<ClockCommand> onCommand(ClockCommand m) {
        if (m instanceof WindowDone d) {
            return onDone(d);
        }
        if (m instanceof Reported r) {
            reports[r.report().lp()] = r.report();
            if (--reportsMissing == 0) {
                EngineStats stats = new EngineStats(events, lastWindowPs, System.nanoTime() - wallStart, windows);
                result.complete(new Engine.Outcome(stats, reports));
                return Behaviors.stopped();
            }
            return this;
        }
        if (m instanceof LpFailed f) {
            if (!failed) {
                failed = true;
                result.completeExceptionally(f.error());
            }
            return Behaviors.stopped();
        }
        return this;
    }

    private Behavior<ClockCommand> onDone(WindowDone d) {
        if (failed) {
            return this;
        }
        events += d.events();
        localNextPs[d.lp()] = d.nextLocalPs();
        for (int k = 0; k < d.destCount(); k++) {
            int dst = d.dests()[k];
            expectedBatches[dst]++;
            long t = d.destMinPs()[k];
            if (t < incomingMinPs[dst]) {
                incomingMinPs[dst] = t;
                if (idle.contains(dst) && t < idle.key(dst)) {
                    idle.set(dst, t);
                } else if (!idle.contains(dst) && !activeNow(dst)) {
                    idle.set(dst, Math.min(t, localNextPs[dst]));
                }
            }
        }
        long next = Math.min(d.nextLocalPs(), incomingMinPs[d.lp()]);
        markInactive(d.lp());
        if (next != NONE) {
            idle.set(d.lp(), next);
        }
        if (--outstanding == 0) {
            startWindow();
        }
        return this;
    }


    private boolean activeNow(int lp) {
        int w = lp >>> 6;
        return w < active.length && (active[w] & (1L << lp)) != 0;
    }

    private void markActive(int lp) {
        int w = lp >>> 6;
        if (w >= active.length) {
            active = Arrays.copyOf(active, Math.max(w + 1, lps.length / 64 + 1));
        }
        active[w] |= 1L << lp;
    }

    private void markInactive(int lp) {
        int w = lp >>> 6;
        if (w < active.length) {
            active[w] &= ~(1L << lp);
        }
    }

    private void startWindow() {
        if (idle.isEmpty()) {
            finish();
            return;
        }
        long t = idle.peekKey();
        windows++;
        lastWindowPs = t;
        long candidatesBefore = t + maxLookaheadPs;
        int[] deferred = null;
        long[] deferredKeys = null;
        int deferredCount = 0;
        while (!idle.isEmpty() && idle.peekKey() < candidatesBefore) {
            long key = idle.peekKey();
            int lp = idle.poll();
            if (key < t + inboundLookaheadPs[lp]) {
                markActive(lp);
                incomingMinPs[lp] = NONE;
                outstanding++;
                activations++;
                lps[lp].tell(new StartWindow(t, expectedBatches[lp]));
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
    }

    private void finish() {
        progress.update(lastWindowPs, events);
        reportsMissing = lps.length;
        if (reportsMissing == 0) {
            result.complete(new Engine.Outcome(new EngineStats(0, lastWindowPs, System.nanoTime() - wallStart, 0),
                    reports));
            return;
        }
        for (ActorRef<Command> ref : lps) {
            ref.tell(new Collect(getContext().getSelf()));
        }
    }

    public long activations() {
        return activations;
    }
}

package io.collemu.node.engine;

import io.collemu.node.lp.Lp;
import io.collemu.node.lp.LpContext;

/**
 * The one event loop of both engines: a set of LPs (all of them in the sequential engine, one actor's group in
 * the actor engine), their pending events in one {@link EventQueue} ordered by (time, destination LP, source LP,
 * source sequence), and the context through which they schedule and send. Every send is checked against the
 * receiver's inbound lookahead and every event against the past; a message for an LP outside this loop goes to
 * the {@link Outbound} (the actor's outboxes), one for an LP inside straight into the queue.
 *
 * <pre>
 *   accept(event from outside) --+
 *                                v
 *   start() --> LP.start --> [EventQueue] --runBefore(horizon)--> LP.handle --schedule/send--+
 *                                ^                                                           |
 *                                +------------------- inside this loop ----------------------+
 *                                                     outside --> Outbound
 * </pre>
 *
 * <p>Not thread-safe: one owner (the engine's thread, or the actor).
 */
public final class LocalLoop {
    /** Where a message for an LP outside this loop goes. */
    @FunctionalInterface
    public interface Outbound {
        /** LP {@code srcLp} sent {@code dstLp} an event due at {@code atPs}, its {@code seq}-th. */
        void post(int dstLp, long atPs, int srcLp, long seq, int kind, Object payload, long aux);
    }

    /** From this many LPs on, a group's queue is a radix heap (large groups: balanced grouping); else a 4-ary heap. */
    static final int RADIX_LPS = 256;
    private final Lp[] lps;
    private final int[] groupOf;
    private final int group;
    private final int[] localIndexOf;
    private final long[] inboundLookaheadPs;
    private final Outbound outbound;
    private final EventQueue queue;
    private final long[] nextSeq;
    private final Ctx ctx = new Ctx();
    private long processedBeforePs = Long.MIN_VALUE;
    private long lastEventPs;

    /**
     * A loop over one group of LPs.
     *
     * @param lps                the group's LPs, by their index within the group
     * @param groupOf            per LP id, its group (shared, read-only)
     * @param group              this loop's group
     * @param localIndexOf       per LP id, its index within its group (shared, read-only)
     * @param inboundLookaheadPs per LP id, the smallest delay of a message into it (shared, read-only)
     * @param outbound           where messages for other groups go (may be null if there are none)
     */
    public LocalLoop(Lp[] lps, int[] groupOf, int group, int[] localIndexOf, long[] inboundLookaheadPs,
            Outbound outbound) {
        this(lps, groupOf, group, localIndexOf, inboundLookaheadPs, outbound, lps.length >= RADIX_LPS
                ? new RadixEventQueue(Math.max(16, lps.length * 4)) : new HeapEventQueue(Math.max(16, lps.length * 4)));
    }

    private LocalLoop(Lp[] lps, int[] groupOf, int group, int[] localIndexOf, long[] inboundLookaheadPs,
            Outbound outbound, EventQueue queue) {
        this.lps = lps;
        this.groupOf = groupOf;
        this.group = group;
        this.localIndexOf = localIndexOf;
        this.inboundLookaheadPs = inboundLookaheadPs;
        this.outbound = outbound;
        this.queue = queue;
        this.nextSeq = new long[lps.length];
    }

    /** A loop over every LP of a model, indexed by id: nothing is outside it. */
    public static LocalLoop ofAll(Lp[] lps, long[] inboundLookaheadPs) {
        int[] identity = new int[lps.length];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        return new LocalLoop(lps, new int[lps.length], 0, identity, inboundLookaheadPs, null,
                new RadixEventQueue(Math.max(16, lps.length * 4)));
    }

    /** Calls every LP's {@code start} at {@code startPs}, in index order. */
    public void start(long startPs) {
        ctx.nowPs = startPs;
        for (int i = 0; i < lps.length; i++) {
            ctx.local = i;
            ctx.lp = lps[i].id();
            lps[i].start(ctx);
        }
        lastEventPs = startPs;
    }

    /**
     * An event from outside this loop.
     *
     * @throws IllegalStateException if it is due before what this loop has already processed (causality)
     */
    public void accept(long atPs, int dstLp, int srcLp, long seq, int kind, Object payload, long aux) {
        if (atPs < processedBeforePs) {
            throw new IllegalStateException("LP " + dstLp + " received an event at " + atPs + " ps from LP " + srcLp
                    + " after processing up to " + processedBeforePs + " ps (causality violated)");
        }
        queue.add(atPs, dstLp, srcLp, seq, kind, payload, aux);
    }

    /**
     * Handles, in order, the events due before {@code horizonPs}, at most {@code maxEvents} of them.
     *
     * @return the number handled
     */
    public long runBefore(long horizonPs, long maxEvents) {
        long events = 0;
        while (events < maxEvents && !queue.isEmpty() && queue.peekTimePs() < horizonPs) {
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
            lps[ctx.local].handle(kind, payload, aux, src, ctx);
            lastEventPs = t;
            events++;
        }
        boolean reached = queue.isEmpty() || queue.peekTimePs() >= horizonPs;
        processedBeforePs = Math.max(processedBeforePs, reached ? horizonPs : lastEventPs);
        return events;
    }

    /** Whether no event is pending. */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The time of the earliest pending event, or {@code Long.MAX_VALUE} if none is. */
    public long nextEventPs() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peekTimePs();
    }

    /** The time of the last event handled (the start time before any). */
    public long lastEventPs() {
        return lastEventPs;
    }

    /** The LP handling the current event, by its id (-1 outside a callback); for error messages. */
    public int currentLp() {
        return ctx.lp;
    }

    private final class Ctx implements LpContext {
        long nowPs;
        int lp = -1;
        int local;

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
            if (groupOf[dstLp] == group) {
                queue.add(atPs, dstLp, lp, seq, kind, payload, aux);
            } else {
                outbound.post(dstLp, atPs, lp, seq, kind, payload, aux);
            }
        }
    }
}

package io.collemu.node.actor;

import java.util.Arrays;

/**
 * The local windows of one member, as plain logic (the {@link MemberClock} actor drives it): which of the member's
 * actors (groups) have an event due before their horizon, when each may start, and how many batches each must
 * have received first.
 *
 * <p>A window starts at T, the earliest pending event of any local group. Group g may process everything before
 * its horizon min(T + inbound lookahead of g, global window start + cross-member lookahead): no message from
 * another group can be due earlier. Each finished group names the local groups it wrote to, so the scheduler knows
 * how many batches each group must have received before its next window (counted since the run began): no
 * acknowledgements and no timeouts.
 *
 * <p>Not thread-safe: owned by one clock.
 */
final class WindowScheduler {
    static final long NONE = Long.MAX_VALUE;

    /** Receives the groups a window activates. */
    @FunctionalInterface
    interface Activation {
        void start(int group, long horizonPs, long expectedBatches);
    }

    /** Per group, the smallest delay of a message from another group. */
    private final long[] inboundLookaheadPs;
    private final long maxLookaheadPs;
    private final long crossLookaheadPs;
    private final long[] localNextPs;
    private final long[] incomingMinPs;
    private final long[] expectedBatches;
    private final IndexedMinHeap idle;
    private final long[] active;
    private int outstanding;
    private long windows;
    private long activations;
    private long[] deferredKeys = new long[16];
    private int[] deferred = new int[16];

    /**
     * @param inboundLookaheadPs per group, the smallest delay of a message from another group
     * @param crossLookaheadPs   the smallest delay of a message between members ({@code NONE} for one member)
     */
    WindowScheduler(long[] inboundLookaheadPs, long crossLookaheadPs) {
        int n = inboundLookaheadPs.length;
        this.inboundLookaheadPs = inboundLookaheadPs;
        this.crossLookaheadPs = crossLookaheadPs;
        long max = 0;
        for (long l : inboundLookaheadPs) {
            max = Math.max(max, l); // a group nothing can reach (lookahead "none") makes it unbounded
        }
        this.maxLookaheadPs = max;
        this.localNextPs = new long[n];
        this.incomingMinPs = new long[n];
        this.expectedBatches = new long[n];
        this.idle = new IndexedMinHeap(n);
        this.active = new long[n / 64 + 1];
        Arrays.fill(incomingMinPs, NONE);
    }

    /** Group g is running (its start, or a window it was sent). */
    void markStarted(int g) {
        active[g >>> 6] |= 1L << g;
        outstanding++;
    }

    /** Groups started and not yet done. */
    int outstanding() {
        return outstanding;
    }

    /**
     * Group g finished its window: its earliest remaining event, and the earliest event of each batch it sent to
     * another local group (those batches are in their mailboxes, or will be).
     *
     * @return whether every started group is done
     */
    boolean done(int g, long nextLocalPs, int[] dests, long[] destMinPs) {
        localNextPs[g] = nextLocalPs;
        for (int k = 0; k < dests.length; k++) {
            noteIncoming(dests[k], destMinPs[k]);
        }
        active[g >>> 6] &= ~(1L << g);
        long next = Math.min(nextLocalPs, incomingMinPs[g]);
        if (next != NONE) {
            idle.set(g, next);
        }
        return --outstanding == 0;
    }

    /** A batch is (or will be) in group dst's mailbox, its earliest event at {@code t}. */
    void noteIncoming(int dst, long t) {
        expectedBatches[dst]++;
        if (t < incomingMinPs[dst]) {
            incomingMinPs[dst] = t;
            if (idle.contains(dst)) {
                if (t < idle.key(dst)) {
                    idle.set(dst, t);
                }
            } else if (!isActive(dst)) {
                idle.set(dst, Math.min(t, localNextPs[dst]));
            }
        }
    }

    private boolean isActive(int g) {
        return (active[g >>> 6] & (1L << g)) != 0;
    }

    /** The earliest pending event of any idle group, or {@code NONE}. */
    long nextEventPs() {
        return idle.isEmpty() ? NONE : idle.peekKey();
    }

    /**
     * Starts the next local window inside the global window that began at {@code globalWindowPs}: every group with
     * an event before its horizon.
     *
     * @return the window's start T, or {@code NONE} if nothing is left before the global window's end
     */
    long nextWindow(long globalWindowPs, Activation activation) {
        if (idle.isEmpty()) {
            return NONE;
        }
        long t = idle.peekKey();
        long globalLimit = crossLookaheadPs >= NONE / 8 ? NONE : globalWindowPs + crossLookaheadPs;
        if (t >= globalLimit) {
            return NONE;
        }
        windows++;
        long candidatesBefore = Math.min(reach(t, maxLookaheadPs), globalLimit);
        int deferredCount = 0;
        while (!idle.isEmpty() && idle.peekKey() < candidatesBefore) {
            long key = idle.peekKey();
            int g = idle.poll();
            long horizon = Math.min(reach(t, inboundLookaheadPs[g]), globalLimit);
            if (key < horizon) {
                markStarted(g);
                incomingMinPs[g] = NONE;
                activations++;
                activation.start(g, horizon, expectedBatches[g]);
            } else {
                if (deferredCount == deferred.length) {
                    deferred = Arrays.copyOf(deferred, deferredCount * 2);
                    deferredKeys = Arrays.copyOf(deferredKeys, deferredCount * 2);
                }
                deferred[deferredCount] = g;
                deferredKeys[deferredCount++] = key;
            }
        }
        for (int i = 0; i < deferredCount; i++) {
            idle.set(deferred[i], deferredKeys[i]);
        }
        return t;
    }

    /**
     * How far a window starting at {@code t} may run for a group with that inbound lookahead: a group no other
     * group can message (lookahead "none", e.g. one GPU alone, or a server with no link out) runs to the end.
     */
    private static long reach(long t, long lookaheadPs) {
        return lookaheadPs >= Long.MAX_VALUE / 8 ? NONE : t + lookaheadPs;
    }

    /** Local windows started so far. */
    long windows() {
        return windows;
    }

    /** Group activations so far (one per group per window it had work in). */
    long activations() {
        return activations;
    }
}

package io.collemu.node.engine;

import java.util.Arrays;

/**
 * The sequential engine's {@link EventQueue}: one queue for every LP of the model.
 *
 * <p><b>A radix heap on time</b> (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster algorithms for the shortest path
 * problem", J. ACM 37(2), 1990): a discrete-event simulation never schedules before the event it handles, so the
 * keys are monotone and bucket {@code i > 0} holds the events whose time differs from the last removed time first in
 * bit {@code i - 1}; an event moves to a lower bucket at most 64 times in its life, and removing the least is
 * amortized O(1). Bucket 0 holds the events at exactly the base time, in a binary heap by (destination, source,
 * sequence): a collective in lock step puts hundreds of events at one picosecond (1,024 GPUs of an all-to-all). Measured on
 * {@code bench --scenario pkt-ar128}: a binary heap of six parallel arrays spent 75% of the run in its sifts (cache
 * misses and mispredicted tie breaks); a 4-ary heap of (time, route, slot) still 60%.
 *
 * <p>Event data other than the keys stays in a slot pool with a free list; buckets move only (time, route,
 * sequence, slot). Not thread-safe: one owner. Scheduling allocates nothing beyond occasional growth.
 *
 * @throws IllegalStateException (from {@link #add}) if an event is added before the last one removed
 */
public final class RadixEventQueue implements EventQueue {
    private static final int BUCKETS = 65;
    private static final long[] EMPTY_LONGS = new long[0];
    private static final int[] EMPTY_INTS = new int[0];
    private final long[][] bTime = new long[BUCKETS][];
    private final long[][] bRoute = new long[BUCKETS][];
    private final long[][] bSeq = new long[BUCKETS][];
    private final int[][] bSlot = new int[BUCKETS][];
    private final int[] bSize = new int[BUCKETS];
    /** Bucket 0: the events at exactly time {@code last}, a binary heap by (route, sequence). */
    private long[] zRoute = new long[16];
    private long[] zSeq = new long[16];
    private int[] zSlot = new int[16];
    private int zSize;
    /** The radix base: the time of bucket 0 (every event in the buckets is at or after it). */
    private long last = Long.MIN_VALUE;
    private boolean started;
    /** The time of the last event removed. */
    private long removed = Long.MIN_VALUE;
    /**
     * Events added after a peek moved the base past them (the actor engine peeks at the next event, stops at its
     * window's horizon, then receives events from other groups for before that next event): earlier than every
     * bucket, so the least event is here whenever this is not empty. A binary heap by the full key; rarely large.
     */
    private long[] eTime = new long[16];
    private long[] eRoute = new long[16];
    private long[] eSeq = new long[16];
    private int[] eSlot = new int[16];
    private int eSize;
    private int size;
    /** Slots: kind, aux and payload of each held event. */
    private int[] kind;
    private long[] aux;
    private Object[] payload;
    private int[] free;
    private int freeCount;
    private int slotsUsed;

    /** An empty queue with room for {@code initialCapacity} events before it grows. */
    public RadixEventQueue(int initialCapacity) {
        int c = Math.max(16, initialCapacity);
        kind = new int[c];
        aux = new long[c];
        payload = new Object[c];
        free = new int[c];
        for (int b = 0; b < BUCKETS; b++) {
            // small to start with: the actor engine has one queue per group, most of them small
            bTime[b] = EMPTY_LONGS;
            bRoute[b] = EMPTY_LONGS;
            bSeq[b] = EMPTY_LONGS;
            bSlot[b] = EMPTY_INTS;
        }
    }

    /** Pending events. */
    @Override
    public int size() {
        return size;
    }

    /** Whether no event is pending. */
    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    /** Time of the earliest event; only valid when not empty. */
    @Override
    public long peekTimePs() {
        if (eSize > 0) {
            return eTime[0];
        }
        settle();
        return last;
    }

    /** Destination LP of the earliest event; only valid when not empty. */
    @Override
    public int peekDstLp() {
        if (eSize > 0) {
            return (int) (eRoute[0] >>> 32);
        }
        settle();
        return (int) (zRoute[0] >>> 32);
    }

    /** Source LP of the earliest event; only valid when not empty. */
    @Override
    public int peekSrcLp() {
        if (eSize > 0) {
            return (int) eRoute[0];
        }
        settle();
        return (int) zRoute[0];
    }

    /** Kind of the earliest event; only valid when not empty. */
    @Override
    public int peekKind() {
        if (eSize > 0) {
            return kind[eSlot[0]];
        }
        settle();
        return kind[zSlot[0]];
    }

    /** Packed argument of the earliest event; only valid when not empty. */
    @Override
    public long peekAux() {
        if (eSize > 0) {
            return aux[eSlot[0]];
        }
        settle();
        return aux[zSlot[0]];
    }

    /** Payload of the earliest event (may be null); only valid when not empty. */
    @Override
    public Object peekPayload() {
        if (eSize > 0) {
            return payload[eSlot[0]];
        }
        settle();
        return payload[zSlot[0]];
    }

    /** Adds an event at or after the last one removed; amortized O(1), no allocation unless the queue grows. */
    @Override
    public void add(long atPs, int dstLp, int srcLp, long srcSeq, int eventKind, Object eventPayload, long eventAux) {
        if (started && atPs < removed) {
            throw new IllegalStateException("event at " + atPs + " ps added after one at " + removed
                    + " ps was removed (keys must be monotone)");
        }
        if (size == kind.length) {
            growSlots();
        }
        int slot = freeCount > 0 ? free[--freeCount] : slotsUsed++;
        kind[slot] = eventKind;
        aux[slot] = eventAux;
        payload[slot] = eventPayload;
        long r = ((long) dstLp << 32) | (srcLp & 0xffffffffL);
        size++;
        if (started && atPs < last) {
            earlyAdd(atPs, r, srcSeq, slot);
            return;
        }
        if (!started) {
            // before anything is removed, bucket 0 is the events at the least time so far
            if (zSize == 0 || atPs < last) {
                if (zSize > 0) {
                    spill(atPs);
                }
                last = atPs;
            }
        }
        place(atPs, r, srcSeq, slot);
    }

    /** Removes the earliest event; read it with the peek methods first. */
    @Override
    public void poll() {
        if (eSize > 0) {
            int slot = eSlot[0];
            removed = eTime[0];
            payload[slot] = null;
            free[freeCount++] = slot;
            size--;
            earlyPoll();
            return;
        }
        settle();
        int slot = zSlot[0];
        removed = last;
        payload[slot] = null;
        free[freeCount++] = slot;
        size--;
        started = true;
        zPoll();
    }

    private void earlyAdd(long t, long r, long q, int slot) {
        if (eSize == eTime.length) {
            int c = eSize * 2;
            eTime = Arrays.copyOf(eTime, c);
            eRoute = Arrays.copyOf(eRoute, c);
            eSeq = Arrays.copyOf(eSeq, c);
            eSlot = Arrays.copyOf(eSlot, c);
        }
        int i = eSize++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!keyLess(t, r, q, eTime[p], eRoute[p], eSeq[p])) {
                break;
            }
            eTime[i] = eTime[p];
            eRoute[i] = eRoute[p];
            eSeq[i] = eSeq[p];
            eSlot[i] = eSlot[p];
            i = p;
        }
        eTime[i] = t;
        eRoute[i] = r;
        eSeq[i] = q;
        eSlot[i] = slot;
    }

    private void earlyPoll() {
        int n = --eSize;
        if (n == 0) {
            return;
        }
        long t = eTime[n];
        long r = eRoute[n];
        long q = eSeq[n];
        int slot = eSlot[n];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) {
                break;
            }
            if (c + 1 < n && keyLess(eTime[c + 1], eRoute[c + 1], eSeq[c + 1], eTime[c], eRoute[c], eSeq[c])) {
                c++;
            }
            if (!keyLess(eTime[c], eRoute[c], eSeq[c], t, r, q)) {
                break;
            }
            eTime[i] = eTime[c];
            eRoute[i] = eRoute[c];
            eSeq[i] = eSeq[c];
            eSlot[i] = eSlot[c];
            i = c;
        }
        eTime[i] = t;
        eRoute[i] = r;
        eSeq[i] = q;
        eSlot[i] = slot;
    }

    private static boolean keyLess(long ta, long ra, long sa, long tb, long rb, long sb) {
        if (ta != tb) {
            return ta < tb;
        }
        if (ra != rb) {
            return ra < rb;
        }
        return sa < sb;
    }

    /** The bucket of time t relative to the last removed time: 0 if equal, else 1 + the highest differing bit. */
    private int bucketOf(long t) {
        long x = t ^ last;
        return x == 0 ? 0 : 64 - Long.numberOfLeadingZeros(x);
    }

    private void place(long t, long r, long s, int slot) {
        int b = bucketOf(t);
        if (b == 0) {
            zAdd(r, s, slot);
        } else {
            append(b, t, r, s, slot);
        }
    }

    /** Makes bucket 0 hold the least events (refilling it from the first non-empty bucket when it is empty). */
    private void settle() {
        if (zSize > 0) {
            return;
        }
        int b = 1;
        while (bSize[b] == 0) {
            b++;
        }
        long[] ts = bTime[b];
        int n = bSize[b];
        long min = ts[0];
        for (int i = 1; i < n; i++) {
            if (ts[i] < min) {
                min = ts[i];
            }
        }
        last = min;
        long[] rs = bRoute[b];
        long[] ss = bSeq[b];
        int[] sl = bSlot[b];
        bSize[b] = 0;
        for (int i = 0; i < n; i++) {
            place(ts[i], rs[i], ss[i], sl[i]);
        }
    }

    /** Before the first removal, a new least time: the events held so far move out of bucket 0. */
    private void spill(long newLast) {
        int n = zSize;
        long[] ts = new long[n];
        Arrays.fill(ts, last);
        long[] rs = Arrays.copyOf(zRoute, n);
        long[] ss = Arrays.copyOf(zSeq, n);
        int[] sl = Arrays.copyOf(zSlot, n);
        zSize = 0;
        // everything else was placed relative to the old least time; re-place it all relative to the new one
        List all = new List();
        for (int i = 0; i < ts.length; i++) {
            all.add(ts[i], rs[i], ss[i], sl[i]);
        }
        for (int b = 1; b < BUCKETS; b++) {
            for (int i = 0; i < bSize[b]; i++) {
                all.add(bTime[b][i], bRoute[b][i], bSeq[b][i], bSlot[b][i]);
            }
            bSize[b] = 0;
        }
        last = newLast;
        for (int i = 0; i < all.n; i++) {
            place(all.t[i], all.r[i], all.s[i], all.slot[i]);
        }
    }

    /** A scratch list for {@link #spill}, which only runs while the queue is being filled before the first event. */
    private static final class List {
        long[] t = new long[16];
        long[] r = new long[16];
        long[] s = new long[16];
        int[] slot = new int[16];
        int n;

        void add(long tt, long rr, long ss, int sl) {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                r = Arrays.copyOf(r, n * 2);
                s = Arrays.copyOf(s, n * 2);
                slot = Arrays.copyOf(slot, n * 2);
            }
            t[n] = tt;
            r[n] = rr;
            s[n] = ss;
            slot[n++] = sl;
        }
    }

    private void append(int b, long t, long r, long s, int slot) {
        int n = bSize[b];
        if (n == bTime[b].length) {
            growBucket(b);
        }
        bTime[b][n] = t;
        bRoute[b][n] = r;
        bSeq[b][n] = s;
        bSlot[b][n] = slot;
        bSize[b] = n + 1;
    }

    /** Adds to bucket 0 (all at time {@code last}): a sift up by (route, sequence). */
    private void zAdd(long r, long q, int slot) {
        if (zSize == zRoute.length) {
            int c = zSize * 2;
            zRoute = Arrays.copyOf(zRoute, c);
            zSeq = Arrays.copyOf(zSeq, c);
            zSlot = Arrays.copyOf(zSlot, c);
        }
        int i = zSize++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            long rp = zRoute[p];
            if (r > rp || (r == rp && q > zSeq[p])) {
                break;
            }
            zRoute[i] = rp;
            zSeq[i] = zSeq[p];
            zSlot[i] = zSlot[p];
            i = p;
        }
        zRoute[i] = r;
        zSeq[i] = q;
        zSlot[i] = slot;
    }

    /** Removes bucket 0's least entry. */
    private void zPoll() {
        int n = --zSize;
        if (n == 0) {
            return;
        }
        long r = zRoute[n];
        long q = zSeq[n];
        int slot = zSlot[n];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) {
                break;
            }
            if (c + 1 < n && (zRoute[c + 1] < zRoute[c] || (zRoute[c + 1] == zRoute[c] && zSeq[c + 1] < zSeq[c]))) {
                c++;
            }
            if (zRoute[c] > r || (zRoute[c] == r && zSeq[c] > q)) {
                break;
            }
            zRoute[i] = zRoute[c];
            zSeq[i] = zSeq[c];
            zSlot[i] = zSlot[c];
            i = c;
        }
        zRoute[i] = r;
        zSeq[i] = q;
        zSlot[i] = slot;
    }

    private void growBucket(int b) {
        int c = Math.max(8, bTime[b].length * 2);
        bTime[b] = Arrays.copyOf(bTime[b], c);
        bRoute[b] = Arrays.copyOf(bRoute[b], c);
        bSeq[b] = Arrays.copyOf(bSeq[b], c);
        bSlot[b] = Arrays.copyOf(bSlot[b], c);
    }

    private void growSlots() {
        int c = kind.length * 2;
        kind = Arrays.copyOf(kind, c);
        aux = Arrays.copyOf(aux, c);
        payload = Arrays.copyOf(payload, c);
        free = Arrays.copyOf(free, c);
    }
}

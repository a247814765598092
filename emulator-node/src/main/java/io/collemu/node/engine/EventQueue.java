package io.collemu.node.engine;

import java.util.Arrays;

/**
 * A binary min-heap of events held in parallel primitive arrays, so that scheduling an event allocates nothing
 * (beyond occasional growth). Events are ordered by (timePs, destination LP, source LP, source sequence): the
 * determinism contract of DESIGN.md. The sequential engine uses one queue for all LPs; the actor engine one per
 * LP, where the destination is constant and the order reduces to (timePs, source LP, source sequence).
 *
 * <p>Not thread-safe: one owner.
 */
public final class EventQueue {
    private long[] timePs;
    private long[] route;   // (dstLp << 32) | srcLp, both non-negative
    private long[] seq;
    private int[] kind;
    private long[] aux;
    private Object[] payload;
    private int size;

    /** An empty queue with room for {@code initialCapacity} events before it grows. */
    public EventQueue(int initialCapacity) {
        int c = Math.max(16, initialCapacity);
        timePs = new long[c];
        route = new long[c];
        seq = new long[c];
        kind = new int[c];
        aux = new long[c];
        payload = new Object[c];
    }

    /** Pending events. */
    public int size() {
        return size;
    }

    /** Whether no event is pending. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Time of the earliest event; only valid when not empty. */
    public long peekTimePs() {
        return timePs[0];
    }

    /** Destination LP of the earliest event; only valid when not empty. */
    public int peekDstLp() {
        return (int) (route[0] >>> 32);
    }

    /** Source LP of the earliest event; only valid when not empty. */
    public int peekSrcLp() {
        return (int) route[0];
    }

    /** Kind of the earliest event; only valid when not empty. */
    public int peekKind() {
        return kind[0];
    }

    /** Packed argument of the earliest event; only valid when not empty. */
    public long peekAux() {
        return aux[0];
    }

    /** Payload of the earliest event (may be null); only valid when not empty. */
    public Object peekPayload() {
        return payload[0];
    }

    /** Adds an event; O(log n), no allocation unless the queue grows. */
    public void add(long atPs, int dstLp, int srcLp, long srcSeq, int eventKind, Object eventPayload, long eventAux) {
        if (size == timePs.length) {
            grow();
        }
        int i = size++;
        long r = ((long) dstLp << 32) | (srcLp & 0xffffffffL);
        // sift up with a hole
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(atPs, r, srcSeq, parent)) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        timePs[i] = atPs;
        route[i] = r;
        seq[i] = srcSeq;
        kind[i] = eventKind;
        aux[i] = eventAux;
        payload[i] = eventPayload;
    }

    /** Removes the earliest event; read it with the peek methods first. */
    public void poll() {
        int last = --size;
        if (last == 0) {
            payload[0] = null;
            return;
        }
        long t = timePs[last];
        long r = route[last];
        long s = seq[last];
        int k = kind[last];
        long a = aux[last];
        Object p = payload[last];
        payload[last] = null;
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < last && lessAt(right, child)) {
                child = right;
            }
            if (!lessAt(child, t, r, s)) {
                break;
            }
            move(child, i);
            i = child;
        }
        timePs[i] = t;
        route[i] = r;
        seq[i] = s;
        kind[i] = k;
        aux[i] = a;
        payload[i] = p;
    }

    private boolean less(long t, long r, long s, int j) {
        if (t != timePs[j]) {
            return t < timePs[j];
        }
        if (r != route[j]) {
            return r < route[j];
        }
        return s < seq[j];
    }

    private boolean lessAt(int i, int j) {
        return less(timePs[i], route[i], seq[i], j);
    }

    private boolean lessAt(int i, long t, long r, long s) {
        if (timePs[i] != t) {
            return timePs[i] < t;
        }
        if (route[i] != r) {
            return route[i] < r;
        }
        return seq[i] < s;
    }

    private void move(int from, int to) {
        timePs[to] = timePs[from];
        route[to] = route[from];
        seq[to] = seq[from];
        kind[to] = kind[from];
        aux[to] = aux[from];
        payload[to] = payload[from];
    }

    private void grow() {
        int c = timePs.length * 2;
        timePs = Arrays.copyOf(timePs, c);
        route = Arrays.copyOf(route, c);
        seq = Arrays.copyOf(seq, c);
        kind = Arrays.copyOf(kind, c);
        aux = Arrays.copyOf(aux, c);
        payload = Arrays.copyOf(payload, c);
    }
}

package io.collemu.node.actor;

import io.collemu.node.engine.LocalLoop;
import java.util.Arrays;

/**
 * What one actor's LPs send other actors' LPs during one window, grouped by destination actor (group), so that
 * each destination gets one batch per window. Buffers are reused across windows; {@link #drain} hands out fresh
 * arrays the receiver then owns. Not thread-safe: owned by one LP actor.
 */
final class Outboxes implements LocalLoop.Outbound {
    private final int[] groupOf;
    private int[] keys = new int[16];
    private int[] slots = new int[16];
    /** Hash positions in use, so that a reset touches only them. */
    private int[] usedPositions = new int[8];
    private int used;
    private Box[] boxes = new Box[8];

    static final class Box {
        int dst;
        int count;
        long minTimePs;
        int[] srcLp = new int[8];
        int[] dstLp = new int[8];
        long[] timePs = new long[8];
        long[] seq = new long[8];
        int[] kind = new int[8];
        long[] aux = new long[8];
        Object[] payload = new Object[8];

        void add(int src, int dstId, long t, long s, int k, Object p, long a) {
            if (count == timePs.length) {
                int c = count * 2;
                srcLp = Arrays.copyOf(srcLp, c);
                dstLp = Arrays.copyOf(dstLp, c);
                timePs = Arrays.copyOf(timePs, c);
                seq = Arrays.copyOf(seq, c);
                kind = Arrays.copyOf(kind, c);
                aux = Arrays.copyOf(aux, c);
                payload = Arrays.copyOf(payload, c);
            }
            srcLp[count] = src;
            dstLp[count] = dstId;
            timePs[count] = t;
            seq[count] = s;
            kind[count] = k;
            aux[count] = a;
            payload[count] = p;
            count++;
            if (t < minTimePs) {
                minTimePs = t;
            }
        }
    }

    /** @param groupOf per LP id, its group (shared, read-only) */
    Outboxes(int[] groupOf) {
        this.groupOf = groupOf;
        Arrays.fill(keys, -1);
    }

    @Override
    public void post(int dstLp, long atPs, int srcLp, long seq, int kind, Object payload, long aux) {
        box(groupOf[dstLp]).add(srcLp, dstLp, atPs, seq, kind, payload, aux);
    }

    int size() {
        return used;
    }

    Box get(int i) {
        return boxes[i];
    }

    /** The batch for box i, as arrays the receiver owns. */
    LpActor.Batch drain(int i) {
        Box b = boxes[i];
        int n = b.count;
        Object[] payload = Arrays.copyOf(b.payload, n);
        Arrays.fill(b.payload, 0, n, null);
        return new LpActor.Batch(n, Arrays.copyOf(b.srcLp, n), Arrays.copyOf(b.dstLp, n),
                Arrays.copyOf(b.timePs, n), Arrays.copyOf(b.seq, n), Arrays.copyOf(b.kind, n),
                Arrays.copyOf(b.aux, n), payload);
    }

    /** Forgets this window's destinations, keeping the buffers. */
    void reset() {
        for (int i = 0; i < used; i++) {
            boxes[i].count = 0;
            keys[usedPositions[i]] = -1;
        }
        used = 0;
    }

    private Box box(int dst) {
        int mask = keys.length - 1;
        int h = (dst * 0x9E3779B9) & mask;
        while (true) {
            int k = keys[h];
            if (k == dst) {
                return boxes[slots[h]];
            }
            if (k == -1) {
                break;
            }
            h = (h + 1) & mask;
        }
        if (used * 2 >= keys.length) {
            rehash();
            return box(dst);
        }
        if (used == boxes.length) {
            boxes = Arrays.copyOf(boxes, used * 2);
        }
        Box b = boxes[used];
        if (b == null) {
            b = new Box();
            boxes[used] = b;
        }
        b.dst = dst;
        b.count = 0;
        b.minTimePs = Long.MAX_VALUE;
        keys[h] = dst;
        slots[h] = used;
        if (used == usedPositions.length) {
            usedPositions = Arrays.copyOf(usedPositions, used * 2);
        }
        usedPositions[used] = h;
        used++;
        return b;
    }

    private void rehash() {
        int[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new int[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        Arrays.fill(keys, -1);
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1) {
                int h = (oldKeys[i] * 0x9E3779B9) & mask;
                while (keys[h] != -1) {
                    h = (h + 1) & mask;
                }
                keys[h] = oldKeys[i];
                slots[h] = oldSlots[i];
                usedPositions[oldSlots[i]] = h;
            }
        }
    }
}

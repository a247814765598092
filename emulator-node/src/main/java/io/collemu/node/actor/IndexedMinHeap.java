package io.collemu.node.actor;

import java.util.Arrays;

/**
 * A binary min-heap of ids 0..n-1 keyed by a long, with update and removal by id in O(log n). The window clock
 * keeps every idle LP here by the time of its next event. Ties break by id, so the order is deterministic.
 * Not thread-safe.
 */
final class IndexedMinHeap {
    private final int[] heap;
    private final int[] pos;
    private final long[] key;
    private int size;

    IndexedMinHeap(int n) {
        heap = new int[n];
        pos = new int[n];
        key = new long[n];
        Arrays.fill(pos, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(int id) {
        return pos[id] >= 0;
    }

    int peek() {
        return heap[0];
    }

    long peekKey() {
        return key[heap[0]];
    }

    long key(int id) {
        return key[id];
    }

    /** Inserts id, or moves it to its new key. */
    void set(int id, long k) {
        if (pos[id] < 0) {
            key[id] = k;
            heap[size] = id;
            pos[id] = size;
            up(size++);
        } else {
            long old = key[id];
            key[id] = k;
            if (k < old) {
                up(pos[id]);
            } else if (k > old) {
                down(pos[id]);
            }
        }
    }

    int poll() {
        int top = heap[0];
        remove(top);
        return top;
    }

    void remove(int id) {
        int i = pos[id];
        if (i < 0) {
            return;
        }
        int last = --size;
        pos[id] = -1;
        if (i != last) {
            int moved = heap[last];
            heap[i] = moved;
            pos[moved] = i;
            up(i);
            down(pos[moved]);
        }
    }

    private boolean less(int a, int b) {
        return key[a] < key[b] || (key[a] == key[b] && a < b);
    }

    private void up(int i) {
        int id = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(id, heap[p])) {
                break;
            }
            heap[i] = heap[p];
            pos[heap[i]] = i;
            i = p;
        }
        heap[i] = id;
        pos[id] = i;
    }

    private void down(int i) {
        int id = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            if (c + 1 < size && less(heap[c + 1], heap[c])) {
                c++;
            }
            if (!less(heap[c], id)) {
                break;
            }
            heap[i] = heap[c];
            pos[heap[i]] = i;
            i = c;
        }
        heap[i] = id;
        pos[id] = i;
    }
}

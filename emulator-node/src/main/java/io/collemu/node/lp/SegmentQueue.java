package io.collemu.node.lp;

import java.util.Arrays;

/** A growable FIFO ring of segments; no allocation in steady state. One owner. */
final class SegmentQueue {
    private Segment[] items = new Segment[8];
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    Segment peek() {
        return items[head];
    }

    void add(Segment s) {
        if (size == items.length) {
            Segment[] grown = new Segment[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = items[(head + i) & (items.length - 1)];
            }
            items = grown;
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = s;
        size++;
    }

    Segment poll() {
        Segment s = items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        return s;
    }
}

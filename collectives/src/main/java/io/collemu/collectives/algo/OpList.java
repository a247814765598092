package io.collemu.collectives.algo;

import java.util.Arrays;

/**
 * The ops of one rank as an algorithm emits them, before matching: receives return a handle (their op index)
 * that later sends name as dependencies. Ops of 0 bytes are dropped (their handle is -1, and dependencies on
 * -1 are ignored: an empty receive writes nothing a send could wait for).
 *
 * <p>Single-threaded builder; used only while a rank's schedule is being built.
 */
final class OpList {
    int size;
    boolean[] send = new boolean[8];
    int[] peer = new int[8];
    long[] tag = new long[8];
    long[] offsetBytes = new long[8];
    long[] bytes = new long[8];
    int[] stream = new int[8];
    boolean[] reduces = new boolean[8];
    boolean[] depWhole = new boolean[8];
    int[] depStart = new int[9];
    int[] deps = new int[8];
    int depSize;

    int recv(int from, long recvTag, long offset, long length, int streamId, boolean reduce) {
        if (length == 0) {
            return -1;
        }
        return add(false, from, recvTag, offset, length, streamId, reduce, false);
    }

    void send(int to, long sendTag, long offset, long length, int streamId, boolean whole, int... depHandles) {
        if (length == 0) {
            return;
        }
        int op = add(true, to, sendTag, offset, length, streamId, false, whole);
        for (int h : depHandles) {
            if (h >= 0) {
                if (depSize == deps.length) {
                    deps = Arrays.copyOf(deps, depSize * 2);
                }
                deps[depSize++] = h;
            }
        }
        depStart[op + 1] = depSize;
    }

    private int add(boolean isSend, int p, long t, long offset, long length, int streamId, boolean reduce,
            boolean whole) {
        if (size == peer.length) {
            int cap = size * 2;
            send = Arrays.copyOf(send, cap);
            peer = Arrays.copyOf(peer, cap);
            tag = Arrays.copyOf(tag, cap);
            offsetBytes = Arrays.copyOf(offsetBytes, cap);
            bytes = Arrays.copyOf(bytes, cap);
            stream = Arrays.copyOf(stream, cap);
            reduces = Arrays.copyOf(reduces, cap);
            depWhole = Arrays.copyOf(depWhole, cap);
            depStart = Arrays.copyOf(depStart, cap + 1);
        }
        int op = size++;
        send[op] = isSend;
        peer[op] = p;
        tag[op] = t;
        offsetBytes[op] = offset;
        bytes[op] = length;
        stream[op] = streamId;
        reduces[op] = reduce;
        depWhole[op] = whole;
        depStart[op + 1] = depSize;
        return op;
    }
}

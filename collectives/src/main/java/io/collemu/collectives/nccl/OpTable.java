package io.collemu.collectives.nccl;

import java.util.Arrays;

/**
 * The ops of one rank as a generator emits them, before matching: a receive returns a handle (its op index)
 * that later sends name as dependencies. Ops of 0 bytes are dropped (handle -1; dependencies on -1 are
 * ignored, an empty receive writes nothing a send could wait for). A receive is identified by (sender, tag),
 * which the matching send repeats.
 *
 * <p>Single-threaded builder, used while one rank's schedule is built.
 */
final class OpTable {
    int size;
    boolean[] send = new boolean[8];
    int[] peer = new int[8];
    long[] tag = new long[8];
    long[] offsetBytes = new long[8];
    long[] bytes = new long[8];
    int[] stream = new int[8];
    boolean[] reduces = new boolean[8];
    boolean[] forwards = new boolean[8];
    int[] combine = new int[8];
    long[] combineGroup = new long[8];
    int[] combineSize = new int[8];
    /** (sender, tag) of every receive, built by {@link #buildIndex} or on the first {@link #findRecv}. */
    private java.util.Map<Long, Integer> recvIndex;
    int[] depStart = new int[9];
    int[] deps = new int[8];
    int depSize;

    /** @return the handle of a receive of {@code length} bytes at {@code offset}, or -1 when empty */
    int recv(int from, long recvTag, long offset, long length, int streamId, boolean reduce) {
        if (length == 0) {
            return -1;
        }
        return add(false, from, recvTag, offset, length, streamId, reduce);
    }

    /** Adds a send with overlap dependencies on the receives {@code depHandles} (entries of -1 are skipped). */
    void send(int to, long sendTag, long offset, long length, int streamId, int... depHandles) {
        addSend(false, to, sendTag, offset, length, streamId, depHandles);
    }

    /** Marks op {@code op} (not -1) as switch-combined ({@link io.collemu.collectives.RankSchedule#combine}). */
    void combine(int op, int kind, long group, int size) {
        if (op >= 0) {
            combine[op] = kind;
            combineGroup[op] = group;
            combineSize[op] = size;
        }
    }

    /** @return the op index of the last op added (its handle), or -1 when there is none */
    int last() {
        return size - 1;
    }

    /**
     * Adds a relay forward ({@link RelayRankSchedule#isRelayForward}): a send that reads the output buffer at
     * {@code offset}, where this rank's receive {@code depHandles} staged the bytes, with overlap dependencies.
     */
    void forward(int to, long sendTag, long offset, long length, int streamId, int... depHandles) {
        addSend(true, to, sendTag, offset, length, streamId, depHandles);
    }

    private int addSend(boolean forward, int to, long sendTag, long offset, long length, int streamId,
            int... depHandles) {
        if (length == 0) {
            return -1;
        }
        int op = add(true, to, sendTag, offset, length, streamId, false);
        forwards[op] = forward;
        for (int h : depHandles) {
            if (h >= 0) {
                if (depSize == deps.length) {
                    deps = Arrays.copyOf(deps, depSize * 2);
                }
                deps[depSize++] = h;
            }
        }
        depStart[op + 1] = depSize;
        return op;
    }

    private int add(boolean isSend, int p, long t, long offset, long length, int streamId, boolean reduce) {
        if (size == peer.length) {
            int cap = size * 2;
            send = Arrays.copyOf(send, cap);
            peer = Arrays.copyOf(peer, cap);
            tag = Arrays.copyOf(tag, cap);
            offsetBytes = Arrays.copyOf(offsetBytes, cap);
            bytes = Arrays.copyOf(bytes, cap);
            stream = Arrays.copyOf(stream, cap);
            reduces = Arrays.copyOf(reduces, cap);
            forwards = Arrays.copyOf(forwards, cap);
            combine = Arrays.copyOf(combine, cap);
            combineGroup = Arrays.copyOf(combineGroup, cap);
            combineSize = Arrays.copyOf(combineSize, cap);
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
        forwards[op] = false;
        combine[op] = 0;
        combineGroup[op] = 0;
        combineSize[op] = 1;
        recvIndex = null;
        depStart[op + 1] = depSize;
        return op;
    }

    /** Builds the receive index {@link #findRecv} uses (done once the table is complete). */
    void buildIndex() {
        java.util.Map<Long, Integer> index = new java.util.HashMap<>();
        for (int op = 0; op < size; op++) {
            if (!send[op]) {
                index.putIfAbsent(key(peer[op], tag[op]), op);
            }
        }
        recvIndex = index;
    }

    /** @return the op index of the receive from {@code sender} with {@code recvTag}, or -1 */
    int findRecv(int sender, long recvTag) {
        if (recvIndex == null) {
            buildIndex();
        }
        Integer op = recvIndex.get(key(sender, recvTag));
        if (op != null && peer[op] == sender && tag[op] == recvTag) {
            return op;
        }
        for (int o = 0; o < size; o++) { // a key collision (or none): the exact scan decides
            if (!send[o] && peer[o] == sender && tag[o] == recvTag) {
                return o;
            }
        }
        return -1;
    }

    /** A hash of (sender, tag); {@link #findRecv} checks the op it names. */
    private static long key(int sender, long recvTag) {
        return recvTag * 0x9E3779B97F4A7C15L + sender;
    }
}

package io.collemu.collectives.nccl;

import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A schedule whose ranks have a few ops per channel (NCCL's ring chains and trees, in place; PXN send/recv, with
 * its own buffers and relay forwards, {@link RelayRankSchedule}): {@link #rank(int)}
 * lets the generator emit the rank's ops, then finds each send's receive by emitting the peer (same tag, sent
 * from this rank), looked up by hash. Emitted tables are kept in a soft cache ({@link #table}), so each rank is
 * emitted about once however often its view and its peers' are asked for. All dependencies are byte-overlap
 * (segment pipelining).
 *
 * <p>Immutable; thread-safe.
 */
final class TableSchedule implements Schedule {

    /** Emits the ops of one rank; deterministic, and consistent between sender and receiver. */
    interface Generator {
        void emit(int rank, OpTable ops);
    }

    private final CollectiveRequest request;
    private final String algorithm;
    private final int streamCount;
    private final Generator generator;
    private final long totalBytesSent;
    private final Buffers buffers;
    /** Emitted op tables by rank (a cache, cleared under memory pressure). */
    private final java.util.concurrent.ConcurrentHashMap<Integer, java.lang.ref.SoftReference<OpTable>> emitted =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Buffer sizes of a schedule that is not in place. */
    interface Buffers {
        long inputBytes(int rank);

        long outputBytes(int rank);
    }

    /** An in-place schedule: every rank's buffer holds the request's size. */
    TableSchedule(CollectiveRequest request, String algorithm, int streamCount, Generator generator,
            long totalBytesSent) {
        this(request, algorithm, streamCount, generator, totalBytesSent, null);
    }

    /** A schedule with separate input and output buffers of {@code buffers}' sizes. */
    TableSchedule(CollectiveRequest request, String algorithm, int streamCount, Generator generator,
            long totalBytesSent, Buffers buffers) {
        this.request = request;
        this.algorithm = algorithm;
        this.streamCount = streamCount;
        this.generator = generator;
        this.totalBytesSent = totalBytesSent;
        this.buffers = buffers;
    }

    @Override
    public CollectiveRequest request() {
        return request;
    }

    @Override
    public String algorithm() {
        return algorithm;
    }

    @Override
    public int ranks() {
        return request.ranks();
    }

    @Override
    public boolean inPlace() {
        return buffers == null;
    }

    @Override
    public long inputBytes(int rank) {
        return buffers == null ? request.sizeBytes() : buffers.inputBytes(rank);
    }

    @Override
    public long outputBytes(int rank) {
        return buffers == null ? request.sizeBytes() : buffers.outputBytes(rank);
    }

    @Override
    public long totalBytesSent() {
        return totalBytesSent;
    }

    @Override
    public RankSchedule rank(int rank) {
        if (rank < 0 || rank >= request.ranks()) {
            throw new CollectiveException("rank " + rank + " outside 0.." + (request.ranks() - 1));
        }
        OpTable ops = table(rank);
        int[] match = new int[ops.size];
        Map<Integer, OpTable> peers = new HashMap<>();
        for (int op = 0; op < ops.size; op++) {
            match[op] = -1;
            if (!ops.send[op]) {
                continue;
            }
            OpTable peer = peers.computeIfAbsent(ops.peer[op], this::table);
            match[op] = peer.findRecv(rank, ops.tag[op]);
            if (match[op] < 0) {
                throw new IllegalStateException(algorithm + ": rank " + rank + " op " + op + " sends to "
                        + ops.peer[op] + " with tag " + ops.tag[op] + " but the peer has no such receive");
            }
        }
        return new ArrayRank(ops, match, streamCount);
    }

    /**
     * Rank {@code rank}'s emitted ops with their receive index, from a cache of soft references: a rank's view needs
     * its peers' tables too, and the engine, the cost estimate and the planner each ask for every rank, so without
     * it each table would be emitted a dozen times (NVLSTree: tens of thousands of ops per rank). The table is
     * complete (index built) before it is published through the concurrent map.
     */
    private OpTable table(int rank) {
        java.lang.ref.SoftReference<OpTable> ref = emitted.get(rank);
        OpTable t = ref == null ? null : ref.get();
        if (t == null) {
            t = new OpTable();
            generator.emit(rank, t);
            t.buildIndex();
            emitted.put(rank, new java.lang.ref.SoftReference<>(t));
        }
        return t;
    }

    /** A rank's ops in arrays. */
    private static final class ArrayRank implements RelayRankSchedule {
        private final int count;
        private final boolean[] send;
        private final int[] peer;
        private final long[] offsetBytes;
        private final long[] bytes;
        private final int[] stream;
        private final boolean[] reduces;
        private final boolean[] forwards;
        private final int[] combine;
        private final long[] combineGroup;
        private final int[] combineSize;
        private final int[] depStart;
        private final int[] deps;
        private final int[] match;
        private final int streamCount;

        ArrayRank(OpTable ops, int[] match, int streamCount) {
            count = ops.size;
            send = Arrays.copyOf(ops.send, count);
            peer = Arrays.copyOf(ops.peer, count);
            offsetBytes = Arrays.copyOf(ops.offsetBytes, count);
            bytes = Arrays.copyOf(ops.bytes, count);
            stream = Arrays.copyOf(ops.stream, count);
            reduces = Arrays.copyOf(ops.reduces, count);
            forwards = Arrays.copyOf(ops.forwards, count);
            combine = Arrays.copyOf(ops.combine, count);
            combineGroup = Arrays.copyOf(ops.combineGroup, count);
            combineSize = Arrays.copyOf(ops.combineSize, count);
            depStart = Arrays.copyOf(ops.depStart, count + 1);
            deps = Arrays.copyOf(ops.deps, ops.depSize);
            this.match = match;
            this.streamCount = streamCount;
        }

        private int check(int op) {
            if (op < 0 || op >= count) {
                throw new IndexOutOfBoundsException("op " + op + " outside 0.." + (count - 1));
            }
            return op;
        }

        @Override
        public int opCount() {
            return count;
        }

        @Override
        public int streamCount() {
            return streamCount;
        }

        @Override
        public boolean isSend(int op) {
            return send[check(op)];
        }

        @Override
        public int peer(int op) {
            return peer[check(op)];
        }

        @Override
        public long offsetBytes(int op) {
            return offsetBytes[check(op)];
        }

        @Override
        public long bytes(int op) {
            return bytes[check(op)];
        }

        @Override
        public int stream(int op) {
            return stream[check(op)];
        }

        @Override
        public boolean reduces(int op) {
            return reduces[check(op)];
        }

        @Override
        public boolean isRelayForward(int op) {
            return forwards[check(op)];
        }

        @Override
        public int combine(int op) {
            return combine[check(op)];
        }

        @Override
        public long combineGroup(int op) {
            return combineGroup[check(op)];
        }

        @Override
        public int combineSize(int op) {
            return combineSize[check(op)];
        }

        @Override
        public int matchOp(int op) {
            if (!send[check(op)]) {
                throw new IllegalArgumentException("op " + op + " is a receive");
            }
            return match[op];
        }

        @Override
        public int depCount(int op) {
            return depStart[check(op) + 1] - depStart[op];
        }

        @Override
        public int dep(int op, int k) {
            if (k < 0 || k >= depCount(op)) {
                throw new IndexOutOfBoundsException("dependency " + k + " of op " + op);
            }
            return deps[depStart[op] + k];
        }

        @Override
        public boolean depWhole(int op, int k) {
            check(op);
            return false;
        }
    }
}

package io.collemu.collectives.algo;

import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * Schedules whose ranks have few ops (trees, halving-doubling, chains, send-recv): {@link #rank(int)} lets the
 * algorithm emit the rank's ops into arrays, then finds each send's matching receive by emitting the peer's ops
 * (sends and receives carry the same tag). Cost per call: O(ops of the rank x ops of its few peers); nothing is
 * kept between calls, so memory is O(1) per schedule.
 *
 * <p>Immutable; thread-safe.
 */
public final class MaterializedSchedule implements Schedule {

    /** Emits the ops of one rank; must be deterministic and consistent between sender and receiver. */
    interface Generator {
        void emit(int rank, OpList ops);
    }

    private final CollectiveRequest request;
    private final String algorithm;
    private final boolean inPlace;
    private final int streamCount;
    private final Generator generator;
    private final IntToLongFunction inputBytes;
    private final IntToLongFunction outputBytes;

    private MaterializedSchedule(CollectiveRequest request, String algorithm, boolean inPlace, int streamCount,
            Generator generator, IntToLongFunction inputBytes, IntToLongFunction outputBytes) {
        this.request = request;
        this.algorithm = algorithm;
        this.inPlace = inPlace;
        this.streamCount = streamCount;
        this.generator = generator;
        this.inputBytes = inputBytes;
        this.outputBytes = outputBytes;
    }

    private static MaterializedSchedule inPlace(CollectiveRequest request, String algorithm, int streams,
            Generator generator) {
        long size = request.sizeBytes();
        return new MaterializedSchedule(request, algorithm, true, streams, generator, r -> size, r -> size);
    }

    /** NCCL double binary tree all-reduce; see {@link DoubleBinaryTree}. */
    public static MaterializedSchedule doubleBinaryTree(CollectiveRequest request, String algorithm) {
        require(request, CollectiveKind.ALL_REDUCE);
        return inPlace(request, algorithm, 6 * request.channels(), new DoubleBinaryTree(request));
    }

    /** Rabenseifner all-reduce; see {@link HalvingDoubling}. */
    public static MaterializedSchedule halvingDoubling(CollectiveRequest request, String algorithm) {
        require(request, CollectiveKind.ALL_REDUCE);
        return inPlace(request, algorithm, request.channels(), new HalvingDoubling(request));
    }

    /** Pipelined chain broadcast or reduce; see {@link Chain}. */
    public static MaterializedSchedule chain(CollectiveRequest request, String algorithm) {
        requireRooted(request);
        return inPlace(request, algorithm, request.channels(), new Chain(request));
    }

    /** Pipelined binary-tree broadcast or reduce; see {@link BinaryTree}. */
    public static MaterializedSchedule binaryTree(CollectiveRequest request, String algorithm) {
        requireRooted(request);
        return inPlace(request, algorithm, 2 * request.channels(), new BinaryTree(request));
    }

    /** Send-recv pairs; see {@link SendRecv}. */
    public static MaterializedSchedule sendRecv(CollectiveRequest request, String algorithm) {
        require(request, CollectiveKind.SEND_RECV);
        SendRecv pairs = new SendRecv(request);
        return new MaterializedSchedule(request, algorithm, false, request.channels(), pairs, pairs::inputBytes,
                pairs::outputBytes);
    }

    private static void require(CollectiveRequest request, CollectiveKind kind) {
        if (request.kind() != kind) {
            throw new CollectiveException(request.algorithm() + " schedule cannot serve " + request.kind().cliName());
        }
    }

    private static void requireRooted(CollectiveRequest request) {
        if (request.kind() != CollectiveKind.BROADCAST && request.kind() != CollectiveKind.REDUCE) {
            throw new CollectiveException(request.algorithm() + " schedule cannot serve " + request.kind().cliName());
        }
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
        return inPlace;
    }

    @Override
    public long inputBytes(int rank) {
        return inputBytes.applyAsLong(rank);
    }

    @Override
    public long outputBytes(int rank) {
        return outputBytes.applyAsLong(rank);
    }

    /** Emits every rank (no matching): O(total ops). */
    @Override
    public long totalBytesSent() {
        long total = 0;
        for (int r = 0; r < request.ranks(); r++) {
            OpList ops = new OpList();
            generator.emit(r, ops);
            for (int op = 0; op < ops.size; op++) {
                if (ops.send[op]) {
                    total += ops.bytes[op];
                }
            }
        }
        return total;
    }

    @Override
    public RankSchedule rank(int rank) {
        if (rank < 0 || rank >= request.ranks()) {
            throw new CollectiveException("rank " + rank + " outside 0.." + (request.ranks() - 1));
        }
        OpList ops = new OpList();
        generator.emit(rank, ops);
        int[] match = new int[ops.size];
        Map<Integer, Map<Long, Integer>> peerRecvs = new HashMap<>();
        for (int op = 0; op < ops.size; op++) {
            match[op] = -1;
            if (!ops.send[op]) {
                continue;
            }
            int peer = ops.peer[op];
            Map<Long, Integer> recvs = peerRecvs.computeIfAbsent(peer, q -> recvsFrom(q, rank));
            Integer index = recvs.get(ops.tag[op]);
            if (index == null) {
                throw new IllegalStateException(algorithm + ": rank " + rank + " op " + op + " sends to " + peer
                        + " with tag " + ops.tag[op] + " but the peer has no such receive");
            }
            match[op] = index;
        }
        return new ArrayRank(ops, match, streamCount);
    }

    private Map<Long, Integer> recvsFrom(int peer, int sender) {
        OpList ops = new OpList();
        generator.emit(peer, ops);
        Map<Long, Integer> byTag = new HashMap<>();
        for (int op = 0; op < ops.size; op++) {
            if (!ops.send[op] && ops.peer[op] == sender && byTag.put(ops.tag[op], op) != null) {
                throw new IllegalStateException(algorithm + ": rank " + peer + " has two receives from " + sender
                        + " with tag " + ops.tag[op]);
            }
        }
        return byTag;
    }

    /** A rank's ops in arrays. */
    private static final class ArrayRank implements RankSchedule {
        private final int count;
        private final boolean[] send;
        private final int[] peer;
        private final long[] offsetBytes;
        private final long[] bytes;
        private final int[] stream;
        private final boolean[] reduces;
        private final boolean[] depWhole;
        private final int[] depStart;
        private final int[] deps;
        private final int[] match;
        private final int streamCount;

        ArrayRank(OpList ops, int[] match, int streamCount) {
            count = ops.size;
            send = Arrays.copyOf(ops.send, count);
            peer = Arrays.copyOf(ops.peer, count);
            offsetBytes = Arrays.copyOf(ops.offsetBytes, count);
            bytes = Arrays.copyOf(ops.bytes, count);
            stream = Arrays.copyOf(ops.stream, count);
            reduces = Arrays.copyOf(ops.reduces, count);
            depWhole = Arrays.copyOf(ops.depWhole, count);
            depStart = Arrays.copyOf(ops.depStart, count + 1);
            deps = Arrays.copyOf(ops.deps, ops.depSize);
            this.match = match;
            this.streamCount = streamCount;
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

        private int check(int op) {
            if (op < 0 || op >= count) {
                throw new IndexOutOfBoundsException("op " + op + " outside 0.." + (count - 1));
            }
            return op;
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
            return depWhole[check(op)];
        }
    }
}

package io.collemu.collectives;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Executes a {@link Schedule} on real data, in process, under the engine's rules (see {@link RankSchedule}),
 * and checks the outcome. One {@code double} stands for one byte, so odd sizes work; initial values are
 * random integers below 2^20, so sums are exact.
 *
 * <p>The interleaving is random but seeded: at every step one ready action is picked at random, either
 * injecting the next segment of some stream's head send (when its dependencies allow) or delivering the
 * oldest in-flight segment of some send op. Each seed also picks how strongly injections are preferred over
 * deliveries, so both long in-flight backlogs and lock-step runs get explored. A missing dependency shows up
 * as a wrong sum or a stale forwarded byte; a cyclic one as a deadlock.
 *
 * <p>Checks, in order: structure (every send matches a receive from it with equal bytes, every receive is
 * matched exactly once, ranges inside the buffers, dependencies are receives of the same rank, overlap
 * dependencies only in in-place schedules, {@code totalBytesSent} exact), completion without deadlock, then
 * the data: all-reduce every rank holds the sum; reduce-scatter rank r holds block r of the sum; all-gather
 * and broadcast every rank holds the right blocks; reduce the root holds the sum; all-to-all(v) and send-recv
 * every output byte came from the right input byte. Failures throw {@link AssertionError} (wrong data) or
 * {@link IllegalStateException} (malformed schedule, deadlock) with a one-line message naming rank and byte.
 *
 * <p>Stateless between calls; each call is single-threaded and allocates O(total ops + total bytes).
 */
public final class DataVerifier {

    private final Schedule schedule;
    private final CollectiveRequest request;
    private final String label;
    private final int n;
    private final RankSchedule[] ranks;
    private final int[] opBase;
    private final int totalOps;
    // per op, global index opBase[r] + op
    private final int[] rankOf;
    private final boolean[] send;
    private final long[] offset;
    private final long[] bytes;
    private final boolean[] reduces;
    private final int[] match;
    private final int[] depStart;
    private final int[] deps;
    private final boolean[] depWhole;
    private final int[] streamOf;
    private final long[] progress;
    // streams: global id streamBase[r] + s, each the ordered list of its send ops
    private final int[][] streamOps;
    private final int[] head;
    private final int[] dependentStart;
    private final int[] dependents;

    private double[][] input;
    private double[][] output;

    private DataVerifier(Schedule schedule) {
        this.schedule = schedule;
        this.request = schedule.request();
        this.label = request + " (" + schedule.algorithm() + ")";
        this.n = schedule.ranks();
        this.ranks = new RankSchedule[n];
        this.opBase = new int[n + 1];
        for (int r = 0; r < n; r++) {
            ranks[r] = schedule.rank(r);
            opBase[r + 1] = Math.addExact(opBase[r], ranks[r].opCount());
        }
        totalOps = opBase[n];
        rankOf = new int[totalOps];
        send = new boolean[totalOps];
        offset = new long[totalOps];
        bytes = new long[totalOps];
        reduces = new boolean[totalOps];
        match = new int[totalOps];
        streamOf = new int[totalOps];
        progress = new long[totalOps];
        depStart = new int[totalOps + 1];
        int[] streamBase = new int[n + 1];
        for (int r = 0; r < n; r++) {
            streamBase[r + 1] = streamBase[r] + ranks[r].streamCount();
        }
        int depTotal = 0;
        for (int r = 0; r < n; r++) {
            RankSchedule rs = ranks[r];
            for (int op = 0; op < rs.opCount(); op++) {
                int g = opBase[r] + op;
                rankOf[g] = r;
                send[g] = rs.isSend(op);
                offset[g] = rs.offsetBytes(op);
                bytes[g] = rs.bytes(op);
                int stream = rs.stream(op);
                if (stream < 0 || stream >= rs.streamCount()) {
                    throw bad(r, op, "stream " + stream + " outside 0.." + (rs.streamCount() - 1));
                }
                streamOf[g] = streamBase[r] + stream;
                if (send[g]) {
                    depTotal += rs.depCount(op);
                } else {
                    reduces[g] = rs.reduces(op);
                }
            }
        }
        deps = new int[depTotal];
        depWhole = new boolean[depTotal];
        int[] streamSizes = new int[streamBase[n]];
        int d = 0;
        for (int r = 0; r < n; r++) {
            RankSchedule rs = ranks[r];
            for (int op = 0; op < rs.opCount(); op++) {
                int g = opBase[r] + op;
                depStart[g] = d;
                if (!send[g]) {
                    continue;
                }
                streamSizes[streamOf[g]]++;
                for (int k = 0; k < rs.depCount(op); k++) {
                    int dep = rs.dep(op, k);
                    if (dep < 0 || dep >= rs.opCount() || rs.isSend(dep)) {
                        throw bad(r, op, "dependency " + k + " is op " + dep + ", not a receive of this rank");
                    }
                    deps[d] = opBase[r] + dep;
                    depWhole[d++] = rs.depWhole(op, k);
                }
            }
        }
        depStart[totalOps] = d;
        streamOps = new int[streamBase[n]][];
        for (int s = 0; s < streamOps.length; s++) {
            streamOps[s] = new int[streamSizes[s]];
        }
        int[] fill = new int[streamOps.length];
        for (int g = 0; g < totalOps; g++) {
            if (send[g]) {
                streamOps[streamOf[g]][fill[streamOf[g]]++] = g;
            }
        }
        head = new int[streamOps.length];
        dependentStart = new int[totalOps + 1];
        for (int i = 0; i < depTotal; i++) {
            dependentStart[deps[i] + 1]++;
        }
        for (int g = 0; g < totalOps; g++) {
            dependentStart[g + 1] += dependentStart[g];
        }
        dependents = new int[depTotal];
        int[] at = Arrays.copyOf(dependentStart, totalOps);
        for (int g = 0; g < totalOps; g++) {
            for (int i = depStart[g]; i < depStart[g + 1]; i++) {
                dependents[at[deps[i]]++] = g;
            }
        }
    }

    /**
     * Runs {@code schedule} with a random interleaving drawn from {@code seed}, cutting sends into segments of
     * {@code segmentBytes}, and checks structure, completion and data.
     *
     * @throws AssertionError        on wrong data, naming rank and byte
     * @throws IllegalStateException on a malformed schedule or a deadlock
     */
    public static void verify(Schedule schedule, long seed, long segmentBytes) {
        if (segmentBytes < 1) {
            throw new IllegalArgumentException("segmentBytes must be >= 1, got " + segmentBytes);
        }
        DataVerifier v = new DataVerifier(schedule);
        v.checkStructure();
        v.run(seed, segmentBytes);
    }

    /**
     * Checks only the structure (matching, ranges, dependencies on receives, exact totalBytesSent).
     *
     * @throws IllegalStateException naming the first offending rank and op
     */
    public static void checkStructure(Schedule schedule) {
        new DataVerifier(schedule).checkStructure();
    }

    /** @return bytes sent by each rank (sum of its send ops) */
    public static long[] bytesSentPerRank(Schedule schedule) {
        long[] sent = new long[schedule.ranks()];
        for (int r = 0; r < sent.length; r++) {
            RankSchedule rs = schedule.rank(r);
            for (int op = 0; op < rs.opCount(); op++) {
                if (rs.isSend(op)) {
                    sent[r] += rs.bytes(op);
                }
            }
        }
        return sent;
    }

    private IllegalStateException bad(int rank, int op, String what) {
        return new IllegalStateException(label + ": rank " + rank + " op " + op + ": " + what);
    }

    private void checkStructure() {
        int[] matchedBy = new int[totalOps];
        Arrays.fill(matchedBy, -1);
        long sentTotal = 0;
        for (int r = 0; r < n; r++) {
            RankSchedule rs = ranks[r];
            for (int op = 0; op < rs.opCount(); op++) {
                int g = opBase[r] + op;
                int peer = rs.peer(op);
                if (peer < 0 || peer >= n || peer == r) {
                    throw bad(r, op, "peer " + peer + " is not another rank");
                }
                if (bytes[g] <= 0) {
                    throw bad(r, op, "has " + bytes[g] + " bytes");
                }
                long limit = send[g] ? bufferBytes(r, true) : bufferBytes(r, false);
                if (offset[g] < 0 || offset[g] + bytes[g] > limit) {
                    throw bad(r, op, "range [" + offset[g] + ", " + (offset[g] + bytes[g]) + ") outside the "
                            + limit + "-byte " + (send[g] ? "send" : "receive") + " buffer");
                }
                if (!send[g]) {
                    continue;
                }
                sentTotal += bytes[g];
                int m = rs.matchOp(op);
                RankSchedule ps = ranks[peer];
                if (m < 0 || m >= ps.opCount() || ps.isSend(m) || ps.peer(m) != r) {
                    throw bad(r, op, "matchOp " + m + " at rank " + peer + " is not a receive from rank " + r);
                }
                int pg = opBase[peer] + m;
                if (bytes[pg] != bytes[g]) {
                    throw bad(r, op, "sends " + bytes[g] + " bytes but receive " + m + " at rank " + peer
                            + " expects " + bytes[pg]);
                }
                if (matchedBy[pg] >= 0) {
                    throw bad(r, op, "receive " + m + " at rank " + peer + " is matched twice (also by global op "
                            + matchedBy[pg] + ")");
                }
                matchedBy[pg] = g;
                match[g] = pg;
                for (int i = depStart[g]; i < depStart[g + 1]; i++) {
                    if (!depWhole[i] && !schedule.inPlace()) {
                        throw bad(r, op, "overlap dependency in a schedule that is not in place");
                    }
                }
            }
        }
        for (int g = 0; g < totalOps; g++) {
            if (!send[g] && matchedBy[g] < 0) {
                throw bad(rankOf[g], g - opBase[rankOf[g]], "receive is matched by no send");
            }
        }
        if (sentTotal != schedule.totalBytesSent()) {
            throw new IllegalStateException(label + ": totalBytesSent() says " + schedule.totalBytesSent()
                    + " but the send ops add up to " + sentTotal);
        }
    }

    private long bufferBytes(int rank, boolean forSend) {
        if (schedule.inPlace()) {
            return Math.max(schedule.inputBytes(rank), schedule.outputBytes(rank));
        }
        return forSend ? schedule.inputBytes(rank) : schedule.outputBytes(rank);
    }

    private void run(long seed, long segmentBytes) {
        Random random = new Random(seed);
        input = new double[n][];
        output = new double[n][];
        for (int r = 0; r < n; r++) {
            input[r] = new double[Math.toIntExact(bufferBytes(r, true))];
            for (int i = 0; i < input[r].length; i++) {
                input[r][i] = random.nextInt(1 << 20);
            }
            if (schedule.inPlace()) {
                output[r] = input[r];
            } else {
                output[r] = new double[Math.toIntExact(bufferBytes(r, false))];
                Arrays.fill(output[r], Double.NaN);
            }
        }
        double[][] initial = new double[n][];
        for (int r = 0; r < n; r++) {
            initial[r] = input[r].clone();
        }
        copyOwnBlocks();
        execute(random, segmentBytes);
        checkData(initial);
    }

    /** All-to-all keeps a rank's own block with a local copy (no network op). */
    private void copyOwnBlocks() {
        if (request.kind() != CollectiveKind.ALL_TO_ALL && request.kind() != CollectiveKind.ALL_TO_ALL_V) {
            return;
        }
        for (int r = 0; r < n; r++) {
            long len = pairBytes(r, r);
            System.arraycopy(input[r], (int) pairInputOffset(r, r), output[r], (int) pairOutputOffset(r, r),
                    (int) len);
        }
    }

    private void execute(Random random, long segmentBytes) {
        double injectBias = new double[] {0.2, 0.5, 0.8}[random.nextInt(3)];
        ReadySet injectable = new ReadySet(streamOps.length);
        ReadySet deliverable = new ReadySet(totalOps);
        List<ArrayDeque<double[]>> inFlight = new ArrayList<>(Collections.nCopies(totalOps, null));
        for (int s = 0; s < streamOps.length; s++) {
            evaluate(s, injectable, segmentBytes);
        }
        while (!injectable.isEmpty() || !deliverable.isEmpty()) {
            boolean inject = !injectable.isEmpty() && (deliverable.isEmpty() || random.nextDouble() < injectBias);
            if (inject) {
                int s = injectable.get(random.nextInt(injectable.size()));
                int g = streamOps[s][head[s]];
                int from = (int) (offset[g] + progress[g]);
                int len = (int) Math.min(segmentBytes, bytes[g] - progress[g]);
                double[] payload = Arrays.copyOfRange(input[rankOf[g]], from, from + len);
                progress[g] += len;
                if (inFlight.get(g) == null) {
                    inFlight.set(g, new ArrayDeque<>());
                }
                inFlight.get(g).add(payload);
                deliverable.add(g);
                if (progress[g] == bytes[g]) {
                    head[s]++;
                }
                evaluate(s, injectable, segmentBytes);
            } else {
                int g = deliverable.get(random.nextInt(deliverable.size()));
                double[] payload = inFlight.get(g).poll();
                if (inFlight.get(g).isEmpty()) {
                    deliverable.remove(g);
                }
                int m = match[g];
                double[] target = output[rankOf[m]];
                int at = (int) (offset[m] + progress[m]);
                for (int i = 0; i < payload.length; i++) {
                    target[at + i] = reduces[m] ? target[at + i] + payload[i] : payload[i];
                }
                progress[m] += payload.length;
                for (int i = dependentStart[m]; i < dependentStart[m + 1]; i++) {
                    int waiting = dependents[i];
                    int s = streamOf[waiting];
                    if (head[s] < streamOps[s].length && streamOps[s][head[s]] == waiting) {
                        evaluate(s, injectable, segmentBytes);
                    }
                }
            }
        }
        for (int s = 0; s < streamOps.length; s++) {
            if (head[s] < streamOps[s].length) {
                int g = streamOps[s][head[s]];
                throw new IllegalStateException(label + ": deadlock: rank " + rankOf[g] + " send op "
                        + (g - opBase[rankOf[g]]) + " (to rank " + rankOf[match[g]] + ") is stuck after "
                        + progress[g] + " of " + bytes[g] + " bytes" + unmetDependency(g, segmentBytes));
            }
        }
    }

    private String unmetDependency(int g, long segmentBytes) {
        for (int i = depStart[g]; i < depStart[g + 1]; i++) {
            if (!dependencyMet(g, i, segmentBytes)) {
                int d = deps[i];
                return "; waiting for its receive op " + (d - opBase[rankOf[d]]) + " (" + progress[d] + " of "
                        + bytes[d] + " bytes)";
            }
        }
        return "";
    }

    private void evaluate(int s, ReadySet injectable, long segmentBytes) {
        boolean ready = false;
        if (head[s] < streamOps[s].length) {
            int g = streamOps[s][head[s]];
            ready = true;
            for (int i = depStart[g]; i < depStart[g + 1] && ready; i++) {
                ready = dependencyMet(g, i, segmentBytes);
            }
        }
        if (ready) {
            injectable.add(s);
        } else {
            injectable.remove(s);
        }
    }

    private boolean dependencyMet(int g, int i, long segmentBytes) {
        int d = deps[i];
        if (depWhole[i]) {
            return progress[d] == bytes[d];
        }
        long a = offset[g] + progress[g];
        long b = Math.min(a + segmentBytes, offset[g] + bytes[g]);
        long from = offset[d];
        long length = bytes[d];
        long needed = (b <= from || a >= from + length) ? 0 : Math.min(length, b - from);
        return progress[d] >= needed;
    }

    private void checkData(double[][] initial) {
        long size = request.sizeBytes();
        switch (request.kind()) {
            case ALL_REDUCE -> {
                for (int r = 0; r < n; r++) {
                    expectSum(r, 0, size, initial);
                }
            }
            case REDUCE_SCATTER -> {
                for (int r = 0; r < n; r++) {
                    expectSum(r, BlockSplit.offsetBytes(size, n, r), BlockSplit.sizeBytes(size, n, r), initial);
                }
            }
            case REDUCE -> expectSum(request.root(), 0, size, initial);
            case ALL_GATHER -> {
                for (int r = 0; r < n; r++) {
                    for (int owner = 0; owner < n; owner++) {
                        long from = BlockSplit.offsetBytes(size, n, owner);
                        for (long x = from; x < from + BlockSplit.sizeBytes(size, n, owner); x++) {
                            expect(r, x, initial[owner][(int) x]);
                        }
                    }
                }
            }
            case BROADCAST -> {
                for (int r = 0; r < n; r++) {
                    for (long x = 0; x < size; x++) {
                        expect(r, x, initial[request.root()][(int) x]);
                    }
                }
            }
            case ALL_TO_ALL, ALL_TO_ALL_V -> {
                for (int dst = 0; dst < n; dst++) {
                    for (int src = 0; src < n; src++) {
                        long in = pairInputOffset(src, dst);
                        long out = pairOutputOffset(src, dst);
                        for (long x = 0; x < pairBytes(src, dst); x++) {
                            expect(dst, out + x, initial[src][(int) (in + x)]);
                        }
                    }
                }
            }
            case SEND_RECV -> checkPairs(initial);
        }
    }

    private void checkPairs(double[][] initial) {
        long size = request.sizeBytes();
        int[] sentSlots = new int[n];
        int[] receivedSlots = new int[n];
        for (int i = 0; i < request.pairCount(); i++) {
            int src = request.pairSource(i);
            int dst = request.pairDestination(i);
            long in = sentSlots[src]++ * size;
            long out = receivedSlots[dst]++ * size;
            for (long x = 0; x < size; x++) {
                expect(dst, out + x, initial[src][(int) (in + x)]);
            }
        }
    }

    private void expectSum(int rank, long from, long length, double[][] initial) {
        for (long x = from; x < from + length; x++) {
            double sum = 0;
            for (int r = 0; r < n; r++) {
                sum += initial[r][(int) x];
            }
            expect(rank, x, sum);
        }
    }

    private void expect(int rank, long at, double value) {
        double got = output[rank][(int) at];
        if (got != value) {
            throw new AssertionError(label + ": rank " + rank + " output byte " + at + " is " + got + ", expected "
                    + value);
        }
    }

    private long pairBytes(int src, int dst) {
        return request.kind() == CollectiveKind.ALL_TO_ALL
                ? BlockSplit.sizeBytes(request.sizeBytes(), n, dst) : request.pairBytes(src, dst);
    }

    private long pairInputOffset(int src, int dst) {
        if (request.kind() == CollectiveKind.ALL_TO_ALL) {
            return BlockSplit.offsetBytes(request.sizeBytes(), n, dst);
        }
        long at = 0;
        for (int j = 0; j < dst; j++) {
            at += request.pairBytes(src, j);
        }
        return at;
    }

    private long pairOutputOffset(int src, int dst) {
        if (request.kind() == CollectiveKind.ALL_TO_ALL) {
            return src * BlockSplit.sizeBytes(request.sizeBytes(), n, dst);
        }
        long at = 0;
        for (int i = 0; i < src; i++) {
            at += request.pairBytes(i, dst);
        }
        return at;
    }

    /** A set of small ints with O(1) add, remove and pick-by-position. */
    private static final class ReadySet {
        private final int[] items;
        private final int[] where;
        private int size;

        ReadySet(int capacity) {
            items = new int[capacity];
            where = new int[capacity];
            Arrays.fill(where, -1);
        }

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }

        int get(int i) {
            return items[i];
        }

        void add(int x) {
            if (where[x] < 0) {
                where[x] = size;
                items[size++] = x;
            }
        }

        void remove(int x) {
            int i = where[x];
            if (i >= 0) {
                int last = items[--size];
                items[i] = last;
                where[last] = i;
                where[x] = -1;
            }
        }
    }
}

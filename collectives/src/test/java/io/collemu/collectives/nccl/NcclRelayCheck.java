package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.DataVerifier;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * {@link DataVerifier}'s execution for an all-to-all or a send-recv whose relays forward staged bytes
 * ({@link RelayRankSchedule}): the same engine rules (streams in order, segments, whole and byte-overlap
 * dependencies, in-order delivery, random seeded interleaving), with one addition: a relay forward reads the
 * <em>output</em> buffer, where its receive staged the bytes. Output buffers start as NaN, so a forward that
 * runs ahead of its data ships NaN and the final check names the rank and byte.
 *
 * <p>Checks: structure (matching, equal bytes, each receive matched once, ranges inside the buffer each op
 * touches, dependencies are receives of the same rank, exact totalBytesSent), completion without deadlock,
 * then every output byte of every pair. Test helper; single-threaded.
 */
final class NcclRelayCheck {

    private final Schedule schedule;
    private final int n;
    private final RankSchedule[] ranks;
    private final int[] base;
    private final int total;
    private final int[] rankOf;
    private final int[] match;
    private final long[] progress;
    private final int[][] streams;
    private final int[] head;
    private final List<List<Integer>> dependents = new ArrayList<>();
    private double[][] input;
    private double[][] output;

    private NcclRelayCheck(Schedule schedule) {
        this.schedule = schedule;
        this.n = schedule.ranks();
        ranks = new RankSchedule[n];
        base = new int[n + 1];
        for (int r = 0; r < n; r++) {
            ranks[r] = schedule.rank(r);
            base[r + 1] = base[r] + ranks[r].opCount();
        }
        total = base[n];
        rankOf = new int[total];
        match = new int[total];
        progress = new long[total];
        int[] streamBase = new int[n + 1];
        for (int r = 0; r < n; r++) {
            streamBase[r + 1] = streamBase[r] + ranks[r].streamCount();
        }
        List<List<Integer>> perStream = new ArrayList<>();
        for (int s = 0; s < streamBase[n]; s++) {
            perStream.add(new ArrayList<>());
        }
        for (int g = 0; g < total; g++) {
            dependents.add(new ArrayList<>());
        }
        for (int r = 0; r < n; r++) {
            for (int op = 0; op < ranks[r].opCount(); op++) {
                rankOf[base[r] + op] = r;
                if (ranks[r].isSend(op)) {
                    perStream.get(streamBase[r] + ranks[r].stream(op)).add(base[r] + op);
                }
            }
        }
        streams = new int[perStream.size()][];
        for (int s = 0; s < streams.length; s++) {
            streams[s] = perStream.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        head = new int[streams.length];
    }

    /** Structure, completion and data of a (possibly relayed) all-to-all under interleaving {@code seed}. */
    static void verify(Schedule schedule, long seed, long segmentBytes) {
        NcclRelayCheck check = new NcclRelayCheck(schedule);
        check.checkStructure();
        check.run(new Random(seed), segmentBytes);
    }

    private boolean forwards(int r, int op) {
        return ranks[r] instanceof RelayRankSchedule relay && relay.isRelayForward(op);
    }

    private IllegalStateException bad(int r, int op, String what) {
        return new IllegalStateException(schedule.request() + ": rank " + r + " op " + op + ": " + what);
    }

    private void checkStructure() {
        boolean[] matched = new boolean[total];
        long sent = 0;
        for (int r = 0; r < n; r++) {
            RankSchedule rs = ranks[r];
            for (int op = 0; op < rs.opCount(); op++) {
                int peer = rs.peer(op);
                boolean readsInput = rs.isSend(op) && !forwards(r, op);
                long limit = readsInput ? schedule.inputBytes(r) : schedule.outputBytes(r);
                if (peer < 0 || peer >= n || peer == r || rs.bytes(op) <= 0 || rs.offsetBytes(op) < 0
                        || rs.offsetBytes(op) + rs.bytes(op) > limit) {
                    throw bad(r, op, "peer " + peer + " range [" + rs.offsetBytes(op) + ", +" + rs.bytes(op) + ")");
                }
                if (!rs.isSend(op)) {
                    continue;
                }
                sent += rs.bytes(op);
                int m = rs.matchOp(op);
                RankSchedule ps = ranks[peer];
                if (m < 0 || m >= ps.opCount() || ps.isSend(m) || ps.peer(m) != r || ps.bytes(m) != rs.bytes(op)
                        || matched[base[peer] + m]) {
                    throw bad(r, op, "matchOp " + m + " at rank " + peer + " is not a free receive from " + r);
                }
                matched[base[peer] + m] = true;
                match[base[r] + op] = base[peer] + m;
                for (int k = 0; k < rs.depCount(op); k++) {
                    int d = rs.dep(op, k);
                    if (d < 0 || d >= rs.opCount() || rs.isSend(d)) {
                        throw bad(r, op, "dependency " + d + " is not a receive");
                    }
                    dependents.get(base[r] + d).add(base[r] + op);
                }
            }
        }
        for (int g = 0; g < total; g++) {
            if (!ranks[rankOf[g]].isSend(g - base[rankOf[g]]) && !matched[g]) {
                throw bad(rankOf[g], g - base[rankOf[g]], "receive matched by no send");
            }
        }
        if (sent != schedule.totalBytesSent()) {
            throw new IllegalStateException("totalBytesSent " + schedule.totalBytesSent() + " but ops add up to " + sent);
        }
    }

    private void run(Random random, long segmentBytes) {
        input = new double[n][];
        output = new double[n][];
        for (int r = 0; r < n; r++) {
            input[r] = new double[Math.toIntExact(schedule.inputBytes(r))];
            for (int i = 0; i < input[r].length; i++) {
                input[r][i] = random.nextInt(1 << 20);
            }
            output[r] = new double[Math.toIntExact(schedule.outputBytes(r))];
            Arrays.fill(output[r], Double.NaN);
            if (schedule.request().kind() == CollectiveKind.ALL_TO_ALL) {
                long own = block(r);
                System.arraycopy(input[r], (int) inputOffset(r), output[r], (int) (r * own), (int) own);
            }
        }
        execute(random, segmentBytes);
        checkData();
    }

    private void execute(Random random, long segmentBytes) {
        double injectBias = new double[] {0.2, 0.5, 0.8}[random.nextInt(3)];
        List<ArrayDeque<double[]>> inFlight = new ArrayList<>();
        for (int g = 0; g < total; g++) {
            inFlight.add(new ArrayDeque<>());
        }
        int[] streamOf = new int[total];
        for (int s = 0; s < streams.length; s++) {
            for (int g : streams[s]) {
                streamOf[g] = s;
            }
        }
        Picker ready = new Picker(streams.length);
        Picker flying = new Picker(total);
        for (int s = 0; s < streams.length; s++) {
            evaluate(s, ready, segmentBytes);
        }
        while (ready.size > 0 || flying.size > 0) {
            if (ready.size > 0 && (flying.size == 0 || random.nextDouble() < injectBias)) {
                int s = ready.items[random.nextInt(ready.size)];
                int g = inject(s, segmentBytes, inFlight);
                flying.add(g);
                evaluate(s, ready, segmentBytes);
            } else {
                int g = flying.items[random.nextInt(flying.size)];
                deliver(g, inFlight.get(g).poll());
                if (inFlight.get(g).isEmpty()) {
                    flying.remove(g);
                }
                for (int waiting : dependents.get(match[g])) {
                    evaluate(streamOf[waiting], ready, segmentBytes);
                }
            }
        }
        for (int s = 0; s < streams.length; s++) {
            if (head[s] < streams[s].length) {
                int g = streams[s][head[s]];
                throw new IllegalStateException(schedule.request() + ": deadlock at rank " + rankOf[g] + " op "
                        + (g - base[rankOf[g]]));
            }
        }
    }

    private void evaluate(int s, Picker ready, long segmentBytes) {
        if (head[s] < streams[s].length && dependenciesMet(streams[s][head[s]], segmentBytes)) {
            ready.add(s);
        } else {
            ready.remove(s);
        }
    }

    private int inject(int s, long segmentBytes, List<ArrayDeque<double[]>> inFlight) {
        int g = streams[s][head[s]];
        int r = rankOf[g];
        int op = g - base[r];
        RankSchedule rs = ranks[r];
        double[] source = forwards(r, op) ? output[r] : input[r];
        int from = (int) (rs.offsetBytes(op) + progress[g]);
        int len = (int) Math.min(segmentBytes, rs.bytes(op) - progress[g]);
        progress[g] += len;
        inFlight.get(g).add(Arrays.copyOfRange(source, from, from + len));
        if (progress[g] == rs.bytes(op)) {
            head[s]++;
        }
        return g;
    }

    /** A set of small ints with O(1) add, remove and pick-by-position. */
    private static final class Picker {
        final int[] items;
        final int[] where;
        int size;

        Picker(int capacity) {
            items = new int[capacity];
            where = new int[capacity];
            Arrays.fill(where, -1);
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

    private void deliver(int g, double[] payload) {
        int m = match[g];
        int r = rankOf[m];
        int at = (int) (ranks[r].offsetBytes(m - base[r]) + progress[m]);
        System.arraycopy(payload, 0, output[r], at, payload.length);
        progress[m] += payload.length;
    }

    private boolean dependenciesMet(int g, long segmentBytes) {
        int r = rankOf[g];
        int op = g - base[r];
        RankSchedule rs = ranks[r];
        long a = rs.offsetBytes(op) + progress[g];
        long b = Math.min(a + segmentBytes, rs.offsetBytes(op) + rs.bytes(op));
        for (int k = 0; k < rs.depCount(op); k++) {
            int d = rs.dep(op, k);
            long have = progress[base[r] + d];
            long from = rs.offsetBytes(d);
            long length = rs.bytes(d);
            long needed = rs.depWhole(op, k) ? length
                    : (b <= from || a >= from + length) ? 0 : Math.min(length, b - from);
            if (have < needed) {
                return false;
            }
        }
        return true;
    }

    private long block(int rank) {
        return BlockSplit.sizeBytes(schedule.request().sizeBytes(), n, rank);
    }

    private long inputOffset(int dst) {
        return BlockSplit.offsetBytes(schedule.request().sizeBytes(), n, dst);
    }

    private void checkData() {
        if (schedule.request().kind() == CollectiveKind.SEND_RECV) {
            checkPairs();
            return;
        }
        if (schedule.request().kind() != CollectiveKind.ALL_TO_ALL) {
            throw new IllegalArgumentException("only all-to-all and send-recv are checked here");
        }
        for (int dst = 0; dst < n; dst++) {
            for (int src = 0; src < n; src++) {
                for (long x = 0; x < block(dst); x++) {
                    double want = input[src][(int) (inputOffset(dst) + x)];
                    double got = output[dst][(int) (src * block(dst) + x)];
                    if (got != want) {
                        throw new AssertionError(schedule.request() + ": rank " + dst + " byte " + x + " from rank "
                                + src + " is " + got + ", expected " + want);
                    }
                }
            }
        }
    }

    /** Send-recv: pair i's slot at its destination (its rank among the destination's pairs) holds the source's. */
    private void checkPairs() {
        long size = schedule.request().sizeBytes();
        int[] sent = new int[n];
        int[] received = new int[n];
        for (int i = 0; i < schedule.request().pairCount(); i++) {
            int src = schedule.request().pairSource(i);
            int dst = schedule.request().pairDestination(i);
            long from = sent[src]++ * size;
            long to = received[dst]++ * size;
            for (long x = 0; x < size; x++) {
                double want = input[src][(int) (from + x)];
                double got = output[dst][(int) (to + x)];
                if (got != want) {
                    throw new AssertionError(schedule.request() + ": pair " + i + " (" + src + "->" + dst + ") byte "
                            + x + " is " + got + ", expected " + want);
                }
            }
        }
    }
}

package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;

/**
 * Ring-based schedules, computed by arithmetic on the op index (nothing per rank is listed, so n = 32,768 is
 * cheap):
 * <ul>
 *   <li>{@code ring} all-reduce, reduce-scatter, all-gather: C channels, each a {@link RingPhase} carrying piece
 *   c of every rank's block; even channels run the ring forward (r sends to r+1), odd channels backward (r to
 *   r-1), so neighbours are always at distance 1 and both directions of each link are used. One stream per
 *   channel.</li>
 *   <li>{@code hierarchical} all-reduce with G GPUs per server and m = n/G servers: the buffer is cut into C
 *   channel ranges; for each channel, stage 0 is a reduce-scatter ring over the server (local rank l ends with
 *   block l of the channel range), stage 1 an all-reduce ring over the rail (the m ranks with local index l) on
 *   block l, stage 2 an all-gather ring over the server. Stream 3c+stage. Stage-1 sends also wait for the stage-0
 *   receive that reduced block l; the first stage-2 send waits for every receive that last wrote block l.</li>
 * </ul>
 * Op layout of a rank: all receives (phase by phase, in step order), then all sends (same order).
 *
 * <p>Immutable; thread-safe.
 */
public final class RingSchedule implements Schedule {

    private static final int[] NO_DEPS = new int[0];

    private final CollectiveRequest request;
    private final String algorithm;
    private final Plan plan;
    private final int streamCount;
    private final long totalBytesSent;

    private RingSchedule(CollectiveRequest request, String algorithm, Plan plan, int streamCount,
            long totalBytesSent) {
        this.request = request;
        this.algorithm = algorithm;
        this.plan = plan;
        this.streamCount = streamCount;
        this.totalBytesSent = totalBytesSent;
    }

    /** Ring all-reduce / reduce-scatter / all-gather over all ranks, one ring per channel. */
    public static RingSchedule ring(CollectiveRequest request, String algorithm) {
        int n = request.ranks();
        int channels = request.channels();
        long size = request.sizeBytes();
        int from;
        int to;
        long total;
        switch (request.kind()) {
            case ALL_REDUCE -> {
                from = 0;
                to = 2 * n - 2;
                total = 2L * (n - 1) * size;
            }
            case REDUCE_SCATTER -> {
                from = 0;
                to = n - 1;
                total = (long) (n - 1) * size;
            }
            case ALL_GATHER -> {
                from = n - 1;
                to = 2 * n - 2;
                total = (long) (n - 1) * size;
            }
            default -> throw new CollectiveException("ring schedule cannot serve " + request.kind().cliName());
        }
        RingPhase[] phases = new RingPhase[channels];
        for (int c = 0; c < channels; c++) {
            phases[c] = new RingPhase(n, 0, 1, direction(c), from, to, c,
                    new BlockLayout.PieceOfBlock(size, n, channels, c));
        }
        return new RingSchedule(request, algorithm, new SharedPhases(phases), channels, total);
    }

    /** Hierarchical all-reduce: intra-server reduce-scatter, per-rail all-reduce, intra-server all-gather. */
    public static RingSchedule hierarchical(CollectiveRequest request, String algorithm) {
        int n = request.ranks();
        int g = request.gpusPerServer();
        if (request.kind() != CollectiveKind.ALL_REDUCE || n % g != 0) {
            throw new CollectiveException("hierarchical needs all-reduce with ranks (" + n
                    + ") a multiple of gpusPerServer (" + g + ")");
        }
        int m = n / g;
        long size = request.sizeBytes();
        long total = 2L * m * (g - 1) * size + 2L * (m - 1) * size;
        return new RingSchedule(request, algorithm, new Hierarchical(size, request.channels(), g, m),
                3 * request.channels(), total);
    }

    static int direction(int channel) {
        return channel % 2 == 0 ? 1 : -1;
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
        return true;
    }

    @Override
    public long inputBytes(int rank) {
        return request.kind() == CollectiveKind.ALL_GATHER
                ? BlockSplit.sizeBytes(request.sizeBytes(), request.ranks(), rank) : request.sizeBytes();
    }

    @Override
    public long outputBytes(int rank) {
        return request.kind() == CollectiveKind.REDUCE_SCATTER
                ? BlockSplit.sizeBytes(request.sizeBytes(), request.ranks(), rank) : request.sizeBytes();
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
        return new RingRank(rank);
    }

    /** Which ring instance a rank uses for each phase, and the dependencies between phases. */
    private interface Plan {
        int phaseCount();

        RingPhase phase(int index, int rank);

        /** @return triples (phase, stepFrom, stepTo): receives the sends of {@code index} also depend on */
        int[] extraDeps(int index, boolean firstStep);
    }

    private record SharedPhases(RingPhase[] phases) implements Plan {
        @Override
        public int phaseCount() {
            return phases.length;
        }

        @Override
        public RingPhase phase(int index, int rank) {
            return phases[index];
        }

        @Override
        public int[] extraDeps(int index, boolean firstStep) {
            return NO_DEPS;
        }
    }

    private record Hierarchical(long sizeBytes, int channels, int gpusPerServer, int servers) implements Plan {
        @Override
        public int phaseCount() {
            return 3 * channels;
        }

        @Override
        public RingPhase phase(int index, int rank) {
            int c = index / 3;
            int stage = index % 3;
            int g = gpusPerServer;
            long chOff = BlockSplit.offsetBytes(sizeBytes, channels, c);
            long chLen = BlockSplit.sizeBytes(sizeBytes, channels, c);
            if (stage == 1) {
                int local = rank % g;
                long blockOff = chOff + BlockSplit.offsetBytes(chLen, g, local);
                long blockLen = BlockSplit.sizeBytes(chLen, g, local);
                return new RingPhase(servers, local, g, direction(c), 0, 2 * servers - 2, index,
                        new BlockLayout.RangeSplit(blockOff, blockLen, servers));
            }
            int from = stage == 0 ? 0 : g - 1;
            int to = stage == 0 ? g - 1 : 2 * g - 2;
            return new RingPhase(g, rank / g * g, 1, direction(c), from, to, index,
                    new BlockLayout.RangeSplit(chOff, chLen, g));
        }

        @Override
        public int[] extraDeps(int index, boolean firstStep) {
            int c = index / 3;
            int stage = index % 3;
            int g = gpusPerServer;
            int m = servers;
            if (stage == 1 && g > 1) {
                return new int[] {3 * c, g - 2, g - 1};
            }
            if (stage == 2 && firstStep) {
                if (g > 1 && m > 1) {
                    return new int[] {3 * c, g - 2, g - 1, 3 * c + 1, m - 2, 2 * m - 2};
                }
                return g > 1 ? new int[] {3 * c, g - 2, g - 1} : NO_DEPS;
            }
            return NO_DEPS;
        }
    }

    /** One rank's view: the phases it takes part in and where its receives and sends start. */
    private final class RingRank implements RankSchedule {
        private final RingPhase[] phases;
        private final int[] position;
        private final int[] recvBase;
        private final int[] sendBase;
        private final int recvTotal;

        RingRank(int rank) {
            int count = plan.phaseCount();
            phases = new RingPhase[count];
            position = new int[count];
            recvBase = new int[count + 1];
            sendBase = new int[count + 1];
            for (int i = 0; i < count; i++) {
                phases[i] = plan.phase(i, rank);
                position[i] = phases[i].positionOf(rank);
                recvBase[i + 1] = recvBase[i] + phases[i].recvCount(position[i]);
                sendBase[i + 1] = sendBase[i] + phases[i].sendCount(position[i]);
            }
            recvTotal = recvBase[count];
        }

        @Override
        public int opCount() {
            return recvTotal + sendBase[phases.length];
        }

        @Override
        public int streamCount() {
            return streamCount;
        }

        @Override
        public boolean isSend(int op) {
            check(op);
            return op >= recvTotal;
        }

        private void check(int op) {
            if (op < 0 || op >= opCount()) {
                throw new IndexOutOfBoundsException("op " + op + " outside 0.." + (opCount() - 1));
            }
        }

        private int phaseIndex(int op) {
            check(op);
            int[] base = op < recvTotal ? recvBase : sendBase;
            int local = op < recvTotal ? op : op - recvTotal;
            int lo = 0;
            int hi = phases.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (base[mid] <= local) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        private int step(int op, int i) {
            return op < recvTotal
                    ? phases[i].recvStep(position[i], op - recvBase[i])
                    : phases[i].sendStep(position[i], op - recvTotal - sendBase[i]);
        }

        private int block(int op, int i, int step) {
            return op < recvTotal ? phases[i].recvBlock(position[i], step) : phases[i].sendBlock(position[i], step);
        }

        @Override
        public int peer(int op) {
            int i = phaseIndex(op);
            return phases[i].rankAt(position[i] + (op < recvTotal ? -1 : 1));
        }

        @Override
        public long offsetBytes(int op) {
            int i = phaseIndex(op);
            return phases[i].layout.offsetBytes(block(op, i, step(op, i)));
        }

        @Override
        public long bytes(int op) {
            int i = phaseIndex(op);
            return phases[i].layout.sizeBytes(block(op, i, step(op, i)));
        }

        @Override
        public int stream(int op) {
            return phases[phaseIndex(op)].stream;
        }

        @Override
        public boolean reduces(int op) {
            int i = phaseIndex(op);
            return op < recvTotal && phases[i].reduces(step(op, i));
        }

        @Override
        public int matchOp(int op) {
            int i = phaseIndex(op);
            requireSend(op);
            RingPhase phase = phases[i];
            int step = step(op, i);
            int peerPosition = position[i] + 1 == phase.members ? 0 : position[i] + 1;
            int peer = phase.rankAt(peerPosition);
            int peerRecvBase = 0;
            for (int j = 0; j < i; j++) {
                RingPhase other = plan.phase(j, peer);
                peerRecvBase += other.recvCount(other.positionOf(peer));
            }
            return peerRecvBase + phase.recvsBefore(peerPosition, step);
        }

        private void requireSend(int op) {
            if (op < recvTotal) {
                throw new IllegalArgumentException("op " + op + " is a receive");
            }
        }

        @Override
        public int depCount(int op) {
            int i = phaseIndex(op);
            requireSend(op);
            int step = step(op, i);
            int count = step > phases[i].stepFrom ? 1 : 0;
            int[] extra = plan.extraDeps(i, step == phases[i].stepFrom);
            for (int e = 0; e < extra.length; e += 3) {
                RingPhase other = phases[extra[e]];
                int p = position[extra[e]];
                count += other.recvsBefore(p, extra[e + 2]) - other.recvsBefore(p, extra[e + 1]);
            }
            return count;
        }

        @Override
        public int dep(int op, int k) {
            int i = phaseIndex(op);
            requireSend(op);
            int step = step(op, i);
            int kk = k;
            if (step > phases[i].stepFrom) {
                if (kk == 0) {
                    return recvBase[i] + phases[i].recvsBefore(position[i], step - 1);
                }
                kk--;
            }
            int[] extra = plan.extraDeps(i, step == phases[i].stepFrom);
            for (int e = 0; e < extra.length; e += 3) {
                RingPhase other = phases[extra[e]];
                int p = position[extra[e]];
                int before = other.recvsBefore(p, extra[e + 1]);
                int count = other.recvsBefore(p, extra[e + 2]) - before;
                if (kk < count) {
                    return recvBase[extra[e]] + before + kk;
                }
                kk -= count;
            }
            throw new IndexOutOfBoundsException("dependency " + k + " of op " + op);
        }

        @Override
        public boolean depWhole(int op, int k) {
            return false;
        }
    }
}

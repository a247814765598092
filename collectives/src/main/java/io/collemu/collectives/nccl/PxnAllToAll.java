package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Schedule;

/**
 * NCCL's all-to-all with PXN on a {@link NcclLayout#isRegular() regular} layout (N servers of G GPUs, rank
 * coordinates {@code q = node x G + slot}). All-to-all is a group of sends and receives
 * (NVIDIA/nccl v2.30.7-1 src/enqueue.cc:3069-3081); for a peer on another server ncclTopoGetNetDev with
 * pxnLevel 2 picks the NIC of the GPU with the peer's device index on the sender's server and makes that GPU
 * the proxy (src/graph/search.cc:1454-1471), while the receiver always uses its own NIC ("We don't support PXN
 * on receive yet", src/transport/net.cc:355-368). So for a pair (s, d) on different servers with different
 * slots, s sends over NVLink to the relay {@code g2 = (node(s), slot(d))}, which forwards to d over rail
 * slot(d); every other pair (same server, or same slot) is a direct send.
 *
 * <p>Order: at step k = 1..n-1 rank q sends its block for coordinate q+k and receives the block of q-k, as
 * today's {@code direct} all-to-all, so every rank has one final-hop sender per step. The relay of that pair
 * is {@code (node(q), (slot(q)+k) mod G)}: a bijection of a server's slots, so each relay also takes one job
 * per step. Relay {@code (i, m)} works at steps k in {@code (m, m+(N-1)G]} except multiples of G, in groups of
 * G-1 steps that all forward to the same destination {@code (i+t, m)}, t = 1..N-1.
 *
 * <p>Streams: own sends in stream c (channel piece c of every pair, no dependencies, as {@code direct}),
 * forwards in stream C+c, each depending by byte overlap on the relay receive of the same piece, like NCCL's
 * proxy forwarding chunk by chunk. Buffers: input S; output n blocks, then one staging slot of
 * {@code ceil(S/n)} bytes per relay job ({@link RelayRankSchedule}). Op layout: final receives (step,
 * piece), relay receives (job, piece), own sends (step, piece), forwards (job, piece); all arithmetic (binary
 * search over steps or jobs), O(1) memory per rank; for sizes below n x C bytes two prefix counts of n + N x G
 * ints are built once.
 *
 * <p>Immutable; thread-safe.
 */
final class PxnAllToAll implements Schedule {

    private static final int FINAL = 0;
    private static final int RELAY = 1;
    private static final int OWN = 2;
    private static final int FORWARD = 3;

    private final CollectiveRequest request;
    private final NcclLayout layout;
    private final int n;
    private final int nodes;
    private final int g;
    private final int channels;
    private final long sizeBytes;
    private final long base;
    private final long remainder;
    private final long slotBytes;
    private final int jobs;
    private final int[] bigByCoordinate;
    private final int[] bigByRail;

    private PxnAllToAll(CollectiveRequest request, NcclLayout layout) {
        this.request = request;
        this.layout = layout;
        this.n = request.ranks();
        this.nodes = layout.nodes();
        this.g = layout.gpusPerNode();
        this.channels = request.channels();
        this.sizeBytes = request.sizeBytes();
        this.base = sizeBytes / n;
        this.remainder = sizeBytes % n;
        this.slotBytes = base + (remainder > 0 ? 1 : 0);
        this.jobs = (nodes - 1) * (g - 1);
        if (base < channels) {
            bigByCoordinate = new int[n + 1];
            for (int q = 0; q < n; q++) {
                bigByCoordinate[q + 1] = bigByCoordinate[q] + big(layout.rankAtCoordinate(q));
            }
            bigByRail = new int[g * (nodes + 1)];
            for (int m = 0; m < g; m++) {
                for (int i = 0; i < nodes; i++) {
                    bigByRail[m * (nodes + 1) + i + 1] = bigByRail[m * (nodes + 1) + i]
                            + big(layout.rankAtCoordinate(i * g + m));
                }
            }
        } else {
            bigByCoordinate = null;
            bigByRail = null;
        }
    }

    /** @throws CollectiveException unless the layout is regular */
    static PxnAllToAll create(CollectiveRequest request, NcclLayout layout) {
        if (!layout.isRegular()) {
            throw new CollectiveException("pxn all-to-all needs every server to hold the same local indices ("
                    + layout + "); NCCL's fallback to the sender's own NIC is not modelled");
        }
        return new PxnAllToAll(request, layout);
    }

    @Override
    public CollectiveRequest request() {
        return request;
    }

    @Override
    public String algorithm() {
        return NcclSchedules.PXN;
    }

    @Override
    public int ranks() {
        return n;
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    public long inputBytes(int rank) {
        return sizeBytes;
    }

    @Override
    public long outputBytes(int rank) {
        return n * blockBytes(rank) + jobs * slotBytes;
    }

    /** Every byte once from its sender, plus once more from a relay for the (N-1)(G-1) cross-rail peers. */
    @Override
    public long totalBytesSent() {
        return (n - 1L) * sizeBytes + (long) jobs * sizeBytes;
    }

    @Override
    public RelayRankSchedule rank(int rank) {
        if (rank < 0 || rank >= n) {
            throw new CollectiveException("rank " + rank + " outside 0.." + (n - 1));
        }
        return new PxnRank(rank);
    }

    private int rankAt(int coordinate) {
        return layout.rankAtCoordinate(Math.floorMod(coordinate, n));
    }

    private int coordinateOf(int rank) {
        return layout.coordinateOf(rank);
    }

    private long blockBytes(int rank) {
        return base + big(rank);
    }

    private int big(int rank) {
        return rank < remainder ? 1 : 0;
    }

    /** @return non-empty channel pieces of a pair of {@code bytes} (pieces c below this count) */
    private int pieces(long bytes) {
        return (int) Math.min(bytes, channels);
    }

    /** @return true when the pair of coordinates a, b is sent directly (same server or same rail) */
    private boolean direct(int a, int b) {
        return a / g == b / g || a % g == b % g;
    }

    /** @return the final receives of a rank (one pair of its block size from each of the n-1 peers) */
    private int finalReceives(int rank) {
        return (n - 1) * pieces(blockBytes(rank));
    }

    /** @return own send pieces of coordinate {@code q} at steps {@code [1, step)}, step in 1..n */
    private int sendPiecesBefore(int q, int step) {
        if (bigByCoordinate == null) {
            return (step - 1) * channels;
        }
        return (int) ((step - 1) * base) + run(bigByCoordinate, 0, n, q + 1, step - 1);
    }

    /** @return relay pieces of relay {@code (node, slot m)} in jobs {@code [0, job)}, job in 0..jobs */
    private int jobPiecesBefore(int node, int m, int job) {
        if (bigByCoordinate == null) {
            return job * channels;
        }
        int group = job / (g - 1);
        int within = job % (g - 1);
        long count = job * base + (long) (g - 1) * run(bigByRail, m * (nodes + 1), nodes, node + 1, group);
        if (within > 0) {
            count += within * (long) big(destinationOfGroup(node, m, group));
        }
        return (int) count;
    }

    /** @return the step of relay (slot m)'s job {@code job} */
    private int jobStep(int m, int job) {
        int group = job / (g - 1);
        int within = job % (g - 1);
        // the window (m + group*G, m + (group+1)*G] holds one multiple of G, at position G - m: a direct step
        int position = within + 1 < g - m ? within + 1 : within + 2;
        return m + group * g + position;
    }

    /** @return the job of relay (slot m) at {@code step}, which must be a relayed step */
    private int stepJob(int m, int step) {
        int group = (step - m - 1) / g;
        int position = step - m - group * g;
        return group * (g - 1) + (position < g - m ? position - 1 : position - 2);
    }

    /** @return the destination rank of relay {@code (node, m)}'s job group {@code group}: (node+group+1, m) */
    private int destinationOfGroup(int node, int m, int group) {
        return rankAt(((node + group + 1) % nodes) * g + m);
    }

    /** @return the source rank of relay {@code (node, m)}'s job at {@code step}: (node, (m - step) mod G) */
    private int sourceOfJob(int node, int m, int step) {
        return rankAt(node * g + Math.floorMod(m - step, g));
    }

    /** @return ones in the cyclic run {@code [from, from+len)} of the prefix {@code p[at .. at+size]} */
    private static int run(int[] p, int at, int size, int from, int len) {
        int f = Math.floorMod(from, size);
        if (f + len <= size) {
            return p[at + f + len] - p[at + f];
        }
        return p[at + size] - p[at + f] + p[at + f + len - size];
    }

    private long pieceOffset(long pairBytes, int c) {
        return BlockSplit.offsetBytes(pairBytes, channels, c);
    }

    private long pieceBytes(long pairBytes, int c) {
        return BlockSplit.sizeBytes(pairBytes, channels, c);
    }

    /** A decoded op: kind, step (FINAL, OWN) or job (RELAY, FORWARD), channel piece. */
    private static long pack(int kind, int index, int piece) {
        return ((long) kind << 60) | ((long) index << 8) | piece;
    }

    private static int kind(long packed) {
        return (int) (packed >>> 60);
    }

    private static int index(long packed) {
        return (int) ((packed >>> 8) & 0xFFFF_FFFFL);
    }

    private static int piece(long packed) {
        return (int) (packed & 0xFF);
    }

    /** One rank's view: its coordinate and the sizes of its four op ranges; everything else is computed. */
    private final class PxnRank implements RelayRankSchedule {
        private final int q;
        private final int node;
        private final int slot;
        private final long block;
        private final int recvPer;
        private final int finals;
        private final int relays;
        private final int owns;

        PxnRank(int rank) {
            q = coordinateOf(rank);
            node = q / g;
            slot = q % g;
            block = blockBytes(rank);
            recvPer = pieces(block);
            finals = (n - 1) * recvPer;
            relays = jobs == 0 ? 0 : jobPiecesBefore(node, slot, jobs);
            owns = sendPiecesBefore(q, n);
        }

        @Override
        public int opCount() {
            return finals + 2 * relays + owns;
        }

        @Override
        public int streamCount() {
            return jobs == 0 ? channels : 2 * channels;
        }

        private long decode(int op) {
            if (op < 0 || op >= opCount()) {
                throw new IndexOutOfBoundsException("op " + op + " outside 0.." + (opCount() - 1));
            }
            if (op < finals) {
                return pack(FINAL, op / recvPer + 1, op % recvPer);
            }
            int x = op - finals;
            if (x < relays) {
                return job(RELAY, x);
            }
            x -= relays;
            if (x < owns) {
                return ownStep(x);
            }
            return job(FORWARD, x - owns);
        }

        private long job(int kind, int ordinal) {
            if (bigByCoordinate == null) {
                return pack(kind, ordinal / channels, ordinal % channels);
            }
            int lo = 0;
            int hi = jobs - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (jobPiecesBefore(node, slot, mid) <= ordinal) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return pack(kind, lo, ordinal - jobPiecesBefore(node, slot, lo));
        }

        private long ownStep(int ordinal) {
            if (bigByCoordinate == null) {
                return pack(OWN, ordinal / channels + 1, ordinal % channels);
            }
            int lo = 1;
            int hi = n - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (sendPiecesBefore(q, mid) <= ordinal) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return pack(OWN, lo, ordinal - sendPiecesBefore(q, lo));
        }

        /** @return the relay of the pair between this rank's coordinate and coordinate {@code other}, or -1 */
        private int relayTowards(int other, boolean outgoing) {
            int o = Math.floorMod(other, n);
            if (direct(o, q)) {
                return -1;
            }
            // outgoing: our server, the destination's rail; incoming: the source's server, our rail
            return outgoing ? rankAt(node * g + o % g) : rankAt(o / g * g + slot);
        }

        @Override
        public boolean isSend(int op) {
            int kind = kind(decode(op));
            return kind == OWN || kind == FORWARD;
        }

        @Override
        public boolean isRelayForward(int op) {
            return kind(decode(op)) == FORWARD;
        }

        @Override
        public int peer(int op) {
            long d = decode(op);
            int k = index(d);
            return switch (kind(d)) {
                case FINAL -> {
                    int relay = relayTowards(q - k, false);
                    yield relay >= 0 ? relay : rankAt(q - k);
                }
                case RELAY -> sourceOfJob(node, slot, jobStep(slot, k));
                case OWN -> {
                    int relay = relayTowards(q + k, true);
                    yield relay >= 0 ? relay : rankAt(q + k);
                }
                default -> destinationOfGroup(node, slot, k / (g - 1));
            };
        }

        @Override
        public long offsetBytes(int op) {
            long d = decode(op);
            int k = index(d);
            int c = piece(d);
            return switch (kind(d)) {
                case FINAL -> rankAt(q - k) * block + pieceOffset(block, c);
                case OWN -> {
                    int dst = rankAt(q + k);
                    yield BlockSplit.offsetBytes(sizeBytes, n, dst) + pieceOffset(blockBytes(dst), c);
                }
                default -> n * block + k * slotBytes
                        + pieceOffset(blockBytes(destinationOfGroup(node, slot, k / (g - 1))), c);
            };
        }

        @Override
        public long bytes(int op) {
            long d = decode(op);
            int k = index(d);
            return switch (kind(d)) {
                case FINAL -> pieceBytes(block, piece(d));
                case OWN -> pieceBytes(blockBytes(rankAt(q + k)), piece(d));
                default -> pieceBytes(blockBytes(destinationOfGroup(node, slot, k / (g - 1))), piece(d));
            };
        }

        @Override
        public int stream(int op) {
            long d = decode(op);
            int kind = kind(d);
            boolean relayed = kind == FORWARD || kind == FINAL && relayTowards(q - index(d), false) >= 0;
            return relayed ? channels + piece(d) : piece(d);
        }

        @Override
        public boolean reduces(int op) {
            decode(op);
            return false;
        }

        @Override
        public int matchOp(int op) {
            long d = decode(op);
            int k = index(d);
            int c = piece(d);
            int kind = kind(d);
            if (kind == FORWARD) {
                int dst = destinationOfGroup(node, slot, k / (g - 1));
                return (jobStep(slot, k) - 1) * pieces(blockBytes(dst)) + c;
            }
            if (kind != OWN) {
                throw new IllegalArgumentException("op " + op + " is a receive");
            }
            int dst = rankAt(q + k);
            int relay = relayTowards(q + k, true);
            if (relay < 0) {
                return (k - 1) * pieces(blockBytes(dst)) + c;
            }
            int m = Math.floorMod(q + k, n) % g;
            return finalReceives(relay) + jobPiecesBefore(node, m, stepJob(m, k)) + c;
        }

        @Override
        public int depCount(int op) {
            long d = decode(op);
            if (kind(d) == FINAL || kind(d) == RELAY) {
                throw new IllegalArgumentException("op " + op + " is a receive");
            }
            return kind(d) == FORWARD ? 1 : 0;
        }

        @Override
        public int dep(int op, int k) {
            if (k != 0 || depCount(op) != 1) {
                throw new IndexOutOfBoundsException("dependency " + k + " of op " + op);
            }
            // the forward of (job, piece) has the same ordinal among forwards as its receive among relay receives
            return op - relays - owns;
        }

        @Override
        public boolean depWhole(int op, int k) {
            dep(op, k);
            return false;
        }
    }
}

package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;
import java.util.Arrays;

/**
 * NCCL's NVLS all-reduce inside one NVSwitch domain (NVIDIA/nccl v2.30.7-1, {@code src/device/all_reduce.h:390-460},
 * {@code RunWorkColl<ncclFuncAllReduce, ..., NCCL_ALGO_NVLS, NCCL_PROTO_SIMPLE>}, the {@code oneNode} branch
 * without buffer registration). Every rank is an NVLS head. Channel c takes a contiguous part of the buffer
 * ({@link BlockSplit}, as {@code ncclCollCbdPart}); the part is walked in loops of {@code nHeads x chunk} bytes, and in
 * each loop head h owns the h-th chunk. For its chunk the head issues {@code multimem.ld_reduce}: the switch reads
 * the chunk from every GPU's copy, adds, and returns the sum; the head then {@code multimem.st}s the sum, which the
 * switch writes into every GPU's copy. Scatter and gather warps only copy between the user buffers and the local
 * NVLS buffers (HBM, no NVLink traffic).
 *
 * <p>As point-to-point ops with {@link RankSchedule#combine switch combining}: for each piece (loop, head) every
 * other rank sends its bytes to the head ({@link RankSchedule#COMBINE_REDUCE}: the switch delivers the sum once),
 * and the head, once it holds all {@code n-1} contributions, sends the sum to every other rank
 * ({@link RankSchedule#COMBINE_MULTICAST}: its own link carries one copy). The data are those of a direct
 * reduce-scatter followed by a direct all-gather, which {@link io.collemu.collectives.DataVerifier} checks; the
 * combining decides only what the links carry: per GPU and direction {@code (n+1)/n x S} with NVLS (the engine charges
 * the head's own read and its own multicast copy to the combined copy), against {@code 2(n-1)/n x S} on a ring.
 *
 * <p>Chunk size, {@code enqueue.cc:2258-2272}: {@code NCCL_NVLS_CHUNKSIZE} 128 KiB ({@code transport/nvls.cc:160}),
 * down to 64, 32 and 16 KiB when {@code nBytes} is below 64, 8 and 2 x {@code nChannels x nHeads x chunk}; a
 * channel's last, partial loop splits what is left over the heads in chunks rounded up to 16 KiB, so trailing heads
 * may have nothing.
 *
 * <p>Ops of rank r, in order: reduce sends (one per piece it does not own, in piece order), reduce receives (per owned
 * piece, one from each other rank in rank order), multicast sends (per owned piece, to each other rank in rank order;
 * the first waits for the whole piece's receives, the others follow in its stream), multicast receives (one per piece
 * it does not own). Streams: reduce sends on the channel's stream c, multicast sends on {@code C + c}. All arithmetic:
 * per call O(groups) memory, where a group is one loop of one channel.
 *
 * <p>Immutable; thread-safe.
 */
final class NvlsAllReduce implements Schedule {

    /** Name of the algorithm, as {@link Schedule#algorithm()} says it. */
    static final String NAME = "nvls";
    /** {@code NCCL_NVLS_CHUNKSIZE}'s default, src/transport/nvls.cc:160 (v2.30.7-1). */
    static final long MAX_CHUNK_BYTES = 128 << 10;
    /** The alignment of a partial loop's chunk: {@code alignUp(divUp(remCount, nHeads), 16384 / sizeof(T))}. */
    static final long LAST_CHUNK_ALIGN_BYTES = 16 << 10;

    private final CollectiveRequest request;
    private final int n;
    private final int channels;
    /** Per group (a loop of a channel): its channel, first byte, chunk, bytes, heads with data, first piece. */
    private final int[] groupChannel;
    private final long[] groupOffset;
    private final long[] groupChunk;
    private final long[] groupBytes;
    private final int[] groupHeads;
    private final int[] firstPiece;
    /** The groups with fewer than n heads (a channel's last loop), ascending, and their head counts. */
    private final int[] partialGroup;
    private final int[] partialHeads;
    private final int pieces;

    private NvlsAllReduce(CollectiveRequest request) {
        this.request = request;
        this.n = request.ranks();
        this.channels = request.channels();
        long size = request.sizeBytes();
        long chunkBytes = chunkBytes(size, channels, n);
        long loopBytes = n * chunkBytes;
        int groups = 0;
        for (int c = 0; c < channels; c++) {
            long len = BlockSplit.sizeBytes(size, channels, c);
            groups = Math.addExact(groups, (int) ((len + loopBytes - 1) / loopBytes));
        }
        groupChannel = new int[groups];
        groupOffset = new long[groups];
        groupChunk = new long[groups];
        groupBytes = new long[groups];
        groupHeads = new int[groups];
        firstPiece = new int[groups + 1];
        int[] partial = new int[groups];
        int partials = 0;
        int g = 0;
        for (int c = 0; c < channels; c++) {
            long start = BlockSplit.offsetBytes(size, channels, c);
            long len = BlockSplit.sizeBytes(size, channels, c);
            for (long done = 0; done < len; done += loopBytes, g++) {
                long rem = Math.min(loopBytes, len - done);
                long cs = rem == loopBytes ? chunkBytes
                        : alignUp((rem + n - 1) / n, LAST_CHUNK_ALIGN_BYTES);
                groupChannel[g] = c;
                groupOffset[g] = start + done;
                groupChunk[g] = cs;
                groupBytes[g] = rem;
                groupHeads[g] = (int) Math.min(n, (rem + cs - 1) / cs);
                firstPiece[g + 1] = Math.addExact(firstPiece[g], groupHeads[g]);
                if (groupHeads[g] < n) {
                    partial[partials++] = g;
                }
            }
        }
        pieces = firstPiece[groups];
        partialGroup = Arrays.copyOf(partial, partials);
        partialHeads = new int[partials];
        for (int i = 0; i < partials; i++) {
            partialHeads[i] = groupHeads[partialGroup[i]];
        }
    }

    /**
     * The NVLS all-reduce of a (validated) all-reduce request: its channels are NVLS channels, its ranks the NVLS
     * heads of one NVSwitch domain.
     *
     * @throws CollectiveException for another kind or a single rank
     */
    static NvlsAllReduce create(CollectiveRequest request) {
        if (request.kind() != CollectiveKind.ALL_REDUCE) {
            throw new CollectiveException("nvls: " + request.kind().cliName() + " is not an all-reduce (NVLS is "
                    + "modelled for all-reduce inside one NVSwitch domain)");
        }
        if (request.ranks() < 2) {
            throw new CollectiveException("nvls: needs at least 2 ranks, got " + request.ranks());
        }
        return new NvlsAllReduce(request);
    }

    /** NCCL's NVLS chunk for an all-reduce of {@code nBytes} on {@code nChannels} channels of {@code nHeads} heads. */
    static long chunkBytes(long nBytes, int nChannels, int nHeads) {
        long chunk = MAX_CHUNK_BYTES;
        long concurrentOps = (long) nChannels * nHeads;
        if (nBytes < 64 * concurrentOps * chunk && chunk > 65536) {
            chunk = 65536;
        }
        if (nBytes < 8 * concurrentOps * chunk && chunk > 32768) {
            chunk = 32768;
        }
        if (nBytes < 2 * concurrentOps * chunk && chunk > 16384) {
            chunk = 16384;
        }
        return chunk;
    }

    /** @return {@code v} rounded up to a multiple of {@code a} */
    static long alignUp(long v, long a) {
        return (v + a - 1) / a * a;
    }

    @Override
    public CollectiveRequest request() {
        return request;
    }

    @Override
    public String algorithm() {
        return NAME;
    }

    @Override
    public int ranks() {
        return n;
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    public long inputBytes(int rank) {
        return request.sizeBytes();
    }

    @Override
    public long outputBytes(int rank) {
        return request.sizeBytes();
    }

    @Override
    public long totalBytesSent() {
        return 2L * (n - 1) * request.sizeBytes();
    }

    @Override
    public RankSchedule rank(int rank) {
        if (rank < 0 || rank >= n) {
            throw new CollectiveException("rank " + rank + " outside 0.." + (n - 1));
        }
        return new Rank(rank);
    }

    /** Groups before {@code g} in which rank {@code r} owns a piece (it is below the group's head count). */
    private int ownedBefore(int r, int g) {
        int missing = 0;
        for (int i = 0; i < partialGroup.length && partialGroup[i] < g; i++) {
            if (partialHeads[i] <= r) {
                missing++;
            }
        }
        return g - missing;
    }

    /** One rank's ops, decoded from the op index. */
    private final class Rank implements RankSchedule {
        private static final int REDUCE_SEND = 0;
        private static final int REDUCE_RECV = 1;
        private static final int MCAST_SEND = 2;
        private static final int MCAST_RECV = 3;
        private final int r;
        /** ownedPrefix[g]: groups before g where r owns a piece; notOwned[g]: pieces before g that r does not own. */
        private final int[] ownedPrefix;
        private final int[] notOwned;
        private final int owned;
        private final int sends; // reduce sends = multicast receives = pieces - owned
        private final int recvs; // reduce receives = multicast sends = owned x (n-1)

        Rank(int r) {
            this.r = r;
            int groups = groupHeads.length;
            ownedPrefix = new int[groups + 1];
            notOwned = new int[groups + 1];
            for (int g = 0; g < groups; g++) {
                boolean mine = r < groupHeads[g];
                ownedPrefix[g + 1] = ownedPrefix[g] + (mine ? 1 : 0);
                notOwned[g + 1] = notOwned[g] + groupHeads[g] - (mine ? 1 : 0);
            }
            owned = ownedPrefix[groups];
            sends = pieces - owned;
            recvs = Math.multiplyExact(owned, n - 1);
        }

        private int section(int op) {
            if (op < 0 || op >= opCount()) {
                throw new IndexOutOfBoundsException("op " + op + " outside 0.." + (opCount() - 1));
            }
            return op < sends ? REDUCE_SEND : op < sends + recvs ? REDUCE_RECV
                    : op < sends + 2 * recvs ? MCAST_SEND : MCAST_RECV;
        }

        /** The group of the k-th piece r does not own, and that piece's head. */
        private long notOwnedPiece(int k) {
            int g = upperBound(notOwned, k) - 1;
            int t = k - notOwned[g];
            int h = r < groupHeads[g] && t >= r ? t + 1 : t;
            return ((long) g << 32) | h;
        }

        /** The group of r's o-th owned piece. */
        private int ownedGroup(int o) {
            return upperBound(ownedPrefix, o) - 1;
        }

        /** Index of the first element of the non-decreasing {@code a} greater than {@code key}. */
        private static int upperBound(int[] a, int key) {
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] <= key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** Group and head of op's piece, packed: group << 32 | head. */
        private long piece(int op) {
            return switch (section(op)) {
                case REDUCE_SEND -> notOwnedPiece(op);
                case MCAST_RECV -> notOwnedPiece(op - sends - 2 * recvs);
                case REDUCE_RECV -> ((long) ownedGroup((op - sends) / (n - 1)) << 32) | r;
                default -> ((long) ownedGroup((op - sends - recvs) / (n - 1)) << 32) | r;
            };
        }

        /** The other rank of an op in the owned sections: the i-th other rank in rank order. */
        private int other(int i) {
            return i >= r ? i + 1 : i;
        }

        @Override
        public int opCount() {
            return 2 * sends + 2 * recvs;
        }

        @Override
        public int streamCount() {
            return 2 * channels;
        }

        @Override
        public boolean isSend(int op) {
            int s = section(op);
            return s == REDUCE_SEND || s == MCAST_SEND;
        }

        @Override
        public int peer(int op) {
            return switch (section(op)) {
                case REDUCE_SEND, MCAST_RECV -> (int) piece(op);
                case REDUCE_RECV -> other((op - sends) % (n - 1));
                default -> other((op - sends - recvs) % (n - 1));
            };
        }

        @Override
        public long offsetBytes(int op) {
            long p = piece(op);
            int g = (int) (p >>> 32);
            return groupOffset[g] + (int) p * groupChunk[g];
        }

        @Override
        public long bytes(int op) {
            long p = piece(op);
            int g = (int) (p >>> 32);
            long start = (int) p * groupChunk[g];
            return Math.min(groupChunk[g], groupBytes[g] - start);
        }

        @Override
        public int stream(int op) {
            int s = section(op);
            int c = groupChannel[(int) (piece(op) >>> 32)];
            return s == MCAST_SEND ? channels + c : c;
        }

        @Override
        public boolean reduces(int op) {
            return section(op) == REDUCE_RECV;
        }

        @Override
        public int matchOp(int op) {
            int s = section(op);
            long p = piece(op);
            int g = (int) (p >>> 32);
            if (s == REDUCE_SEND) {
                int h = (int) p;
                int hOwned = ownedBefore(h, groupHeads.length);
                int hSends = pieces - hOwned;
                return hSends + ownedBefore(h, g) * (n - 1) + (r > h ? r - 1 : r);
            }
            if (s == MCAST_SEND) {
                int j = peer(op);
                int jOwned = ownedBefore(j, groupHeads.length);
                int jSends = pieces - jOwned;
                int jRecvs = jOwned * (n - 1);
                int pos = firstPiece[g] - ownedBefore(j, g) + (j < r ? r - 1 : r);
                return jSends + 2 * jRecvs + pos;
            }
            return -1;
        }

        private boolean firstSibling(int op) {
            return section(op) == MCAST_SEND && (op - sends - recvs) % (n - 1) == 0;
        }

        @Override
        public int depCount(int op) {
            return firstSibling(op) ? n - 1 : 0;
        }

        @Override
        public int dep(int op, int k) {
            if (!firstSibling(op) || k < 0 || k >= n - 1) {
                throw new IndexOutOfBoundsException("op " + op + " has no dependency " + k);
            }
            return sends + (op - sends - recvs) + k;
        }

        @Override
        public boolean depWhole(int op, int k) {
            return true;
        }

        @Override
        public int combine(int op) {
            int s = section(op);
            return s == REDUCE_SEND || s == REDUCE_RECV ? COMBINE_REDUCE : COMBINE_MULTICAST;
        }

        @Override
        public long combineGroup(int op) {
            long p = piece(op);
            int q = firstPiece[(int) (p >>> 32)] + (int) p;
            return section(op) == MCAST_SEND ? (long) pieces + q : q;
        }

        @Override
        public int combineSize(int op) {
            return n - 1;
        }
    }
}

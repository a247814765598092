package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;

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
 * <p>As point-to-point ops with {@link RankSchedule#combine switch combining}: every other rank sends its copy of the
 * head's bytes to the head ({@link RankSchedule#COMBINE_REDUCE}: the switch delivers the sum once), and the head
 * sends the sum to every other rank ({@link RankSchedule#COMBINE_MULTICAST}: its own link carries one copy). The data
 * are those of a direct reduce-scatter followed by a direct all-gather, which {@link io.collemu.collectives.DataVerifier}
 * checks; the combining decides only what the links carry: per GPU and direction {@code (n+1)/n x S} with NVLS (the
 * engine charges the head's own read and its own multicast copy to the combined copy), against {@code 2(n-1)/n x S}
 * on a ring.
 *
 * <p>Layout, as {@link NvlsTreeAllReduce}'s: each head's chunks of a channel are laid end to end ({@link #regions}, the
 * same permutation of the buffer on every rank), so each (channel, head) is one op per role, and every head's sum
 * fills at once on its own contribution stream, as NCCL's heads pull concurrently. The store pipelines by byte overlap
 * on the sum, segment by segment, as the reduce warps' {@code ld_reduce} and {@code st} alternate element by element;
 * a store that waited for its whole chunk (this class's first form) trailed the last loop by a chunk and ran 10-12%
 * above NCCL's model at 1-16 MiB on 8 GPUs. Streams per channel: one per head for the contributions, then the
 * multicast.
 *
 * <p>Chunk size, {@code enqueue.cc:2258-2272}: {@code NCCL_NVLS_CHUNKSIZE} 128 KiB ({@code transport/nvls.cc:160}),
 * down to 64, 32 and 16 KiB when {@code nBytes} is below 64, 8 and 2 x {@code nChannels x nHeads x chunk}; a
 * channel's last, partial loop splits what is left over the heads in chunks rounded up to 16 KiB, so trailing heads
 * may have nothing.
 *
 * <p>Immutable; thread-safe.
 */
final class NvlsAllReduce implements TableSchedule.Generator {

    /** Name of the algorithm, as {@link Schedule#algorithm()} says it. */
    static final String NAME = "nvls";
    /** {@code NCCL_NVLS_CHUNKSIZE}'s default, src/transport/nvls.cc:160 (v2.30.7-1). */
    static final long MAX_CHUNK_BYTES = 128 << 10;
    /** The alignment of a partial loop's chunk: {@code alignUp(divUp(remCount, nHeads), 16384 / sizeof(T))}. */
    static final long LAST_CHUNK_ALIGN_BYTES = 16 << 10;

    private final int n;
    private final int channels;
    private final long sizeBytes;
    private final long chunkBytes;

    private NvlsAllReduce(CollectiveRequest request) {
        this.n = request.ranks();
        this.channels = request.channels();
        this.sizeBytes = request.sizeBytes();
        this.chunkBytes = chunkBytes(sizeBytes, channels, n);
    }

    /**
     * The NVLS all-reduce of a (validated) all-reduce request: its channels are NVLS channels, its ranks the NVLS
     * heads of one NVSwitch domain.
     *
     * @throws CollectiveException for another kind or a single rank
     */
    static Schedule create(CollectiveRequest request) {
        if (request.kind() != CollectiveKind.ALL_REDUCE) {
            throw new CollectiveException("nvls: " + request.kind().cliName() + " is not an all-reduce (NVLS is "
                    + "modelled for all-reduce inside one NVSwitch domain)");
        }
        if (request.ranks() < 2) {
            throw new CollectiveException("nvls: needs at least 2 ranks, got " + request.ranks());
        }
        NvlsAllReduce gen = new NvlsAllReduce(request);
        int n = request.ranks();
        return new TableSchedule(request, NAME, gen.streamsPerChannel() * request.channels(), gen,
                2L * (n - 1) * request.sizeBytes());
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

    /**
     * The bytes {@code [start, start + len)} of one channel walked in loops of {@code heads x chunk}, the last loop's
     * chunks {@code alignUp(divUp(rem, heads), lastAlign)}: the region each head owns, its chunks of every loop laid end
     * to end (element h is head h's start, element {@code heads} the channel's end). The buffer's bytes are so
     * permuted alike on every rank: each head still reduces and stores exactly NCCL's bytes, and each (channel, head)
     * becomes one op per role whose segments pipeline by byte overlap.
     */
    static long[] regions(long start, long len, int heads, long chunk, long lastAlign) {
        long loop = heads * chunk;
        long full = len / loop;
        long rem = len % loop;
        long last = rem == 0 ? 0 : alignUp((rem + heads - 1) / heads, lastAlign);
        long[] at = new long[heads + 1];
        at[0] = start;
        for (int h = 0; h < heads; h++) {
            long tail = Math.max(0, Math.min(last, rem - h * last));
            at[h + 1] = at[h] + full * chunk + tail;
        }
        return at;
    }

    /** Streams per channel: one per head for the contributions, then the multicast. */
    int streamsPerChannel() {
        return n + 1;
    }

    /** The stream of channel c's contributions to head h: streams {@code 0 .. C x n - 1}, n per channel. */
    int contributionStream(int c, int h) {
        return c * n + h;
    }

    /** Channel c's multicast stream, after every contribution stream. */
    int multicastStream(int c) {
        return channels * n + c;
    }

    @Override
    public void emit(int rank, OpTable ops) {
        for (int c = 0; c < channels; c++) {
            long[] region = regions(BlockSplit.offsetBytes(sizeBytes, channels, c),
                    BlockSplit.sizeBytes(sizeBytes, channels, c), n, chunkBytes, LAST_CHUNK_ALIGN_BYTES);
            for (int h = 0; h < n; h++) {
                long offset = region[h];
                long bytes = region[h + 1] - region[h];
                if (bytes == 0) {
                    continue;
                }
                long piece = (long) c * n + h;
                if (h == rank) {
                    head(ops, c, piece, rank, offset, bytes);
                } else {
                    ops.send(h, tag(piece, 0), offset, bytes, contributionStream(c, h));
                    ops.combine(ops.last(), RankSchedule.COMBINE_REDUCE, piece, n - 1);
                    ops.recv(h, tag(piece, 1), offset, bytes, multicastStream(c), false);
                    ops.combine(ops.last(), RankSchedule.COMBINE_MULTICAST, piece, n - 1);
                }
            }
        }
    }

    /** The head's ops for one (channel, head): every other rank's contribution in, then the store to all of them. */
    private void head(OpTable ops, int c, long piece, int rank, long offset, long bytes) {
        int[] sum = new int[n - 1];
        int k = 0;
        for (int s = 0; s < n; s++) {
            if (s != rank) {
                sum[k] = ops.recv(s, tag(piece, 0), offset, bytes, contributionStream(c, s), true);
                ops.combine(sum[k], RankSchedule.COMBINE_REDUCE, piece, n - 1);
                k++;
            }
        }
        boolean first = true;
        for (int s = 0; s < n; s++) {
            if (s == rank) {
                continue;
            }
            // the store pipelines by byte overlap on the sum; its copies follow it in its stream
            ops.send(s, tag(piece, 1), offset, bytes, multicastStream(c), first ? sum : new int[0]);
            ops.combine(ops.last(), RankSchedule.COMBINE_MULTICAST, piece, n - 1);
            first = false;
        }
    }

    /** Tags: per (channel, head), 0 contribution, 1 multicast. */
    private static long tag(long piece, int kind) {
        return piece * 2 + kind;
    }
}

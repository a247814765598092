package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;

/**
 * NCCL's NVLSTree all-reduce across servers whose GPUs share an NVSwitch (NVIDIA/nccl v2.30.7-1,
 * {@code src/device/all_reduce.h:526-627}, {@code RunWorkColl<ncclFuncAllReduce, ..., NCCL_ALGO_NVLS_TREE,
 * NCCL_PROTO_SIMPLE>}; {@code src/graph/connect.cc:255-318} for the trees). On a {@link NcclLayout#isRegular() regular}
 * layout of N servers of G GPUs, GPU h of every server is NVLS head h (the GPU of NIC h). Channel c takes its part of
 * the buffer ({@link BlockSplit}, as {@code ncclCollCbdPart}) in loops of {@code G x chunk}; in each loop head h owns
 * the h-th chunk, and for it:
 * <ol>
 *   <li>the other GPUs of the server send their copy into the switch, which sums and delivers once to head h
 *       ({@link RankSchedule#COMBINE_REDUCE}, {@code multimem.ld_reduce});</li>
 *   <li>head h adds the partial sums of its children heads (same h, other servers) in tree {@code c mod 2} of
 *       ncclGetDtree over servers, and sends the result to its parent head over the network (rail h);</li>
 *   <li>it receives the total from its parent (the root has it once its children are in), stores it into every
 *       GPU of its server through the switch ({@link RankSchedule#COMBINE_MULTICAST}, {@code multimem.st}) and
 *       sends it to its children heads.</li>
 * </ol>
 * Chunk ({@code enqueue.cc:2276-2285}): {@code min(NCCL_NVLS_CHUNKSIZE 128 KiB, nvlsTreeMaxChunkSize)} (64 KiB on 4
 * servers or more, {@code transport/nvls.cc:229}), down to 64 and 32 KiB below 4 and 1 x {@code nChannels x nHeads
 * x chunk}; a channel's last loop splits what is left over the heads in chunks rounded up to 16 bytes.
 *
 * <p>Streams per channel c: 0 the contributions, 1 the send up, 2 the multicast, 3 and 4 the sends to the two
 * children (NCCL sends each slice to all of them at once). Contributions and the send up pipeline by byte overlap;
 * the multicast waits for the whole chunk (as {@link NvlsAllReduce}); the sends down pipeline by overlap on the total.
 * In place; every op is a few per (channel, loop, head) and emitted per rank ({@link TableSchedule}).
 *
 * <p>Immutable; thread-safe.
 */
final class NvlsTreeAllReduce implements TableSchedule.Generator {

    /** Name of the algorithm, as {@link Schedule#algorithm()} says it. */
    static final String NAME = "nvlstree";
    static final int STREAMS_PER_CHANNEL = 5;
    private static final long MAX_CHUNK_BYTES = 128 << 10;
    private static final long LAST_CHUNK_ALIGN_BYTES = 16;

    private final NcclLayout layout;
    private final int channels;
    private final int nodes;
    private final int g;
    private final long sizeBytes;
    private final long chunkBytes;

    private NvlsTreeAllReduce(CollectiveRequest request, NcclLayout layout) {
        this.layout = layout;
        this.channels = request.channels();
        this.nodes = layout.nodes();
        this.g = layout.gpusPerNode();
        this.sizeBytes = request.sizeBytes();
        this.chunkBytes = chunkBytes(sizeBytes, channels, g, nodes);
    }

    /**
     * The NVLSTree all-reduce of an all-reduce request on a regular layout of at least 2 servers.
     *
     * @throws CollectiveException otherwise
     */
    static Schedule create(CollectiveRequest request, NcclLayout layout) {
        if (request.kind() != CollectiveKind.ALL_REDUCE) {
            throw new CollectiveException("nvlstree: " + request.kind().cliName() + " is not an all-reduce");
        }
        if (!layout.isRegular() || layout.nodes() < 2 || layout.gpusPerNode() < 2) {
            throw new CollectiveException("nvlstree: needs at least 2 servers of the same GPUs, at least 2 each ("
                    + layout + ")");
        }
        NvlsTreeAllReduce gen = new NvlsTreeAllReduce(request, layout);
        int n = request.ranks();
        int nodes = layout.nodes();
        // every byte: G-1 contributions and G-1 copies in each server, and 2(N-1) network hops per chunk
        long total = request.sizeBytes() * (2L * (n - nodes) + 2L * (nodes - 1));
        return new TableSchedule(request, NAME, STREAMS_PER_CHANNEL * request.channels(), gen, total);
    }

    /** NCCL's NVLSTree chunk for {@code nBytes} on {@code nChannels} channels of {@code nHeads} heads, SM90. */
    static long chunkBytes(long nBytes, int nChannels, int nHeads, int nNodes) {
        long chunk = Math.min(MAX_CHUNK_BYTES, nNodes >= 4 ? 65536 : MAX_CHUNK_BYTES);
        long ops = (long) nChannels * nHeads;
        if (nBytes < 32 * ops * chunk && chunk > 262144) {
            chunk = 262144;
        }
        if (nBytes < 16 * ops * chunk && chunk > 131072) {
            chunk = 131072;
        }
        if (nBytes < 4 * ops * chunk && chunk > 65536) {
            chunk = 65536;
        }
        if (nBytes < ops * chunk && chunk > 32768) {
            chunk = 32768;
        }
        return chunk;
    }

    @Override
    public void emit(int rank, OpTable ops) {
        int node = layout.nodeOf(rank);
        int slot = layout.slotOf(rank);
        long loop = g * chunkBytes;
        long group = 0;
        for (int c = 0; c < channels; c++) {
            int[] tree = NcclTree.dtree(nodes, c % 2, node);
            long start = BlockSplit.offsetBytes(sizeBytes, channels, c);
            long len = BlockSplit.sizeBytes(sizeBytes, channels, c);
            for (long done = 0; done < len; done += loop) {
                long rem = Math.min(loop, len - done);
                long cs = rem == loop ? chunkBytes : alignUp((rem + g - 1) / g, LAST_CHUNK_ALIGN_BYTES);
                for (int h = 0; h < g; h++) {
                    long at = done + h * cs;
                    long bytes = Math.max(0, Math.min(cs, rem - h * cs));
                    long piece = group++;
                    if (bytes == 0) {
                        continue;
                    }
                    long offset = start + at;
                    if (h == slot) {
                        head(ops, c, piece, node, slot, tree, offset, bytes);
                    } else {
                        int headRank = layout.rankAt(node, h);
                        ops.send(headRank, tag(piece, 0), offset, bytes, STREAMS_PER_CHANNEL * c);
                        ops.combine(ops.last(), RankSchedule.COMBINE_REDUCE, piece, g - 1);
                        ops.recv(headRank, tag(piece, 1), offset, bytes, STREAMS_PER_CHANNEL * c + 2, false);
                        ops.combine(ops.last(), RankSchedule.COMBINE_MULTICAST, piece, g - 1);
                    }
                }
            }
        }
    }

    /** The head's ops for one piece: local sum and children in, up, total in, multicast and children out. */
    private void head(OpTable ops, int c, long piece, int node, int slot, int[] tree, long offset, long bytes) {
        int base = STREAMS_PER_CHANNEL * c;
        int[] in = new int[g - 1 + 2];
        int k = 0;
        for (int s = 0; s < g; s++) {
            int peer = layout.rankAt(node, s);
            if (s == slot) {
                continue;
            }
            in[k] = ops.recv(peer, tag(piece, 0), offset, bytes, base, true);
            ops.combine(in[k], RankSchedule.COMBINE_REDUCE, piece, g - 1);
            k++;
        }
        for (int child = 1; child <= 2; child++) {
            if (tree[child] >= 0) {
                in[k++] = ops.recv(layout.rankAt(tree[child], slot), tag(piece, 2), offset, bytes, base + 1, true);
            }
        }
        int[] sum = java.util.Arrays.copyOf(in, k);
        int[] total;
        if (tree[0] >= 0) {
            int parent = layout.rankAt(tree[0], slot);
            ops.send(parent, tag(piece, 2), offset, bytes, base + 1, sum);
            total = new int[] {ops.recv(parent, tag(piece, 3), offset, bytes, base + 2, false)};
        } else {
            total = sum;
        }
        boolean first = true;
        for (int s = 0; s < g; s++) {
            if (s == slot) {
                continue;
            }
            int peer = layout.rankAt(node, s);
            int op = first ? ops.sendAfterWhole(peer, tag(piece, 1), offset, bytes, base + 2, total)
                    : ops.sendAfterWhole(peer, tag(piece, 1), offset, bytes, base + 2);
            ops.combine(op, RankSchedule.COMBINE_MULTICAST, piece, g - 1);
            first = false;
        }
        for (int child = 1; child <= 2; child++) {
            if (tree[child] >= 0) {
                ops.send(layout.rankAt(tree[child], slot), tag(piece, 3), offset, bytes, base + 2 + child, total);
            }
        }
    }

    /** Tags: per piece, 0 contribution, 1 multicast, 2 partial sum up, 3 total down. */
    private static long tag(long piece, int kind) {
        return piece * 4 + kind;
    }

    private static long alignUp(long x, long a) {
        return (x + a - 1) / a * a;
    }
}

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
 * <p>Each head's chunks of a channel are laid end to end ({@link #regions}: the same permutation of the buffer on every
 * rank), so each (channel, head) is one op per role: O(C x G) ops per rank. Streams per channel: one per head for the
 * contributions (every head's sum fills at once, as NCCL's heads pull concurrently), then the send up, the multicast,
 * and one per child (NCCL sends each slice to all of them at once). Everything pipelines by byte overlap, segment by
 * segment: the send up on the local sum and the children's sums, the multicast and the sends down on the total.
 * Stream numbers: the contributions first ({@link #contributionStream}), G per channel, then 4 per channel.
 *
 * <p>Immutable; thread-safe.
 */
final class NvlsTreeAllReduce implements TableSchedule.Generator {

    /** Name of the algorithm, as {@link Schedule#algorithm()} says it. */
    static final String NAME = "nvlstree";
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
        return new TableSchedule(request, NAME, gen.streamsPerChannel() * request.channels(), gen, total);
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
        for (int c = 0; c < channels; c++) {
            int[] tree = NcclTree.dtree(nodes, c % 2, node);
            long[] region = regions(c);
            for (int h = 0; h < g; h++) {
                long offset = region[h];
                long bytes = region[h + 1] - region[h];
                if (bytes == 0) {
                    continue;
                }
                long piece = (long) c * g + h;
                if (h == slot) {
                    head(ops, c, piece, node, slot, tree, offset, bytes);
                } else {
                    int headRank = layout.rankAt(node, h);
                    ops.send(headRank, tag(piece, 0), offset, bytes, contributionStream(c, h));
                    ops.combine(ops.last(), RankSchedule.COMBINE_REDUCE, piece, g - 1);
                    ops.recv(headRank, tag(piece, 1), offset, bytes, headStream(c, 1), false);
                    ops.combine(ops.last(), RankSchedule.COMBINE_MULTICAST, piece, g - 1);
                }
            }
        }
    }

    /** Streams per channel: one per head for the contributions, then up, multicast, and the two children. */
    int streamsPerChannel() {
        return g + 4;
    }

    /** The stream of channel c's contributions to head h: streams {@code 0 .. C x G - 1}, G per channel. */
    int contributionStream(int c, int h) {
        return c * g + h;
    }

    /** Channel c's head streams after the contributions: 0 up, 1 multicast, 2 and 3 the children. */
    int headStream(int c, int j) {
        return channels * g + 4 * c + j;
    }

    /** The region of channel c that each head owns ({@link NvlsAllReduce#regions}, last chunks to 16 bytes). */
    long[] regions(int c) {
        return NvlsAllReduce.regions(BlockSplit.offsetBytes(sizeBytes, channels, c),
                BlockSplit.sizeBytes(sizeBytes, channels, c), g, chunkBytes, LAST_CHUNK_ALIGN_BYTES);
    }

    /** The head's ops for one (channel, head): local sum and children in, up, total in, multicast, children out. */
    private void head(OpTable ops, int c, long piece, int node, int slot, int[] tree, long offset, long bytes) {
        int[] in = new int[g - 1 + 2];
        int k = 0;
        for (int s = 0; s < g; s++) {
            if (s == slot) {
                continue;
            }
            in[k] = ops.recv(layout.rankAt(node, s), tag(piece, 0), offset, bytes, contributionStream(c, s), true);
            ops.combine(in[k], RankSchedule.COMBINE_REDUCE, piece, g - 1);
            k++;
        }
        for (int child = 1; child <= 2; child++) {
            if (tree[child] >= 0) {
                in[k++] = ops.recv(layout.rankAt(tree[child], slot), tag(piece, 2), offset, bytes, headStream(c, 0),
                        true);
            }
        }
        int[] sum = java.util.Arrays.copyOf(in, k);
        int[] total;
        if (tree[0] >= 0) {
            int parent = layout.rankAt(tree[0], slot);
            ops.send(parent, tag(piece, 2), offset, bytes, headStream(c, 0), sum);
            total = new int[] {ops.recv(parent, tag(piece, 3), offset, bytes, headStream(c, 1), false)};
        } else {
            total = sum;
        }
        boolean first = true;
        for (int s = 0; s < g; s++) {
            if (s == slot) {
                continue;
            }
            // the store pipelines by byte overlap on the total; its copies follow it in its stream
            ops.send(layout.rankAt(node, s), tag(piece, 1), offset, bytes, headStream(c, 1),
                    first ? total : new int[0]);
            ops.combine(ops.last(), RankSchedule.COMBINE_MULTICAST, piece, g - 1);
            first = false;
        }
        for (int child = 1; child <= 2; child++) {
            if (tree[child] >= 0) {
                ops.send(layout.rankAt(tree[child], slot), tag(piece, 3), offset, bytes, headStream(c, 1 + child),
                        total);
            }
        }
    }

    /** Tags: per (channel, head), 0 contribution, 1 multicast, 2 partial sum up, 3 total down. */
    private static long tag(long piece, int kind) {
        return piece * 4 + kind;
    }
}

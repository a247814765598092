package io.collemu.collectives.nccl;

import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;

/**
 * The schedules NCCL itself runs on multi-GPU servers (NVIDIA/nccl v2.30.7-1), for the {@code nccl} fidelity
 * mode: same {@link Schedule} contract as {@link io.collemu.collectives.algo.Schedules#of}, plus a
 * {@link NcclLayout} saying which server and which GPU (rail) each rank is.
 *
 * <table>
 *   <caption>What each request becomes ({@link Schedule#algorithm()} in the last column)</caption>
 *   <tr><th>kind</th><th>request algorithm</th><th>schedule</th></tr>
 *   <tr><td>all-reduce, reduce-scatter, all-gather</td><td>auto, ring</td><td>ring: channel c follows the
 *       {@link RingOrder} of search channel c mod {@link NcclLayout#ringSearchChannels()}, carries 1/C of the
 *       data</td></tr>
 *   <tr><td>all-reduce</td><td>tree</td><td>tree: double binary tree over servers with an intra-server chain
 *       per channel ({@link NcclTree})</td></tr>
 *   <tr><td>broadcast, reduce</td><td>auto, ring</td><td>ring: a pipelined chain per channel along that
 *       channel's ring order from the root (NCCL runs these on rings only, src/graph/tuning.cc:294)</td></tr>
 *   <tr><td>all-to-all</td><td>auto, direct</td><td>pxn: every pair at once in staggered order, cross-rail
 *       pairs relayed over NVLink to the GPU on the destination's rail ({@link PxnAllToAll})</td></tr>
 *   <tr><td>send-recv</td><td>auto, direct, pxn</td><td>pxn: each pair at once, a cross-server cross-rail
 *       pair relayed over NVLink to the sender's GPU on the destination's rail ({@link PxnSendRecv})</td></tr>
 * </table>
 * Other combinations (halving-doubling, hierarchical, pairwise, tree broadcast, all-to-all-v) are
 * not what NCCL runs and fail with a {@link CollectiveException}. Choosing between ring and tree by NCCL's
 * time model is the tuner's job, not this class's: {@code auto} means ring here.
 *
 * <p>Stateless; thread-safe.
 */
public final class NcclSchedules {

    /** Name of NCCL's ring algorithm (rings for all-reduce/reduce-scatter/all-gather, chains for broadcast/reduce). */
    public static final String RING = Collectives.RING;
    /** Name of NCCL's double binary tree all-reduce. */
    public static final String TREE = Collectives.TREE;
    /** Name of NCCL's all-to-all with PXN relays. */
    public static final String PXN = "pxn";
    /** Name of NCCL's NVLS all-reduce (in-switch reduction and multicast on one NVSwitch domain). */
    public static final String NVLS = NvlsAllReduce.NAME;

    private NcclSchedules() {
    }

    /**
     * NCCL's NVLS all-reduce ({@link NvlsAllReduce}) for an all-reduce request whose ranks share one NVSwitch domain
     * and whose channels are NVLS channels; the request's algorithm name is not read.
     *
     * @throws CollectiveException for another kind or fewer than 2 ranks
     */
    public static Schedule nvls(CollectiveRequest request) {
        if (request == null) {
            throw new CollectiveException("nvls schedule: a request must be given");
        }
        return NvlsAllReduce.create(request);
    }

    /** Name of NCCL's NVLSTree all-reduce (NVLS inside each server, a double binary tree between them). */
    public static final String NVLS_TREE = NvlsTreeAllReduce.NAME;

    /**
     * NCCL's NVLSTree all-reduce ({@link NvlsTreeAllReduce}) for an all-reduce request on a regular layout of at least
     * two servers whose GPUs share an NVSwitch each; the request's algorithm name is not read.
     *
     * @throws CollectiveException for another kind or layout
     */
    public static Schedule nvlsTree(CollectiveRequest request, NcclLayout layout) {
        if (request == null || layout == null) {
            throw new CollectiveException("nvlstree schedule: request and layout must be given");
        }
        return NvlsTreeAllReduce.create(request, layout);
    }

    /**
     * NCCL's NVLSTree chunk (its forwarding unit) for an all-reduce of {@code nBytes} on {@code channels} channels of
     * {@code heads} heads over {@code nodes} servers (SM90, {@code enqueue.cc:2276-2285}).
     */
    public static long nvlsTreeChunkBytes(long nBytes, int channels, int heads, int nodes) {
        return NvlsTreeAllReduce.chunkBytes(nBytes, channels, heads, nodes);
    }

    /**
     * Builds the schedule NCCL would run for a (validated) request on {@code layout}.
     *
     * @throws CollectiveException if the layout does not fit the request, or NCCL has no such algorithm
     */
    public static Schedule of(CollectiveRequest request, NcclLayout layout) {
        if (request == null || layout == null) {
            throw new CollectiveException("nccl schedule: request and layout must be given");
        }
        if (layout.ranks() != request.ranks()) {
            throw new CollectiveException("nccl schedule: layout has " + layout.ranks() + " ranks but the request "
                    + request.ranks());
        }
        String algorithm = request.algorithm();
        return switch (request.kind()) {
            case ALL_REDUCE -> switch (algorithm) {
                case Collectives.AUTO, Collectives.RING -> NcclRingSchedule.create(request, layout);
                case Collectives.TREE -> new TableSchedule(request, TREE,
                        NcclTree.STREAMS_PER_CHANNEL * request.channels(), new NcclTree(request, layout),
                        2L * (request.ranks() - 1) * request.sizeBytes());
                default -> throw unsupported(request);
            };
            case REDUCE_SCATTER, ALL_GATHER -> {
                requireRing(request);
                yield NcclRingSchedule.create(request, layout);
            }
            case BROADCAST, REDUCE -> {
                requireRing(request);
                yield new TableSchedule(request, RING, request.channels(), new RingChain(request, layout),
                        (long) (request.ranks() - 1) * request.sizeBytes());
            }
            case ALL_TO_ALL -> {
                if (!algorithm.equals(Collectives.AUTO) && !algorithm.equals(Collectives.DIRECT)) {
                    throw unsupported(request);
                }
                yield PxnAllToAll.create(request, layout);
            }
            case SEND_RECV -> {
                if (!algorithm.equals(Collectives.AUTO) && !algorithm.equals(Collectives.DIRECT)
                        && !algorithm.equals(PXN)) {
                    throw unsupported(request);
                }
                yield PxnSendRecv.create(request, layout);
            }
            case ALL_TO_ALL_V -> throw unsupported(request);
        };
    }

    private static void requireRing(CollectiveRequest request) {
        if (!request.algorithm().equals(Collectives.AUTO) && !request.algorithm().equals(Collectives.RING)) {
            throw unsupported(request);
        }
    }

    private static CollectiveException unsupported(CollectiveRequest request) {
        return new CollectiveException("nccl schedule: no NCCL algorithm for " + request.kind().cliName() + " with '"
                + request.algorithm() + "' (nccl mode has ring and tree all-reduce, ring reduce-scatter, all-gather,"
                + " broadcast and reduce, and pxn all-to-all and send-recv via auto or direct)");
    }
}

package io.collemu.collectives;

/**
 * The ops of one rank, indexed {@code 0 .. opCount()-1}. Accessors may compute on the fly (a ring's ops are
 * arithmetic on the op index), so callers should read what they need once per op.
 *
 * <p>Execution rules (the engine and {@link DataVerifier} implement exactly these): a send op is cut into
 * segments of {@code segmentBytes}; a segment covering buffer bytes {@code [a, b)} may be injected once every
 * earlier send op of the same stream is fully injected, the op's previous segment is injected, and every
 * dependency is met: a {@link #depWhole(int, int) whole} dependency when its receive is complete, an overlap
 * dependency on a receive of {@code [d, d+M)} when that receive has at least
 * {@code (b <= d || a >= d+M) ? 0 : min(M, b-d)} bytes (receives fill from their offset upward). Segments of one
 * send arrive in order at {@link #matchOp(int)} of the peer; a receive that {@link #reduces(int)} adds them,
 * otherwise overwrites.
 *
 * <p>Immutable; thread-safe.
 */
public interface RankSchedule {

    /** @return number of ops of this rank */
    int opCount();

    /** @return number of independent in-order send queues; ops carry a stream id in {@code [0, streamCount)} */
    int streamCount();

    /** @return true for a send, false for a receive */
    boolean isSend(int op);

    /** @return the rank this op sends to or receives from (never this rank) */
    int peer(int op);

    /** @return offset in the buffer: input (or in-place) buffer for a send, output (or in-place) for a receive */
    long offsetBytes(int op);

    /** @return bytes moved by this op, always {@code > 0} */
    long bytes(int op);

    /** @return the stream of this op (for a receive: the sender's stream, informational) */
    int stream(int op);

    /** @return receive only: true to add (sum) into the buffer, false to overwrite */
    boolean reduces(int op);

    /** @return send only: index of the matching receive op in the peer's {@link RankSchedule} */
    int matchOp(int op);

    /** @return send only: number of receive ops of this rank that this send depends on */
    int depCount(int op);

    /** @return send only: index of the {@code k}-th receive op this send depends on */
    int dep(int op, int k);

    /** @return send only: true to wait for the whole dependency, false for byte-overlap pipelining */
    boolean depWhole(int op, int k);

    /** {@link #combine}: the op's bytes cross the fabric as they are (every schedule but NVLS). */
    int COMBINE_NONE = 0;
    /**
     * {@link #combine}: an NVLS multicast store. This rank sends the same bytes (same offset, same length) to
     * {@link #combineSize} peers, and the NVSwitch replicates them: the rank's own link carries one copy. The
     * receives are plain overwrites.
     */
    int COMBINE_MULTICAST = 1;
    /**
     * {@link #combine}: an NVLS in-switch reduction. {@link #combineSize} ranks each send their bytes of one piece
     * to the same receiver (sends of one {@link #combineGroup} to one peer), and the NVSwitch adds them and
     * delivers the sum once: the receiver's link carries one copy and the GPU does not reduce. The receives still
     * {@link #reduces reduce}, so the data are the same as a direct reduce-scatter's.
     */
    int COMBINE_REDUCE = 2;

    /**
     * How the switch combines this op with its siblings ({@link #COMBINE_NONE}, {@link #COMBINE_MULTICAST},
     * {@link #COMBINE_REDUCE}); for a receive, how its bytes were combined. Siblings have equal bytes, so the
     * engine cuts them into the same segments.
     */
    default int combine(int op) {
        return COMBINE_NONE;
    }

    /**
     * @return send only, with a combine: the id of its sibling group, the same for every sibling (for a
     *         multicast, among this rank's sends; for a reduction, among the sends to the same receiver)
     */
    default long combineGroup(int op) {
        return 0;
    }

    /** @return send only: the number of sibling sends in its combine group (1 without a combine) */
    default int combineSize(int op) {
        return 1;
    }
}

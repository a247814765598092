package io.collemu.node.lp;

/**
 * The unit the emulator forwards: a piece of one send op, at most {@code segmentBytes} long. One object travels
 * the whole path (GPU egress port, switch ports, destination GPU); whoever holds it may update the per-hop fields
 * and hands it on. Ownership passes with the message: a sender never touches a segment after sending it.
 */
public final class Segment {
    /** Collective instance it belongs to. */
    public int instance;
    public int srcGpu;
    public int dstGpu;
    /** The matching recv op in the destination rank's schedule. */
    public int recvOp;
    /** Offset of this segment inside its op, in bytes. */
    public long opOffsetBytes;
    public int sizeBytes;
    /** Bytes of the protocol's lines carrying it (its size for Simple; more for LL and LL128). */
    public int protocolBytes;
    /** Bytes it takes on the wire of the port it is queued at (its protocol bytes plus that link's framing). */
    public int wireBytes;
    /** Bytes of the ingress buffer it occupies now, charged by the port that sent it last (wire bytes there). */
    public int creditBytes;
    /** Stream of the sending rank (for its injection window). */
    public int stream;
    public long flowHash;
    /** When its data first entered the source GPU's egress queue (a retransmission keeps the first time). */
    public long injectPs;
    /** When it entered the queue it is in now. */
    public long enqueuePs;
    /** Sum of queueing delays so far (waiting for the serializer or for credit). */
    public long queuedPs;
    /** LP and port that transmitted it last, which hold the credit for the buffer it now occupies. */
    public int upstreamLp;
    public int upstreamPort;
    /** The egress ports of its route, from the source GPU's port on; shared and never modified. */
    public int[] path;
    /** Index in {@link #path} of the port it is at (or is next to enter). */
    public int hops;
    /** The send op of the source rank it is a piece of. */
    public int op;
    /** When this copy entered the source GPU's egress queue (a retransmission's own time; see injectPs). */
    public long sentPs;
    /** Fault mode: the knowledge epoch its path was chosen in (see {@link FaultPlan#epoch}). */
    public int pathEpoch;
    /**
     * How the switch combines it with its siblings: {@link io.collemu.collectives.RankSchedule#COMBINE_NONE},
     * {@code COMBINE_MULTICAST} or {@code COMBINE_REDUCE} (NVLS), with its sibling group and the group's size.
     */
    public int combine;
    public long combineGroup;
    public int combineSize;
    /**
     * An NVLS multicast's other copies, when this segment is the one its GPU stores: they leave the GPU's link with
     * it (no time of their own there) and the switch sends each on its own path. Null otherwise, and after the GPU's
     * port has handed them on.
     */
    public Segment[] siblings;

    /** An empty segment; the injecting GPU fills every field. */
    public Segment() {
    }
}

package io.collemu.node.lp;

import org.HdrHistogram.Histogram;

/**
 * What one LP recorded, as plain data that can travel between cluster members: per task its start and end
 * (GPU LPs), latency and queueing histograms (GPU LPs, null for switch ports), its ports' counters, and in a run
 * with faults what its transport did ({@link FaultReport}, else null).
 */
public record LpReport(int lp, long[] taskStartPs, long[] taskEndPs, Histogram latencyNs, Histogram queueingNs,
        PortStats[] ports, long segmentsInjected, long segmentsDelivered, long bytesDelivered, FaultReport faults) {

    /** The report of an LP in a run without faults. */
    public LpReport(int lp, long[] taskStartPs, long[] taskEndPs, Histogram latencyNs, Histogram queueingNs,
            PortStats[] ports, long segmentsInjected, long segmentsDelivered, long bytesDelivered) {
        this(lp, taskStartPs, taskEndPs, latencyNs, queueingNs, ports, segmentsInjected, segmentsDelivered,
                bytesDelivered, null);
    }

    /**
     * A GPU's transport in a run with faults, per task (arrays indexed like its program) and in total.
     *
     * @param retransmittedBytes per task, bytes this rank sent again (go-back-N)
     * @param stallPs            per task, the longest wait of this rank from a lost segment's send to its resend
     * @param failPs             per task, when this rank gave up (retries exhausted), else -1
     * @param failPeer           per task, the GPU it could no longer reach, else -1
     * @param segmentsDiscarded  segments that arrived out of order or twice and were dropped (go-back-N receiver)
     * @param segmentsLostAtSource segments that had no route from this GPU
     */
    public record FaultReport(long[] retransmittedBytes, long[] stallPs, long[] failPs, int[] failPeer,
            long segmentsDiscarded, long segmentsLostAtSource) {
    }
}

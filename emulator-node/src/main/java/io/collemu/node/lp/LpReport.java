package io.collemu.node.lp;

import org.HdrHistogram.Histogram;

/**
 * What one LP recorded, as plain data that can travel between cluster members: per task its start and end
 * (GPU LPs), latency and queueing histograms (GPU LPs, null for switch ports), and its ports' counters.
 */
public record LpReport(int lp, long[] taskStartPs, long[] taskEndPs, Histogram latencyNs, Histogram queueingNs,
        PortStats[] ports, long segmentsInjected, long segmentsDelivered, long bytesDelivered) {
}

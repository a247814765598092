package io.collemu.node.lp;

/**
 * What one egress port did during a run.
 *
 * @param creditDeficitBytes credit not back home when the report was taken (0 once a run has drained)
 * @param drops              segments lost on its link or, for want of a route, at the switch it leads to (faults)
 */
public record PortStats(int port, long bytesSent, long busyPs, long peakQueueBytes, long segmentsSent,
        long creditStalls, long creditDeficitBytes, long drops) {

    /** A port's figures in a run without faults (nothing dropped). */
    public PortStats(int port, long bytesSent, long busyPs, long peakQueueBytes, long segmentsSent,
            long creditStalls, long creditDeficitBytes) {
        this(port, bytesSent, busyPs, peakQueueBytes, segmentsSent, creditStalls, creditDeficitBytes, 0);
    }

    /** Two runs of the same port added up (peak queue: the larger). */
    public PortStats plus(PortStats o) {
        return new PortStats(port, bytesSent + o.bytesSent, busyPs + o.busyPs,
                Math.max(peakQueueBytes, o.peakQueueBytes), segmentsSent + o.segmentsSent,
                creditStalls + o.creditStalls, creditDeficitBytes + o.creditDeficitBytes, drops + o.drops);
    }
}

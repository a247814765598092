package io.collemu.node.lp;

import io.collemu.results.LatencyHistograms;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one LP recorded, as plain data that can travel between cluster members: per task its start and end
 * (GPU LPs), latency and queueing histograms (GPU LPs, null for switch ports and, once merged for a cluster's
 * leader, for all GPUs but one: {@link #withMergedHistograms}), its ports' counters, and in a run
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
     * The same reports with every latency and queueing histogram merged into the lowest-numbered GPU's report (the
     * others carry none): what a cluster member sends its leader. The run only ever uses the merge of all GPUs'
     * histograms, and merging is exact (counts add bucket by bucket, the earliest start and latest end are kept),
     * so the result is the same; the leader then receives two histograms per member instead of two per GPU, which
     * on a 16,384-GPU run was the largest part of the leader's heap while it gathered.
     */
    public static LpReport[] withMergedHistograms(List<LpReport> reports) {
        LpReport[] out = reports.toArray(LpReport[]::new);
        List<Histogram> latency = new ArrayList<>();
        List<Histogram> queueing = new ArrayList<>();
        int first = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i].latencyNs() != null) {
                latency.add(out[i].latencyNs());
                queueing.add(out[i].queueingNs());
                if (first < 0 || out[i].lp() < out[first].lp()) {
                    first = i;
                }
            }
        }
        if (latency.size() < 2) {
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            LpReport r = out[i];
            if (r.latencyNs() != null) {
                Histogram l = i == first ? LatencyHistograms.merge(latency) : null;
                Histogram q = i == first ? LatencyHistograms.merge(queueing) : null;
                out[i] = new LpReport(r.lp(), r.taskStartPs(), r.taskEndPs(), l, q, r.ports(), r.segmentsInjected(),
                        r.segmentsDelivered(), r.bytesDelivered(), r.faults());
            }
        }
        return out;
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

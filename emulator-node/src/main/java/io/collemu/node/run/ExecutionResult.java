package io.collemu.node.run;

import io.collemu.node.engine.EngineStats;
import io.collemu.node.lp.GpuTask;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.PortStats;
import io.collemu.node.lp.Workload;
import io.collemu.results.LatencyHistograms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One emulation's figures, aggregated from every LP's report: each instance's start (first rank to start) and
 * end (last rank to finish), the merged latency and queueing histograms, and every port's counters.
 */
public record ExecutionResult(EngineStats stats, long startPs, long endPs, long[] instanceStartPs,
        long[] instanceEndPs, Histogram latencyNs, Histogram queueingNs, PortStats[] portsById,
        long segmentsInjected, long segmentsDelivered, long bytesDelivered, LpReport[] reports, Faults faults) {

    /**
     * What the transport did in a run with faults, per instance and in total.
     *
     * @param retransmittedBytes per instance, bytes sent again by all its ranks
     * @param stallPs            per instance, the longest wait of any rank from a lost segment's send to its resend
     * @param failed             per instance, whether it did not complete (a rank gave up, or it never ran after)
     * @param interruptions      the ranks that gave up, in time order
     * @param segmentsDropped    segments lost in the fabric (links down, bit errors, no route)
     * @param segmentsDiscarded  segments that arrived out of order or twice (go-back-N)
     */
    public record Faults(long[] retransmittedBytes, long[] stallPs, boolean[] failed, List<Interruption> interruptions,
            long segmentsDropped, long segmentsDiscarded) {
    }

    /** A rank that gave up on an instance: when, and the GPU it could no longer reach. */
    public record Interruption(long timePs, int instance, int gpu, int peerGpu) {
    }

    /**
     * Aggregates the reports of one run.
     *
     * @throws IllegalStateException if a task never ended (a stall) or a segment was lost or duplicated (in a run
     *                               with faults: if a task never ended with no rank of any instance giving up, or
     *                               a segment is unaccounted for)
     */
    public static ExecutionResult aggregate(Workload workload, int portCount, long startPs, EngineStats stats,
            LpReport[] reports) {
        int instances = workload.instances().size();
        long[] start = new long[instances];
        long[] end = new long[instances];
        Arrays.fill(start, Long.MAX_VALUE);
        Arrays.fill(end, Long.MIN_VALUE);
        List<Histogram> latencies = new ArrayList<>();
        List<Histogram> queueings = new ArrayList<>();
        PortStats[] ports = new PortStats[portCount];
        long injected = 0;
        long delivered = 0;
        long bytes = 0;
        long lastEnd = startPs;
        boolean faulty = false;
        for (LpReport r : reports) {
            faulty |= r.faults() != null;
        }
        long[] rtx = faulty ? new long[instances] : null;
        long[] stall = faulty ? new long[instances] : null;
        boolean[] failed = faulty ? new boolean[instances] : null;
        List<Interruption> interruptions = new ArrayList<>();
        long dropped = 0;
        long discarded = 0;
        List<String> stalls = new ArrayList<>();
        for (LpReport r : reports) {
            for (PortStats p : r.ports()) {
                ports[p.port()] = p;
                dropped += p.drops();
            }
            if (r.faults() != null) {
                discarded += r.faults().segmentsDiscarded();
                dropped += r.faults().segmentsLostAtSource();
            }
            injected += r.segmentsInjected();
            delivered += r.segmentsDelivered();
            bytes += r.bytesDelivered();
            if (r.latencyNs() != null) {
                latencies.add(r.latencyNs());
                queueings.add(r.queueingNs());
            }
            if (r.taskStartPs() == null) {
                continue;
            }
            GpuTask[] program = workload.programs()[r.lp()];
            for (int t = 0; t < program.length; t++) {
                long s = r.taskStartPs()[t];
                long e = r.taskEndPs()[t];
                int inst = program[t].instance();
                if (r.faults() != null && inst >= 0) {
                    rtx[inst] += r.faults().retransmittedBytes()[t];
                    stall[inst] = Math.max(stall[inst], r.faults().stallPs()[t]);
                    long f = r.faults().failPs()[t];
                    if (f >= 0) {
                        interruptions.add(new Interruption(f, inst, r.lp(), r.faults().failPeer()[t]));
                        lastEnd = Math.max(lastEnd, f);
                    }
                }
                if (e < 0) {
                    String what = "GPU " + r.lp() + " task " + t
                            + (program[t].isCompute() ? " (compute)" : " (instance " + inst + ")")
                            + " never " + (s < 0 ? "started" : "finished");
                    if (!faulty) {
                        throw new IllegalStateException("emulation stalled: " + what + "; segments injected "
                                + injected + ", delivered " + delivered + " so far");
                    }
                    stalls.add(what);
                    if (inst >= 0) {
                        failed[inst] = true;
                        if (s >= 0) {
                            start[inst] = Math.min(start[inst], s);
                        }
                    }
                    continue;
                }
                lastEnd = Math.max(lastEnd, e);
                if (inst >= 0) {
                    start[inst] = Math.min(start[inst], s);
                    end[inst] = Math.max(end[inst], e);
                }
            }
        }
        if (!faulty && injected != delivered) {
            throw new IllegalStateException("segments injected " + injected + " != delivered " + delivered);
        }
        if (faulty && injected != delivered + dropped + discarded) {
            throw new IllegalStateException("segments injected " + injected + " != delivered " + delivered
                    + " + lost " + dropped + " + discarded " + discarded);
        }
        if (faulty && !stalls.isEmpty() && interruptions.isEmpty()) {
            throw new IllegalStateException("emulation stalled without an interruption: " + stalls.get(0));
        }
        interruptions.sort((a, b) -> a.timePs() != b.timePs() ? Long.compare(a.timePs(), b.timePs())
                : Integer.compare(a.gpu(), b.gpu()));
        for (int i = 0; i < instances; i++) {
            if (start[i] == Long.MAX_VALUE) {
                start[i] = faulty && failed[i] ? lastEnd : startPs;
                end[i] = start[i];
            }
            if (faulty && failed[i]) {
                // a failed instance ends when its first rank gave up (NCCL aborts the communicator), else (it was
                // waiting on one that failed, or never started) where its ranks stopped
                long first = Long.MAX_VALUE;
                for (Interruption x : interruptions) {
                    if (x.instance() == i) {
                        first = Math.min(first, x.timePs());
                    }
                }
                end[i] = Math.max(start[i], first != Long.MAX_VALUE ? first : Math.max(end[i], start[i]));
            }
        }
        // the workload ends when its last task does (trailing credit returns do not count)
        Faults faults = faulty ? new Faults(rtx, stall, failed, List.copyOf(interruptions), dropped, discarded) : null;
        return new ExecutionResult(stats, startPs, lastEnd, start, end,
                LatencyHistograms.merge(latencies), LatencyHistograms.merge(queueings), ports, injected, delivered,
                bytes, reports, faults);
    }

    /** From the start of the emulation to the end of its last task. */
    public long durationPs() {
        return endPs - startPs;
    }
}

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
        long segmentsInjected, long segmentsDelivered, long bytesDelivered, LpReport[] reports) {

    /**
     * Aggregates the reports of one run.
     *
     * @throws IllegalStateException if a task never ended (a stall) or a segment was lost or duplicated
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
        for (LpReport r : reports) {
            for (PortStats p : r.ports()) {
                ports[p.port()] = p;
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
                if (e < 0) {
                    throw new IllegalStateException("emulation stalled: GPU " + r.lp() + " task " + t
                            + (program[t].isCompute() ? " (compute)" : " (instance " + program[t].instance() + ")")
                            + " never " + (s < 0 ? "started" : "finished") + "; segments injected " + injected
                            + ", delivered " + delivered + " so far");
                }
                lastEnd = Math.max(lastEnd, e);
                int inst = program[t].instance();
                if (inst >= 0) {
                    start[inst] = Math.min(start[inst], s);
                    end[inst] = Math.max(end[inst], e);
                }
            }
        }
        if (injected != delivered) {
            throw new IllegalStateException("segments injected " + injected + " != delivered " + delivered);
        }
        for (int i = 0; i < instances; i++) {
            if (start[i] == Long.MAX_VALUE) {
                start[i] = startPs;
                end[i] = startPs;
            }
        }
        // the workload ends when its last task does (trailing credit returns do not count)
        return new ExecutionResult(stats, startPs, lastEnd, start, end,
                LatencyHistograms.merge(latencies), LatencyHistograms.merge(queueings), ports, injected, delivered,
                bytes, reports);
    }

    /** From the start of the emulation to the end of its last task. */
    public long durationPs() {
        return endPs - startPs;
    }
}

package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Schedule;
import io.collemu.profiles.IterationResult;
import io.collemu.profiles.PlannedCollective;
import io.collemu.results.CollectiveRecord;
import io.collemu.results.LatencyHistograms;
import io.collemu.results.PortRecord;
import io.collemu.results.RunOutcome;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Turns what an emulation measured into the results module's records: one {@link CollectiveRecord} per collective
 * instance (algbw = size / time, busbw = algbw x the nccl-tests factor), for sweeps and profiles alike, and the
 * optics energy of each. Stateless.
 *
 * <p>Energy attribution: in a sweep step every instance carries an equal share of the step's optics energy; in a
 * profile the run's dynamic optics energy is shared by bits moved, and the idle power of every optic is charged to
 * a collective (or an iteration) for its duration, so overlapping collectives both carry it.
 */
public final class Records {
    private Records() {
    }

    /** One record per instance of a sweep step. */
    public static List<CollectiveRecord> sweep(SizeRun run, Topology topology, long segmentBytes) {
        ExecutionResult r = run.result();
        Schedule s = run.schedule();
        List<PortRecord> ports = EnergyAccount.portRecords(topology, r.portsById(), r.durationPs());
        double joules = EnergyAccount.totalJoules(ports) / run.iterations();
        long segments = r.segmentsInjected() / run.iterations();
        // an LL instance forwards NCCL's LL steps (InstanceTiming.segmentBytes): say what it really used
        long seg = "LL".equals(run.choice().protocol())
                ? Math.min(segmentBytes, io.collemu.node.lp.InstanceTiming.LL_STEP_DATA_BYTES) : segmentBytes;
        List<CollectiveRecord> out = new ArrayList<>();
        for (int i = 0; i < run.iterations(); i++) {
            out.add(withFaults(of("", i, s, run.choice().protocol(), r.instanceStartPs()[i], r.instanceEndPs()[i],
                    segments, r.latencyNs(), seg, joules), r.faults(), i));
        }
        return out;
    }

    /** One record per planned collective of a profile run. */
    public static List<CollectiveRecord> profile(ProfileRun run, Topology topology, long segmentBytes) {
        ExecutionResult r = run.result();
        List<PortRecord> ports = EnergyAccount.portRecords(topology, r.portsById(), r.durationPs());
        double dynamic = EnergyAccount.dynamicJoules(ports);
        double idleWatts = idleWatts(ports, r.durationPs());
        double totalBits = 0;
        for (PlannedCollective c : run.plan().collectives()) {
            totalBits += c.schedule().totalBytesSent() * 8.0;
        }
        List<CollectiveRecord> out = new ArrayList<>();
        for (PlannedCollective c : run.plan().collectives()) {
            long start = r.instanceStartPs()[c.id()];
            long end = r.instanceEndPs()[c.id()];
            double bits = c.schedule().totalBytesSent() * 8.0;
            double joules = (totalBits == 0 ? 0 : dynamic * bits / totalBits) + idleWatts * (end - start) * 1e-12;
            out.add(withFaults(of(c.job() + "/" + c.op(), c.iteration(), c.schedule(), run.protocols().get(c.id()),
                    start, end, 0, r.latencyNs(), segmentBytes, joules), r.faults(), c.id()));
        }
        return out;
    }

    /** The record of one instance of {@code s}, from {@code startPs} to {@code endPs}. */
    static CollectiveRecord of(String job, int iteration, Schedule s, String protocol, long startPs, long endPs,
            long segments, Histogram latencyNs, long segmentBytes, double joules) {
        CollectiveKind kind = s.request().kind();
        long size = s.request().sizeBytes();
        int n = s.ranks();
        double seconds = (endPs - startPs) * 1e-12;
        double algbw = seconds <= 0 ? 0 : size / seconds / 1e9;
        int root = kind == CollectiveKind.BROADCAST || kind == CollectiveKind.REDUCE ? s.request().root() : -1;
        return new CollectiveRecord(job, iteration, kind.cliName(), s.algorithm(), protocol, size, size / 4, "float",
                kind.ncclTestsRedop(), root, n, s.request().channels(), segmentBytes, startPs, endPs, algbw,
                algbw * kind.busBwFactor(n), segments, latencyNs.getValueAtPercentile(50),
                latencyNs.getValueAtPercentile(99), latencyNs.getValueAtPercentile(99.9), latencyNs.getMaxValue(),
                joules, s.totalBytesSent() * 8.0);
    }

    /**
     * The record with what faults did to instance {@code i} (none without faults); a failed instance keeps its time
     * to failure and has no bandwidth.
     */
    static CollectiveRecord withFaults(CollectiveRecord c, ExecutionResult.Faults f, int i) {
        if (f == null) {
            return c;
        }
        boolean failed = f.failed()[i];
        return new CollectiveRecord(c.job(), c.iteration(), c.kind(), c.algorithm(), c.protocol(), c.sizeBytes(),
                c.countElements(), c.type(), c.redop(), c.root(), c.ranks(), c.channels(), c.segmentBytes(),
                c.startPs(), c.endPs(), failed ? 0 : c.algbwGBps(), failed ? 0 : c.busbwGBps(), c.segments(),
                c.latencyP50Ns(), c.latencyP99Ns(), c.latencyP999Ns(), c.latencyMaxNs(), c.energyJoules(),
                c.bitsMoved(), new CollectiveRecord.Faults(f.retransmittedBytes()[i], f.stallPs()[i], failed));
    }

    /** Optics energy of each iteration of a profile run: its share of dynamic energy by bits, plus idle power. */
    public static double[] iterationJoules(ProfileRun run, Topology topology) {
        ExecutionResult r = run.result();
        List<PortRecord> ports = EnergyAccount.portRecords(topology, r.portsById(), r.durationPs());
        double dynamic = EnergyAccount.dynamicJoules(ports);
        double idleWatts = idleWatts(ports, r.durationPs());
        Map<String, Double> bitsByIteration = new LinkedHashMap<>();
        double total = 0;
        for (PlannedCollective c : run.plan().collectives()) {
            double b = c.schedule().totalBytesSent() * 8.0;
            bitsByIteration.merge(c.job() + "#" + c.iteration(), b, Double::sum);
            total += b;
        }
        double[] out = new double[run.iterations().size()];
        for (int i = 0; i < out.length; i++) {
            IterationResult it = run.iterations().get(i);
            double bits = bitsByIteration.getOrDefault(it.job() + "#" + it.iteration(), 0.0);
            out[i] = (total == 0 ? 0 : dynamic * bits / total) + idleWatts * it.durationPs() * 1e-12;
        }
        return out;
    }

    private static double idleWatts(List<PortRecord> ports, long durationPs) {
        double j = 0;
        for (PortRecord p : ports) {
            j += p.nearIdleJoules() + p.farIdleJoules();
        }
        return durationPs <= 0 ? 0 : j / (durationPs * 1e-12);
    }

    /** A run as the report's side: its records, merged latency, optics power, energy and bits. */
    public static RunOutcome outcome(String label, RunResult r) {
        List<Histogram> latencies = new ArrayList<>();
        double joules = 0;
        if (r instanceof RunResult.Sweep s) {
            for (SizeRun step : s.steps()) {
                latencies.add(step.result().latencyNs());
            }
            for (CollectiveRecord c : r.records()) {
                joules += c.energyJoules();
            }
        } else if (r instanceof RunResult.Profile p) {
            latencies.add(p.run().result().latencyNs());
            for (double j : p.iterationJoules()) {
                joules += j;
            }
        }
        double bits = 0;
        for (CollectiveRecord c : r.records()) {
            bits += c.bitsMoved();
        }
        Inventory inv = Inventory.of(r.topology());
        return new RunOutcome(label, r.records(), LatencyHistograms.merge(latencies), inv.opticsIdleWatts(),
                inv.opticsLoadedWatts(), joules, bits);
    }

}

package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Schedule;
import io.collemu.profiles.IterationResult;
import io.collemu.profiles.OpResult;
import io.collemu.profiles.PlannedCollective;
import io.collemu.results.CollectiveRecord;
import io.collemu.results.CollectivesCsv;
import io.collemu.results.HgrmExport;
import io.collemu.results.HlogExport;
import io.collemu.results.IntervalHistogram;
import io.collemu.results.LatencyHistograms;
import io.collemu.results.PortRecord;
import io.collemu.results.PortsCsv;
import io.collemu.results.RunDirectory;
import io.collemu.results.SummaryJson;
import io.collemu.results.TableCsv;
import io.collemu.topology.model.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The run directory of a profile run: collectives.csv (one row per collective instance, with job and iteration),
 * iterations.csv (per job and iteration: time, compute, communication, exposed communication, optics energy),
 * ops.csv, latency.hgrm/.hlog, ports.csv and summary.json.
 *
 * <p>Energy attribution: the run's dynamic optics energy is shared by bits moved; the idle power of every optic
 * is charged to an iteration (or a collective) for its duration, so overlapping collectives both carry it.
 */
public final class ProfileOutputs {
    private ProfileOutputs() {
    }

    public static List<CollectiveRecord> records(ProfileRunner.ProfileRun run, Topology t, long segmentBytes) {
        ExecutionResult r = run.result();
        List<PortRecord> ports = EnergyAccount.portRecords(t, r.portsById(), r.durationPs());
        double dynamic = EnergyAccount.dynamicJoules(ports);
        double idleWatts = idleWatts(ports, r.durationPs());
        double totalBits = 0;
        for (PlannedCollective c : run.plan().collectives()) {
            totalBits += c.schedule().totalBytesSent() * 8.0;
        }
        Histogram h = r.latencyNs();
        List<CollectiveRecord> out = new ArrayList<>();
        for (PlannedCollective c : run.plan().collectives()) {
            Schedule s = c.schedule();
            CollectiveKind kind = s.request().kind();
            long start = r.instanceStartPs()[c.id()];
            long end = r.instanceEndPs()[c.id()];
            double seconds = (end - start) * 1e-12;
            long size = s.request().sizeBytes();
            double algbw = seconds <= 0 ? 0 : size / seconds / 1e9;
            double bits = s.totalBytesSent() * 8.0;
            double joules = (totalBits == 0 ? 0 : dynamic * bits / totalBits) + idleWatts * seconds;
            out.add(new CollectiveRecord(c.job() + "/" + c.op(), c.iteration(), kind.cliName(), s.algorithm(), size,
                    size / 4, "float", kind.ncclTestsRedop(), -1, s.ranks(), s.request().channels(), segmentBytes,
                    start, end, algbw, algbw * kind.busBwFactor(s.ranks()), 0, h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), joules, bits));
        }
        return out;
    }

    static double idleWatts(List<PortRecord> ports, long durationPs) {
        double j = 0;
        for (PortRecord p : ports) {
            j += p.nearIdleJoules() + p.farIdleJoules();
        }
        return durationPs <= 0 ? 0 : j / (durationPs * 1e-12);
    }

    /** Optics energy of each iteration: its share of dynamic energy by bits, plus idle power for its duration. */
    public static double[] iterationJoules(ProfileRunner.ProfileRun run, Topology t) {
        ExecutionResult r = run.result();
        List<PortRecord> ports = EnergyAccount.portRecords(t, r.portsById(), r.durationPs());
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

    public static void write(Path dir, ProfileRunner.ProfileRun run, Topology t, long segmentBytes,
            Map<String, Object> header, Map<String, Object> inputs, Map<String, Object> engineFigures)
            throws IOException {
        Files.createDirectories(dir);
        ExecutionResult r = run.result();
        List<CollectiveRecord> rows = records(run, t, segmentBytes);
        CollectivesCsv.write(dir.resolve(RunDirectory.COLLECTIVES_CSV), rows);
        double[] joules = iterationJoules(run, t);
        List<List<Object>> its = new ArrayList<>();
        List<Map<String, Object>> itJson = new ArrayList<>();
        for (int i = 0; i < run.iterations().size(); i++) {
            IterationResult it = run.iterations().get(i);
            its.add(List.of(it.job(), it.iteration(), it.warmup(), it.startPs(), it.endPs(), it.durationPs(),
                    it.computePs(), it.commPs(), it.exposedCommPs(), joules[i]));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", it.job());
            m.put("iteration", it.iteration());
            m.put("warmup", it.warmup());
            m.put("timeUs", it.durationPs() / 1e6);
            m.put("computeUs", it.computePs() / 1e6);
            m.put("commUs", it.commPs() / 1e6);
            m.put("exposedCommUs", it.exposedCommPs() / 1e6);
            m.put("opticsJoules", joules[i]);
            itJson.add(m);
        }
        TableCsv.write(dir.resolve("iterations.csv"), List.of("job", "iteration", "warmup", "start_ps", "end_ps",
                "duration_ps", "compute_ps", "comm_ps", "exposed_comm_ps", "optics_joules"), its);
        List<List<Object>> ops = new ArrayList<>();
        for (OpResult o : run.ops()) {
            ops.add(List.of(o.job(), o.op(), o.iteration(), o.kind(), o.sizeBytes(), o.ranks(), o.startPs(),
                    o.endPs(), o.durationPs()));
        }
        TableCsv.write(dir.resolve("ops.csv"), List.of("job", "op", "iteration", "kind", "size_bytes", "ranks",
                "start_ps", "end_ps", "duration_ps"), ops);
        HgrmExport.write(dir.resolve(RunDirectory.LATENCY_HGRM), r.latencyNs());
        HlogExport.write(dir.resolve(RunDirectory.LATENCY_HLOG),
                List.of(new IntervalHistogram(r.startPs(), r.endPs(), r.latencyNs())),
                "collemu segment latency (ns) of a profile run; 1 log second = 1 virtual microsecond");
        List<PortRecord> ports = EnergyAccount.portRecords(t, r.portsById(), r.durationPs());
        PortsCsv.write(dir.resolve(RunDirectory.PORTS_CSV), ports);
        Map<String, Object> summary = new LinkedHashMap<>(header);
        summary.put("partial", false);
        summary.put("inputs", inputs);
        summary.put("engineFigures", engineFigures);
        summary.put("virtualTimePs", r.durationPs());
        summary.put("iterations", itJson);
        summary.put("latencyNs", LatencyHistograms.figures(r.latencyNs()));
        summary.put("queueingNs", LatencyHistograms.figures(r.queueingNs()));
        Map<String, Object> energy = new LinkedHashMap<>();
        energy.put("opticsJoules", EnergyAccount.totalJoules(ports));
        energy.put("opticsDynamicJoules", EnergyAccount.dynamicJoules(ports));
        summary.put("energy", energy);
        SummaryJson.write(dir.resolve(RunDirectory.SUMMARY_JSON), summary);
    }
}

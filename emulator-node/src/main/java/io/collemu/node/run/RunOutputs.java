package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Schedule;
import io.collemu.node.lp.PortStats;
import io.collemu.results.CollectiveRecord;
import io.collemu.results.CollectivesCsv;
import io.collemu.results.HgrmExport;
import io.collemu.results.HlogExport;
import io.collemu.results.IntervalHistogram;
import io.collemu.results.LatencyHistograms;
import io.collemu.results.NcclTestsTable;
import io.collemu.results.PortRecord;
import io.collemu.results.PortsCsv;
import io.collemu.results.RunDirectory;
import io.collemu.results.SummaryJson;
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
 * Turns sweep steps into the results module's records and writes a run directory. Called after every step with
 * {@code partial = true}, so a run that fails half way keeps what it measured, and once more at the end.
 */
public final class RunOutputs {
    private final Topology topology;
    private final Map<String, Object> inputs;
    private final Map<String, Object> header;

    /**
     * @param header  collemuVersion, seed, engine, members and anything else to put first in summary.json
     * @param inputs  the run's inputs as given (flags), for summary.json
     */
    public RunOutputs(Topology topology, Map<String, Object> header, Map<String, Object> inputs) {
        this.topology = topology;
        this.header = header;
        this.inputs = inputs;
    }

    /** One record per instance of a step. */
    public static List<CollectiveRecord> records(SizeRun run, Topology topology, String job, long segmentBytes) {
        ExecutionResult r = run.result();
        Schedule s = run.schedule();
        CollectiveKind kind = run.kind();
        int n = s.ranks();
        Histogram h = r.latencyNs();
        List<PortRecord> ports = EnergyAccount.portRecords(topology, r.portsById(), r.durationPs());
        double energyPerInstance = EnergyAccount.totalJoules(ports) / run.iterations();
        double bitsPerInstance = s.totalBytesSent() * 8.0;
        long segmentsPerInstance = r.segmentsInjected() / run.iterations();
        int root = kind == CollectiveKind.BROADCAST || kind == CollectiveKind.REDUCE ? s.request().root() : -1;
        List<CollectiveRecord> out = new ArrayList<>();
        for (int i = 0; i < run.iterations(); i++) {
            long start = r.instanceStartPs()[i];
            long end = r.instanceEndPs()[i];
            double seconds = (end - start) * 1e-12;
            double algbw = seconds <= 0 ? 0 : run.sizeBytes() / seconds / 1e9;
            out.add(new CollectiveRecord(job, i, kind.cliName(), s.algorithm(), run.sizeBytes(),
                    run.sizeBytes() / 4, "float", kind.ncclTestsRedop(), root, n, s.request().channels(),
                    segmentBytes, start, end, algbw, algbw * kind.busBwFactor(n), segmentsPerInstance,
                    h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                    h.getMaxValue(), energyPerInstance, bitsPerInstance));
        }
        return out;
    }

    /** Writes every file of the run directory from the steps done so far. */
    public void write(Path dir, List<SizeRun> runs, long segmentBytes, Map<String, Object> engineFigures,
            boolean partial) throws IOException {
        Files.createDirectories(dir);
        List<CollectiveRecord> rows = new ArrayList<>();
        List<IntervalHistogram> intervals = new ArrayList<>();
        List<Histogram> all = new ArrayList<>();
        List<Histogram> queueing = new ArrayList<>();
        PortStats[] ports = new PortStats[topology.portCount()];
        long startPs = runs.isEmpty() ? 0 : runs.get(0).result().startPs();
        long endPs = startPs;
        for (SizeRun run : runs) {
            rows.addAll(records(run, topology, "", segmentBytes));
            ExecutionResult r = run.result();
            intervals.add(new IntervalHistogram(r.startPs(), r.endPs(), r.latencyNs()));
            all.add(r.latencyNs());
            queueing.add(r.queueingNs());
            for (int p = 0; p < ports.length; p++) {
                PortStats s = r.portsById()[p];
                if (s != null) {
                    ports[p] = ports[p] == null ? s : ports[p].plus(s);
                }
            }
            endPs = Math.max(endPs, r.endPs());
        }
        Histogram merged = LatencyHistograms.merge(all);
        List<PortRecord> portRecords = EnergyAccount.portRecords(topology, ports, endPs - startPs);
        CollectivesCsv.write(dir.resolve(RunDirectory.COLLECTIVES_CSV), rows);
        Files.writeString(dir.resolve(RunDirectory.NCCL_TESTS_TXT), NcclTestsTable.render(rows));
        HgrmExport.write(dir.resolve(RunDirectory.LATENCY_HGRM), merged);
        HlogExport.write(dir.resolve(RunDirectory.LATENCY_HLOG), intervals,
                "collemu segment latency (ns) per sweep step; 1 log second = 1 virtual microsecond");
        PortsCsv.write(dir.resolve(RunDirectory.PORTS_CSV), portRecords);
        Map<String, Object> summary = new LinkedHashMap<>(header);
        summary.put("partial", partial);
        summary.put("inputs", inputs);
        summary.put("engineFigures", engineFigures);
        summary.put("virtualTimePs", endPs - startPs);
        summary.put("latencyNs", LatencyHistograms.figures(merged));
        summary.put("queueingNs", LatencyHistograms.figures(LatencyHistograms.merge(queueing)));
        Map<String, Object> energy = new LinkedHashMap<>();
        double joules = EnergyAccount.totalJoules(portRecords);
        double bits = 0;
        for (CollectiveRecord c : rows) {
            bits += c.bitsMoved();
        }
        energy.put("opticsJoules", joules);
        energy.put("opticsDynamicJoules", EnergyAccount.dynamicJoules(portRecords));
        energy.put("bitsMoved", bits);
        energy.put("pjPerBitMoved", bits == 0 ? null : joules / bits * 1e12);
        summary.put("energy", energy);
        summary.put("collectives", SummaryJson.collectiveFigures(rows));
        SummaryJson.write(dir.resolve(RunDirectory.SUMMARY_JSON), summary);
    }
}

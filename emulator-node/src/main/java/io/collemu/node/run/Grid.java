package io.collemu.node.run;

import io.collemu.node.engine.Engine;
import io.collemu.results.CollectiveRecord;
import io.collemu.results.CollectivesCsv;
import io.collemu.results.ComparisonReport;
import io.collemu.results.LatencyHistograms;
import io.collemu.results.RunDirectory;
import io.collemu.results.RunOutcome;
import io.collemu.results.SizeAggregate;
import io.collemu.results.TableCsv;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.model.Topology;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * {@code collemu sweep}: a grid of runs (topologies x link models x workloads x seeds), one after another on one
 * engine, each into {@code point-NNN/} of the sweep directory, then one {@code grid.csv} over the grid (a row per
 * point and size), a {@code report.html} with the grid's charts, and {@code grid.txt} listing the points. It is
 * resumable: a point whose directory already holds a complete run ({@code "partial": false}) is read back, not
 * run again, so a grid interrupted half way picks up where it stopped.
 */
public final class Grid {
    /** The file that names a sweep's points, one per line, so that a resume can check it is the same grid. */
    public static final String POINTS_FILE = "grid.txt";
    /** The grid's results, a row per point and size. */
    public static final String CSV = "grid.csv";

    private Grid() {
    }

    /** One run of the grid. */
    public record Point(String label, RunSettings settings) {
    }

    /**
     * What one point measured.
     *
     * @param resumed whether it was read back from an earlier, interrupted sweep
     */
    public record PointResult(Point point, Path dir, RunOutcome outcome, boolean resumed) {
    }

    /** What the sweep measured. */
    public record Result(Path dir, List<PointResult> points) {
    }

    /**
     * Runs (or reads back) every point into {@code dir}: a new sweep directory, or one to resume.
     *
     * @throws UserError if {@code dir} holds another grid's points
     */
    public static Result run(List<Point> points, Path dir, boolean resume, RunListener listener) throws IOException {
        List<Session> sessions = new ArrayList<>();
        for (Point p : points) {
            sessions.add(new Session(p.settings(), Runtime.getRuntime().maxMemory()));
        }
        writePointList(dir, points, resume);
        List<PointResult> out = new ArrayList<>();
        Engine engine = null;
        try {
            for (int i = 0; i < points.size(); i++) {
                Point p = points.get(i);
                Path pointDir = dir.resolve(String.format(Locale.ROOT, "point-%03d", i + 1));
                if (isComplete(pointDir)) {
                    out.add(new PointResult(p, pointDir, readBack(p, pointDir, sessions.get(i)), true));
                    continue;
                }
                if (engine == null) {
                    engine = Engines.create(p.settings().engine());
                }
                RunResult r = sessions.get(i).run(engine, pointDir, listener);
                out.add(new PointResult(p, pointDir, Records.outcome(p.label(), r), false));
                writeGrid(dir, out);
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
        writeGrid(dir, out);
        ComparisonReport.write(dir.resolve(RunDirectory.REPORT_HTML), out.stream().map(PointResult::outcome)
                .toList(), "collemu sweep: " + points.size() + " points", Map.of("points", String.valueOf(
                        points.size()), "first", points.get(0).label()));
        return new Result(dir, out);
    }

    private static void writePointList(Path dir, List<Point> points, boolean resume) throws IOException {
        StringBuilder list = new StringBuilder();
        for (Point p : points) {
            list.append(p.label()).append('\n');
        }
        Path file = dir.resolve(POINTS_FILE);
        if (resume && Files.exists(file)) {
            if (!Files.readString(file, StandardCharsets.UTF_8).equals(list.toString())) {
                throw new UserError("--resume: " + dir + " holds another grid (its " + POINTS_FILE
                        + " lists other points); give the same flags, or start a new sweep");
            }
            return;
        }
        Files.createDirectories(dir);
        Files.writeString(file, list.toString(), StandardCharsets.UTF_8);
    }

    /** Whether a point directory holds a finished run. */
    static boolean isComplete(Path pointDir) throws IOException {
        Path summary = pointDir.resolve(RunDirectory.SUMMARY_JSON);
        if (!Files.isRegularFile(summary)) {
            return false;
        }
        String s = Files.readString(summary, StandardCharsets.UTF_8);
        return s.matches("(?s).*\"partial\"\\s*:\\s*false.*");
    }

    /** A finished point's records and latency histogram, read from its files (latency.hlog is lossless). */
    private static RunOutcome readBack(Point p, Path pointDir, Session s) throws IOException {
        List<CollectiveRecord> rows = CollectivesCsv.read(pointDir.resolve(RunDirectory.COLLECTIVES_CSV));
        List<Histogram> parts = new ArrayList<>();
        try {
            HistogramLogReader reader = new HistogramLogReader(pointDir.resolve(RunDirectory.LATENCY_HLOG).toFile());
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (h instanceof Histogram hist) {
                    parts.add(hist);
                }
            }
        } catch (FileNotFoundException e) {
            throw new UserError("--resume: " + pointDir + " has no " + RunDirectory.LATENCY_HLOG);
        }
        double joules = 0;
        double bits = 0;
        for (CollectiveRecord c : rows) {
            joules += c.energyJoules();
            bits += c.bitsMoved();
        }
        Topology t = s.assembly().topology();
        Inventory inv = Inventory.of(t);
        return new RunOutcome(p.label(), rows, LatencyHistograms.merge(parts), inv.opticsIdleWatts(),
                inv.opticsLoadedWatts(), joules, bits);
    }

    private static void writeGrid(Path dir, List<PointResult> done) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            PointResult pr = done.get(i);
            Map<String, Object> in = pr.point().settings().inputs();
            for (SizeAggregate a : SizeAggregate.of(pr.outcome().collectives())) {
                rows.add(List.of(i + 1, pr.point().label(), String.valueOf(in.getOrDefault("topology", "")),
                        String.valueOf(in.getOrDefault("link", "")), a.kind(), a.algorithm(),
                        String.valueOf(in.getOrDefault("seed", "")), a.sizeBytes(), a.ranks(),
                        a.meanDurationPs() / 1e6, a.algbwGBps(), a.busbwGBps(), a.meanEnergyJoules(),
                        a.bitsMoved() == 0 ? 0.0 : a.energyJoules() / a.bitsMoved() * 1e12));
            }
        }
        TableCsv.write(dir.resolve(CSV), List.of("point", "label", "topology", "link", "kind", "algorithm", "seed",
                "size_bytes", "ranks", "time_us", "algbw_gbps", "busbw_gbps", "energy_j", "pj_per_bit"), rows);
    }

    /**
     * Expands every {@code {a,b,...}} of a template into one string per combination, in order (the first brace
     * varies slowest): {@code rail-optimized:gpus={128,1024}} gives two specs.
     */
    public static List<String> expand(String template) {
        int open = template.indexOf('{');
        if (open < 0) {
            return List.of(template);
        }
        int close = template.indexOf('}', open);
        if (close < 0) {
            throw new UserError("--topology: '" + template + "' opens a { it never closes");
        }
        List<String> out = new ArrayList<>();
        for (String choice : template.substring(open + 1, close).split(",", -1)) {
            if (choice.isBlank()) {
                throw new UserError("--topology: '" + template + "' has an empty choice in {...}");
            }
            for (String rest : expand(template.substring(close + 1))) {
                out.add(template.substring(0, open) + choice.trim() + rest);
            }
        }
        return out;
    }

    /** The settings' inputs with the point's axes, in the order the grid lists them. */
    public static Map<String, Object> axes(String topology, String link, String workload, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topology", topology);
        m.put("link", link);
        m.put("workload", workload);
        m.put("seed", seed);
        return m;
    }
}

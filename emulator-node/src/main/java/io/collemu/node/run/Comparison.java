package io.collemu.node.run;

import io.collemu.node.engine.Engine;
import io.collemu.profiles.IterationResult;
import io.collemu.results.ComparisonReport;
import io.collemu.results.RunDirectory;
import io.collemu.results.RunOutcome;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.model.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code collemu compare}: the same workload on the same topology with the same seed, once per link model, each
 * into its own subdirectory, and a self-contained report.html side by side. Every link's run is validated before
 * any runs; one engine serves them all.
 */
public final class Comparison {
    private Comparison() {
    }

    /**
     * One link model's run.
     *
     * @param failuresPerDay expected optics hard failures of the fabric per day (presets' rate x optical ends)
     */
    public record LinkRun(String link, RunResult result, RunOutcome outcome, double failuresPerDay) {
    }

    /** What a comparison measured; the first link is the baseline. */
    public record Result(Path dir, Path report, List<LinkRun> links) {
    }

    /** The means over a profile job's measured (not warm-up) iterations. */
    public record StepMeans(double iterationUs, double exposedCommUs, double opticsJoulesPerIteration) {
    }

    /**
     * Runs {@code base} once per link in {@code links} (two or more, distinct).
     *
     * @throws UserError if fewer than two distinct links are given, or for an unusable output folder
     */
    public static Result run(RunSettings base, List<String> links, RunListener listener) throws IOException {
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(links));
        if (distinct.size() < 2) {
            throw new UserError("--link: give two or more different presets, e.g. pluggable-dsp-800g,cpo-1.6t");
        }
        List<Session> sessions = new ArrayList<>();
        for (String link : distinct) {
            sessions.add(new Session(base.withLink(link), Runtime.getRuntime().maxMemory()));
        }
        Path dir = Runner.createRunDirectory(base.runsRoot());
        listener.started(dir, sessions.get(0).assembly().topology());
        List<LinkRun> out = new ArrayList<>();
        try (Engine engine = Engines.create(base.engine())) {
            for (int i = 0; i < distinct.size(); i++) {
                Session s = sessions.get(i);
                RunResult r = s.run(engine, dir.resolve(distinct.get(i)), listener);
                Topology t = s.assembly().topology();
                out.add(new LinkRun(distinct.get(i), r, Records.outcome(distinct.get(i), r),
                        Inventory.of(t).expectedHardFailuresPerHour() * 24));
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        base.inputs().forEach((k, v) -> inputs.put(k, String.valueOf(v)));
        inputs.put("link", String.join(",", distinct));
        Path report = dir.resolve(RunDirectory.REPORT_HTML);
        String title = "collemu compare: " + (base.workload() instanceof ProfileSpec p ? p.source() + ", " : "")
                + String.join(" vs ", distinct);
        ComparisonReport.write(report, out.stream().map(LinkRun::outcome).toList(), title, inputs);
        return new Result(dir, report, out);
    }

    /** The jobs of a profile result, in order of first appearance. */
    public static List<String> jobs(RunResult.Profile p) {
        List<String> jobs = new ArrayList<>();
        for (IterationResult it : p.run().iterations()) {
            if (!jobs.contains(it.job())) {
                jobs.add(it.job());
            }
        }
        return jobs;
    }

    /** Means over the measured iterations of {@code job}. */
    public static StepMeans stepMeans(RunResult.Profile p, String job) {
        double time = 0;
        double exposed = 0;
        double joules = 0;
        int n = 0;
        List<IterationResult> its = p.run().iterations();
        for (int i = 0; i < its.size(); i++) {
            IterationResult it = its.get(i);
            if (!it.job().equals(job) || it.warmup()) {
                continue;
            }
            time += it.durationPs() / 1e6;
            exposed += it.exposedCommPs() / 1e6;
            joules += p.iterationJoules()[i];
            n++;
        }
        return n == 0 ? new StepMeans(0, 0, 0) : new StepMeans(time / n, exposed / n, joules / n);
    }
}

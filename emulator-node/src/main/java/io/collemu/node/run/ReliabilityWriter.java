package io.collemu.node.run;

import io.collemu.results.ComparisonReport;
import io.collemu.results.RunOutcome;
import io.collemu.results.TableCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a reliability campaign: reliability.json (everything), reliability.csv (a row per link model),
 * failure-classes.csv (a row per link model and failure class), and report.html (the healthy iteration's charts,
 * then the reliability and cost sections); and renders the text tables for stdout. Stateless.
 */
public final class ReliabilityWriter {
    private ReliabilityWriter() {
    }

    /** Writes every file into {@code dir}. */
    public static void write(Path dir, Reliability.Spec spec, List<Reliability.LinkResult> results,
            Map<String, Object> inputs) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("collemuVersion", Version.VERSION);
        summary.put("inputs", inputs);
        summary.put("reliability", Reliability.summary(spec, results));
        summary.put("assumed", assumed(spec, results));
        List<List<Object>> rows = new ArrayList<>();
        List<List<Object>> classRows = new ArrayList<>();
        for (Reliability.LinkResult r : results) {
            rows.add(List.of(r.link(), r.meanInterruptions(), q(r.interruptions(), 0.05), q(r.interruptions(), 0.95),
                    r.meanLostGpuHours(), q(r.lostGpuHours(), 0.05), q(r.lostGpuHours(), 0.95), r.goodput(),
                    r.checkpointHours(), r.opticsWatts(), r.opticsKwh(), r.capex().optics(), r.capex().switches(),
                    r.energyDollars(), r.downtimeDollars(), r.totalPerRun(), r.totalPerYear()));
            for (Reliability.ClassResult c : r.classes()) {
                classRows.add(List.of(r.link(), c.failureClass().name(), c.failureClass().count(),
                        c.failureClass().ratePerHour(), c.eventsPerRun(), c.effect().name().toLowerCase(Locale.ROOT),
                        c.failureClass().ports().size() / 2, c.failureClass().servers(),
                        c.failureClass().repairHours(), c.failureClass().waitsRepair(), c.slowdown()));
            }
        }
        TableCsv.write(dir.resolve("reliability.csv"), List.of("link", "interruptions_mean", "interruptions_p5",
                "interruptions_p95", "lost_gpu_hours_mean", "lost_gpu_hours_p5", "lost_gpu_hours_p95", "goodput",
                "checkpoint_interval_hours", "optics_watts", "optics_kwh", "capex_optics_usd", "capex_switches_usd",
                "energy_usd", "downtime_usd", "total_per_run_usd", "total_per_year_usd"), rows);
        TableCsv.write(dir.resolve("failure-classes.csv"), List.of("link", "class", "elements", "per_hour",
                "events_per_run", "effect", "links_down", "servers_isolated", "repair_hours", "waits_for_repair",
                "slowdown"), classRows);
        List<RunOutcome> outcomes = results.stream().map(Reliability.LinkResult::outcome).toList();
        Map<String, String> in = new LinkedHashMap<>();
        inputs.forEach((k, v) -> in.put(k, String.valueOf(v)));
        ComparisonReport.write(dir.resolve("report.html"), outcomes, "collemu reliability: " + spec.topology().spec()
                + ", " + spec.days() + " days", in, sections(spec, results));
        io.collemu.results.Json.write(dir.resolve("reliability.json"), summary);
    }

    private static double q(double[] sorted, double p) {
        return Reliability.LinkResult.quantile(sorted, p);
    }

    private static List<String> assumed(Reliability.Spec spec, List<Reliability.LinkResult> results) {
        List<String> a = new ArrayList<>(List.of("failure and flap rates of the presets", "repair times",
                "restart and checkpoint stall", "CPO laser share and blast radius"));
        CostModel c = spec.costs() != null ? spec.costs() : CostModel.defaults(0);
        for (String k : c.assumptions()) {
            a.add("cost " + k);
        }
        return a;
    }

    private static List<ComparisonReport.Section> sections(Reliability.Spec spec,
            List<Reliability.LinkResult> results) {
        List<String> names = results.stream().map(Reliability.LinkResult::link).toList();
        List<List<String>> rel = new ArrayList<>();
        double[][] lost = new double[1][results.size()];
        for (int i = 0; i < results.size(); i++) {
            Reliability.LinkResult r = results.get(i);
            lost[0][i] = r.meanLostGpuHours();
            rel.add(List.of(r.link(), f1(r.meanInterruptions()) + " (" + f0(q(r.interruptions(), 0.05)) + "-"
                    + f0(q(r.interruptions(), 0.95)) + ")", f0(r.meanLostGpuHours()) + " (" + f0(q(r.lostGpuHours(),
                    0.05)) + "-" + f0(q(r.lostGpuHours(), 0.95)) + ")", pct(r.goodput()), f1(r.checkpointHours() * 60),
                    f0(r.opticsKwh())));
        }
        List<List<String>> cost = new ArrayList<>();
        double[][] parts = new double[3][results.size()];
        for (int i = 0; i < results.size(); i++) {
            Reliability.LinkResult r = results.get(i);
            double capexShare = r.totalPerRun() - r.energyDollars() - r.downtimeDollars();
            parts[0][i] = capexShare;
            parts[1][i] = r.energyDollars();
            parts[2][i] = r.downtimeDollars();
            cost.add(List.of(r.link(), usd(r.capex().optics()), usd(r.capex().switches()), usd(r.energyDollars()),
                    usd(r.downtimeDollars()), usd(r.totalPerRun()), usd(r.totalPerYear())));
        }
        String note = "Assumed (not measured, override with --costs and the flags): " + String.join("; ",
                assumed(spec, results)) + ".";
        return List.of(
                new ComparisonReport.Section("chart-reliability", "Reliability over " + spec.days() + " days ("
                        + spec.trials() + " trials)", List.of("link model", "interruptions (90%)",
                        "lost GPU-hours (90%)", "goodput", "checkpoint every (min)", "optics kWh"), rel,
                        "Lost GPU-hours per run (mean)", "GPU-h", names, List.of("lost GPU-hours"), lost, note),
                new ComparisonReport.Section("chart-cost", "Cost per training run", List.of("link model",
                        "capex optics", "capex switches", "energy/run", "downtime/run", "total/run", "total/year"),
                        cost, "Cost per run: capital share, energy, downtime (USD)", "USD", names,
                        List.of("capital (share of lifetime)", "energy", "downtime"), parts, note));
    }

    /** The text tables for stdout. */
    public static String text(Reliability.Spec spec, List<Reliability.LinkResult> results) {
        StringBuilder b = new StringBuilder();
        Reliability.LinkResult base = results.get(0);
        b.append(String.format(Locale.ROOT, "# %d GPUs; iteration emulated healthy: %.1f us (%s)%n",
                base.topology().gpuCount(), base.healthyIterationUs(), spec.iteration().source()));
        b.append(String.format(Locale.ROOT, "%-22s %22s %24s %9s %12s %10s%n", "link model", "interruptions (90%)",
                "lost GPU-hours (90%)", "goodput", "ckpt (min)", "optics kWh"));
        for (Reliability.LinkResult r : results) {
            b.append(String.format(Locale.ROOT, "%-22s %22s %24s %9s %12.1f %10.0f%n", r.link(),
                    f2(r.meanInterruptions()) + " (" + f0(q(r.interruptions(), 0.05)) + "-"
                            + f0(q(r.interruptions(), 0.95)) + ")",
                    f0(r.meanLostGpuHours()) + " (" + f0(q(r.lostGpuHours(), 0.05)) + "-"
                            + f0(q(r.lostGpuHours(), 0.95)) + ")", pct(r.goodput()), r.checkpointHours() * 60,
                    r.opticsKwh()));
        }
        b.append("# cost per training run and per year, USD (assumed prices unless --costs gives them)\n");
        b.append(String.format(Locale.ROOT, "%-22s %14s %14s %12s %12s %12s %12s %9s%n", "link model",
                "capex optics", "capex switch", "energy/run", "downtime/run", "total/run", "total/year", "vs first"));
        for (Reliability.LinkResult r : results) {
            b.append(String.format(Locale.ROOT, "%-22s %14s %14s %12s %12s %12s %12s %9s%n", r.link(),
                    usd(r.capex().optics()), usd(r.capex().switches()), usd(r.energyDollars()),
                    usd(r.downtimeDollars()), usd(r.totalPerRun()), usd(r.totalPerYear()),
                    r == base ? "" : String.format(Locale.ROOT, "%+.1f%%",
                            (r.totalPerRun() / base.totalPerRun() - 1) * 100)));
        }
        b.append("# failure classes (").append(base.link()).append("): per run, effect, slowdown when degraded\n");
        for (Reliability.ClassResult c : base.classes()) {
            b.append(String.format(Locale.ROOT, "#   %-64s %8.3f  %-12s %s%n", c.failureClass().name(),
                    c.eventsPerRun(), c.effect().name().toLowerCase(Locale.ROOT)
                            + (c.failureClass().waitsRepair() ? "+repair" : ""),
                    c.effect() == FailureClasses.Effect.DEGRADED ? String.format(Locale.ROOT, "x%.4f", c.slowdown())
                            : ""));
        }
        b.append("# assumed: ").append(String.join("; ", assumed(spec, results))).append('\n');
        return b.toString();
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.3f%%", v * 100);
    }

    private static String usd(double v) {
        return String.format(Locale.ROOT, "$%,.0f", v);
    }
}

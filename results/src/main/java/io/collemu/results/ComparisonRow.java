package io.collemu.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * One line of the comparison between link models: a figure measured once per run, the same lines feeding the
 * text table ({@link ComparisonTable}) and the HTML report ({@link ComparisonReport}). Immutable.
 *
 * @param section        group of lines, e.g. "completion time"
 * @param metric         what is measured, e.g. "all-reduce 1 MiB (8 ranks)"
 * @param unit           unit of the values, e.g. "us"
 * @param higherIsBetter true for bandwidths, false for times, latencies, power and energy
 * @param values         one value per run in the runs' order; NaN where a run has no such figure
 */
public record ComparisonRow(String section, String metric, String unit, boolean higherIsBetter,
                            List<Double> values) {

    public ComparisonRow {
        values = List.copyOf(values);
    }

    /** @return (value of run i - value of run 0) / value of run 0 x 100; NaN when either is missing or run 0 is 0 */
    public double percentVsFirst(int run) {
        double base = values.get(0);
        double v = values.get(run);
        if (!Double.isFinite(base) || !Double.isFinite(v) || base == 0) {
            return Double.NaN;
        }
        return (v - base) / Math.abs(base) * 100.0;
    }

    /** @return every comparison line for {@code runs}, the first run being the reference */
    public static List<ComparisonRow> of(List<RunOutcome> runs) {
        List<ComparisonRow> rows = new ArrayList<>();
        Map<String, List<SizeAggregate>> bySize = sizeTable(runs);
        bySize.forEach((metric, perRun) -> rows.add(new ComparisonRow("completion time", metric, "us", false,
            perRun.stream().map(a -> a == null ? Double.NaN : a.meanTimeUs()).toList())));
        bySize.forEach((metric, perRun) -> rows.add(new ComparisonRow("bus bandwidth", metric, "GB/s", true,
            perRun.stream().map(a -> a == null ? Double.NaN : a.busbwGBps()).toList())));
        rows.add(perRun(runs, "workload", "makespan", "us", false, r -> r.makespanPs() / 1e6));
        rows.add(latency(runs, "p50", 50.0));
        rows.add(latency(runs, "p99", 99.0));
        rows.add(latency(runs, "p99.9", 99.9));
        rows.add(perRun(runs, "segment latency", "max", "ns", false, r -> emptyAsNaN(r.latency(),
            r.latency().getMaxValue())));
        rows.add(perRun(runs, "optics power", "idle", "W", false, RunOutcome::opticsIdleWatts));
        rows.add(perRun(runs, "optics power", "loaded", "W", false, RunOutcome::opticsLoadedWatts));
        rows.add(perRun(runs, "energy", "optics energy", "J", false, RunOutcome::energyJoules));
        rows.add(perRun(runs, "energy", "per bit moved", "pJ/bit", false, RunOutcome::picojoulesPerBit));
        return rows;
    }

    /** @return "1 MiB", "64 KiB", "3 B": the binary prefix nccl-tests sizes are usually given in */
    public static String sizeLabel(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1 && (bytes % (1L << (10 * (u + 1)))) == 0) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%d %s", (long) v, units[u]);
    }

    /** (kind size (ranks)) to the aggregate of each run, null where a run did not run it; first run's order first. */
    static Map<String, List<SizeAggregate>> sizeTable(List<RunOutcome> runs) {
        Map<String, List<SizeAggregate>> table = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (SizeAggregate a : SizeAggregate.of(runs.get(i).collectives())) {
                String metric = a.kind() + " " + sizeLabel(a.sizeBytes()) + " (" + a.ranks() + " ranks)";
                List<SizeAggregate> perRun = table.computeIfAbsent(metric, k -> {
                    List<SizeAggregate> empty = new ArrayList<>();
                    runs.forEach(r -> empty.add(null));
                    return empty;
                });
                perRun.set(i, a);
            }
        }
        return table;
    }

    private static ComparisonRow latency(List<RunOutcome> runs, String metric, double percentile) {
        return perRun(runs, "segment latency", metric, "ns", false,
            r -> emptyAsNaN(r.latency(), r.latency().getValueAtPercentile(percentile)));
    }

    private static double emptyAsNaN(Histogram h, long value) {
        return h.getTotalCount() == 0 ? Double.NaN : value;
    }

    private static ComparisonRow perRun(List<RunOutcome> runs, String section, String metric, String unit,
                                        boolean higherIsBetter, ToDoubleFunction<RunOutcome> figure) {
        return new ComparisonRow(section, metric, unit, higherIsBetter,
            runs.stream().map(r -> figure.applyAsDouble(r)).toList());
    }
}

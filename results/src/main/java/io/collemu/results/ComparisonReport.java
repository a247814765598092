package io.collemu.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.HistogramIterationValue;

/**
 * {@code report.html} of {@code collemu compare}: one self-contained page (inline CSS, inline SVG, a few lines
 * of inline script, no URL of any kind) comparing runs of the same workload with different link models.
 *
 * <pre>
 *  inputs table
 *  svg#chart-latency   segment latency by percentile, x = 1/(1-p) on a log scale (HdrHistogram's plot)
 *  svg#chart-time      mean completion time by size, log-log
 *  svg#chart-busbw     busbw by size
 *  svg#chart-power     optics power of the fabric, idle and loaded
 *  svg#chart-energy    optics energy of the run
 *  svg#chart-pjbit     energy per bit moved end to end
 *  table#differences   every figure per run and its difference in percent relative to the first run
 * </pre>
 *
 * The inline script only checks the page: it sets {@code body[data-ready="ok"]} when every chart is present and
 * records script errors in {@code html[data-errors]}, which the headless-browser test reads. Works for a single
 * run too (no differences then). Stateless and thread-safe.
 */
public final class ComparisonReport {

    /** The id of every chart, in page order. */
    public static final List<String> CHART_IDS = List.of("chart-latency", "chart-time", "chart-busbw",
        "chart-power", "chart-energy", "chart-pjbit");

    private ComparisonReport() {
    }

    /**
     * @param runs   the runs, the first being the reference of the percentages
     * @param title  page title, e.g. "collemu compare: all-reduce on fat-tree k=8"
     * @param inputs what was run (workload, topology, seed, ...), shown as a table in this order
     * @return the whole page
     */
    public static String html(List<RunOutcome> runs, String title, Map<String, String> inputs) {
        return html(runs, title, inputs, List.of());
    }

    /**
     * A table with a bar chart, added after the standard sections (reliability, cost).
     *
     * @param id       the chart's element id
     * @param columns  the table's header
     * @param rows     the table's rows (text, already formatted)
     * @param unit     the chart's value unit
     * @param series   one bar series per entry (e.g. cost parts), values[series][category]
     * @param note     a line under the table (e.g. which figures are assumed), or null
     */
    public record Section(String id, String heading, List<String> columns, List<List<String>> rows, String chartTitle,
                          String unit, List<String> categories, List<String> series, double[][] values, String note) {
    }

    /** As {@link #html(List, String, Map)}, with extra sections after the standard ones. */
    public static String html(List<RunOutcome> runs, String title, Map<String, String> inputs,
                              List<Section> extra) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("compare report: no run to show");
        }
        StringBuilder page = new StringBuilder(64 * 1024);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .append(Html.escape(title)).append("</title>\n");
        // first thing on the page, so that an error anywhere below is recorded for the page check
        page.append("<script>window.onerror=function(m,s,l){var d=document.documentElement;"
            + "d.setAttribute('data-errors',(d.getAttribute('data-errors')||'')+m+' (line '+l+'); ');};</script>\n");
        page.append("<style>").append(CSS).append("</style>\n</head>\n<body data-ready=\"pending\">\n");
        page.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        page.append("<p class=\"lead\">").append(runs.size()).append(" link model").append(runs.size() > 1 ? "s" : "")
            .append(": ").append(legendText(runs)).append(". Differences are relative to <b>")
            .append(Html.escape(runs.get(0).label())).append("</b>. Times are virtual time.</p>\n");
        inputs(page, inputs);
        section(page, "Segment latency by percentile", latencyChart(runs));
        section(page, "Completion time by size", timeChart(runs));
        section(page, "Bus bandwidth by size (nccl-tests busbw)", busbwChart(runs));
        section(page, "Optics power of the fabric", powerChart(runs));
        section(page, "Optics energy", energyCharts(runs));
        differences(page, runs);
        for (Section x : extra) {
            StringBuilder body = new StringBuilder();
            if (x.values() != null && !x.categories().isEmpty()) {
                body.append(SvgChart.bars(x.id(), x.chartTitle(), x.unit(), x.categories(), x.series(), x.values(),
                    null));
            }
            body.append("<table id=\"").append(Html.escape(x.id())).append("-table\"><thead><tr>");
            for (String c : x.columns()) {
                body.append("<th>").append(Html.escape(c)).append("</th>");
            }
            body.append("</tr></thead><tbody>");
            for (List<String> row : x.rows()) {
                body.append("<tr>");
                for (int i = 0; i < row.size(); i++) {
                    body.append(i == 0 ? "<th>" : "<td class=\"num\">").append(Html.escape(row.get(i)))
                        .append(i == 0 ? "</th>" : "</td>");
                }
                body.append("</tr>");
            }
            body.append("</tbody></table>");
            if (x.note() != null) {
                body.append("<p class=\"lead\">").append(Html.escape(x.note())).append("</p>");
            }
            section(page, x.heading(), body.toString());
        }
        page.append("<details><summary>Same table as text</summary><pre id=\"text-table\">")
            .append(Html.escape(ComparisonTable.render(runs))).append("</pre></details>\n");
        page.append("<script>\n").append(CHECK_SCRIPT.replace("%IDS%", idsArray())).append("</script>\n");
        page.append("</body>\n</html>\n");
        return page.toString();
    }

    /** Writes {@link #html} to {@code p} (UTF-8), replacing an existing file. */
    public static void write(Path p, List<RunOutcome> runs, String title, Map<String, String> inputs)
        throws IOException {
        Files.writeString(p, html(runs, title, inputs), StandardCharsets.UTF_8);
    }

    /** Writes the page with extra sections. */
    public static void write(Path p, List<RunOutcome> runs, String title, Map<String, String> inputs,
                             List<Section> extra) throws IOException {
        Files.writeString(p, html(runs, title, inputs, extra), StandardCharsets.UTF_8);
    }

    private static String legendText(List<RunOutcome> runs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            parts.add("<span class=\"swatch\" style=\"background:" + SvgChart.color(i) + "\"></span>"
                + Html.escape(runs.get(i).label()));
        }
        return String.join(", ", parts);
    }

    private static void inputs(StringBuilder page, Map<String, String> inputs) {
        page.append("<section><h2>Inputs</h2>\n<table id=\"inputs\">");
        inputs.forEach((k, v) -> page.append("<tr><th>").append(Html.escape(k)).append("</th><td>")
            .append(Html.escape(String.valueOf(v))).append("</td></tr>"));
        page.append("</table></section>\n");
    }

    private static void section(StringBuilder page, String heading, String body) {
        page.append("<section><h2>").append(Html.escape(heading)).append("</h2>\n").append(body).append("\n</section>\n");
    }

    private static String latencyChart(List<RunOutcome> runs) {
        List<SvgChart.Series> series = new ArrayList<>();
        double maxX = 10;
        double maxY = 0;
        for (int i = 0; i < runs.size(); i++) {
            RunOutcome run = runs.get(i);
            List<SvgChart.Point> points = new ArrayList<>();
            if (run.latency().getTotalCount() > 0) {
                for (HistogramIterationValue v : run.latency().percentiles(HgrmExport.TICKS_PER_HALF_DISTANCE)) {
                    double p = v.getPercentileLevelIteratedTo();
                    if (p >= 100.0) {
                        // 1/(1-p) is infinite at 100%: HdrHistogram's plots stop before it too
                        continue;
                    }
                    double x = 1.0 / (1.0 - p / 100.0);
                    points.add(new SvgChart.Point(x, v.getValueIteratedTo(),
                        String.format(java.util.Locale.ROOT, "p%.4f = %d ns", p, v.getValueIteratedTo())));
                    maxX = Math.max(maxX, x);
                }
                maxY = Math.max(maxY, run.latency().getMaxValue());
            }
            series.add(new SvgChart.Series(run.label(), SvgChart.color(i), "", points));
        }
        return SvgChart.line("chart-latency", "Segment latency (ns) by percentile",
            SvgChart.percentileAxis(maxX), SvgChart.linearAxis(0, maxY > 0 ? maxY * 1.05 : 1, "latency (ns)"),
            series);
    }

    private static String timeChart(List<RunOutcome> runs) {
        return sizeChart(runs, "chart-time", "Mean completion time (us) by size, log-log", true, "time (us)");
    }

    private static String busbwChart(List<RunOutcome> runs) {
        return sizeChart(runs, "chart-busbw", "busbw (GB/s) by size", false, "busbw (GB/s)");
    }

    private static String sizeChart(List<RunOutcome> runs, String id, String title, boolean time, String yLabel) {
        List<SvgChart.Series> series = new ArrayList<>();
        Set<String> kinds = new LinkedHashSet<>();
        runs.forEach(r -> r.collectives().forEach(c -> kinds.add(c.kind())));
        List<String> kindOrder = new ArrayList<>(kinds);
        long minSize = Long.MAX_VALUE;
        long maxSize = 1;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (int i = 0; i < runs.size(); i++) {
            List<SizeAggregate> all = SizeAggregate.of(runs.get(i).collectives());
            for (String kind : kindOrder) {
                List<SvgChart.Point> points = new ArrayList<>();
                for (SizeAggregate a : all) {
                    if (!a.kind().equals(kind)) {
                        continue;
                    }
                    double y = time ? a.meanTimeUs() : a.busbwGBps();
                    if (!Double.isFinite(y) || (time && y <= 0)) {
                        continue;
                    }
                    points.add(new SvgChart.Point(a.sizeBytes(), y, kind + " " + ComparisonRow.sizeLabel(a.sizeBytes())
                        + " (" + a.ranks() + " ranks): " + ComparisonTable.number(y) + (time ? " us" : " GB/s")));
                    minSize = Math.min(minSize, a.sizeBytes());
                    maxSize = Math.max(maxSize, a.sizeBytes());
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
                String name = kindOrder.size() > 1 ? runs.get(i).label() + " " + kind : runs.get(i).label();
                series.add(new SvgChart.Series(name, SvgChart.color(i), SvgChart.dash(kindOrder.indexOf(kind)),
                    points));
            }
        }
        if (minSize == Long.MAX_VALUE) {
            minSize = 1;
            minY = 1;
            maxY = 10;
        }
        SvgChart.Axis x = SvgChart.sizeAxis(minSize, maxSize, "size per rank (bytes, log scale)");
        SvgChart.Axis y = time
            ? SvgChart.decadeAxis(Math.max(minY, 1e-6), Math.max(maxY, Math.max(minY, 1e-6) * 10), yLabel)
            : SvgChart.linearAxis(0, maxY > 0 ? maxY * 1.1 : 1, yLabel);
        return SvgChart.line(id, title, x, y, series);
    }

    private static String powerChart(List<RunOutcome> runs) {
        double[][] values = new double[2][runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            values[0][i] = runs.get(i).opticsIdleWatts();
            values[1][i] = runs.get(i).opticsLoadedWatts();
        }
        return SvgChart.bars("chart-power", "Optics power of the fabric (W), idle and loaded", "W", labels(runs),
            List.of("idle", "loaded"), values, List.of("#7a7a7a", "#0072B2"));
    }

    private static String energyCharts(List<RunOutcome> runs) {
        double[][] joules = new double[1][runs.size()];
        double[][] pj = new double[1][runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            joules[0][i] = runs.get(i).energyJoules();
            pj[0][i] = runs.get(i).picojoulesPerBit();
        }
        return SvgChart.bars("chart-energy", "Optics energy of the run (J)", "J", labels(runs), List.of("energy"),
            joules, null)
            + "\n" + SvgChart.bars("chart-pjbit", "Optics energy per bit moved end to end (pJ/bit)", "pJ/bit",
            labels(runs), List.of("pJ/bit"), pj, null);
    }

    private static List<String> labels(List<RunOutcome> runs) {
        return runs.stream().map(RunOutcome::label).toList();
    }

    private static void differences(StringBuilder page, List<RunOutcome> runs) {
        page.append("<section><h2>Differences</h2>\n<table id=\"differences\"><thead><tr><th>metric</th><th>unit</th>");
        for (int i = 0; i < runs.size(); i++) {
            page.append("<th>").append(Html.escape(runs.get(i).label())).append("</th>");
            if (i > 0) {
                page.append("<th>vs ").append(Html.escape(runs.get(0).label())).append("</th>");
            }
        }
        page.append("</tr></thead><tbody>");
        String section = null;
        int columns = 2 + runs.size() * 2 - 1;
        for (ComparisonRow row : ComparisonRow.of(runs)) {
            if (!row.section().equals(section)) {
                section = row.section();
                page.append("<tr class=\"section\"><th colspan=\"").append(columns).append("\">")
                    .append(Html.escape(section)).append("</th></tr>");
            }
            page.append("<tr><td>").append(Html.escape(row.metric())).append("</td><td>")
                .append(Html.escape(row.unit())).append("</td>");
            for (int i = 0; i < runs.size(); i++) {
                page.append("<td class=\"num\">").append(ComparisonTable.number(row.values().get(i))).append("</td>");
                if (i > 0) {
                    double p = row.percentVsFirst(i);
                    String verdict = !Double.isFinite(p) || Math.abs(p) < 0.05 ? "same"
                        : (p > 0) == row.higherIsBetter() ? "better" : "worse";
                    page.append("<td class=\"num ").append(verdict).append("\">")
                        .append(ComparisonTable.percent(p)).append("</td>");
                }
            }
            page.append("</tr>");
        }
        page.append("</tbody></table></section>\n");
    }

    private static String idsArray() {
        StringBuilder ids = new StringBuilder("[");
        for (String id : CHART_IDS) {
            ids.append(ids.length() > 1 ? "," : "").append('\'').append(id).append('\'');
        }
        return ids.append(']').toString();
    }

    private static final String CHECK_SCRIPT = """
        (function () {
          var ids = %IDS%, found = 0;
          ids.forEach(function (id) {
            var el = document.getElementById(id);
            if (el && el.tagName.toLowerCase() === 'svg' && el.childElementCount > 0) { found++; }
          });
          document.body.setAttribute('data-charts', String(found));
          document.body.setAttribute('data-ready', found === ids.length ? 'ok' : 'missing-charts');
        })();
        """;

    private static final String CSS = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1180px;\
        color:#222;background:#fff}
        h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.4em 0 .4em}
        .lead{color:#444}.swatch{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 .1em;\
        vertical-align:-.1em;border-radius:2px}
        table{border-collapse:collapse;font-size:.9em}th,td{padding:3px 10px;border-bottom:1px solid #e3e3e3;\
        text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
        tr.section th{background:#f2f4f7;text-transform:capitalize}
        .better{color:#0a7a32}.worse{color:#b3261e}.same{color:#777}
        svg.chart{display:block;max-width:100%;height:auto;background:#fcfcfd;border:1px solid #e3e3e3;\
        margin:6px 0}
        svg .grid{stroke:#e6e6e6;stroke-width:1}svg .frame{stroke:#999}svg text{font-size:12px;fill:#333}
        svg .chart-title{font-size:14px;font-weight:600}svg .axis-label{font-size:12px;fill:#555}
        svg .value{font-size:11px;fill:#333}svg .no-data{font-size:16px;fill:#999}
        pre{font-size:12px;background:#f7f7f7;padding:8px;overflow:auto}
        """;
}

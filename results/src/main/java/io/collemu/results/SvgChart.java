package io.collemu.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG line and bar charts for the HTML report, drawn entirely here so that the page needs no script
 * library and no network. Each point and bar carries a {@code <title>} tooltip. Stateless and thread-safe.
 */
final class SvgChart {

    static final int WIDTH = 1120;
    static final int HEIGHT = 380;
    private static final int LEFT = 90;
    private static final int RIGHT = 230;
    private static final int TOP = 36;
    private static final int BOTTOM = 56;

    /** Colours of runs, in order; colour-blind friendly (Okabe-Ito). */
    static final List<String> PALETTE = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
        "#56B4E9", "#000000", "#F0E442");
    private static final List<String> DASHES = List.of("", "6 4", "2 3", "8 3 2 3");

    record Point(double x, double y, String tip) {
    }

    record Series(String name, String color, String dash, List<Point> points) {
    }

    record Tick(double value, String label) {
    }

    /** An axis: a range, linear or log10, with its ticks. */
    record Axis(double min, double max, boolean log, String label, List<Tick> ticks) {

        double fraction(double v) {
            if (log) {
                return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
            }
            return (v - min) / (max - min);
        }

        boolean accepts(double v) {
            return Double.isFinite(v) && (!log || v > 0);
        }
    }

    private SvgChart() {
    }

    static String color(int run) {
        return PALETTE.get(run % PALETTE.size());
    }

    static String dash(int index) {
        return DASHES.get(index % DASHES.size());
    }

    static String line(String id, String title, Axis x, Axis y, List<Series> series) {
        StringBuilder svg = open(id, title);
        frame(svg, x, y);
        boolean any = false;
        for (Series s : series) {
            List<Point> drawn = s.points().stream().filter(p -> x.accepts(p.x()) && y.accepts(p.y())).toList();
            if (drawn.isEmpty()) {
                continue;
            }
            any = true;
            StringBuilder path = new StringBuilder();
            for (Point p : drawn) {
                path.append(path.length() == 0 ? "M" : " L").append(fmt(px(x, p.x()))).append(',')
                    .append(fmt(py(y, p.y())));
            }
            svg.append("<g class=\"series\" data-series=\"").append(Html.escape(s.name())).append("\">");
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.color())
                .append("\" stroke-width=\"2\"");
            if (!s.dash().isEmpty()) {
                svg.append(" stroke-dasharray=\"").append(s.dash()).append('"');
            }
            svg.append("/>");
            for (Point p : drawn) {
                svg.append("<circle cx=\"").append(fmt(px(x, p.x()))).append("\" cy=\"").append(fmt(py(y, p.y())))
                    .append("\" r=\"3\" fill=\"").append(s.color()).append("\"><title>")
                    .append(Html.escape(s.name() + ": " + p.tip())).append("</title></circle>");
            }
            svg.append("</g>");
        }
        if (!any) {
            noData(svg);
        }
        legend(svg, series.stream().map(Series::name).toList(), series.stream().map(Series::color).toList(),
            series.stream().map(Series::dash).toList());
        return svg.append("</svg>").toString();
    }

    /**
     * Grouped bars: one group per category (a run), one bar per series within it.
     *
     * @param values values[series][category]
     * @param colors one colour per series, or null to colour bars by category (run)
     */
    static String bars(String id, String title, String unit, List<String> categories, List<String> seriesNames,
                       double[][] values, List<String> colors) {
        StringBuilder svg = open(id, title);
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        Axis y = linearAxis(0, max > 0 ? max * 1.1 : 1, unit);
        Axis x = new Axis(0, 1, false, "", List.of());
        frame(svg, x, y);
        int plotWidth = WIDTH - LEFT - RIGHT;
        double groupWidth = plotWidth / (double) Math.max(1, categories.size());
        double barWidth = Math.min(70, groupWidth * 0.8 / Math.max(1, seriesNames.size()));
        for (int c = 0; c < categories.size(); c++) {
            double groupLeft = LEFT + c * groupWidth + (groupWidth - barWidth * seriesNames.size()) / 2;
            for (int s = 0; s < seriesNames.size(); s++) {
                double v = values[s][c];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double top = py(y, v);
                String fill = colors == null ? color(c) : colors.get(s);
                svg.append("<rect x=\"").append(fmt(groupLeft + s * barWidth)).append("\" y=\"").append(fmt(top))
                    .append("\" width=\"").append(fmt(barWidth - 2)).append("\" height=\"")
                    .append(fmt(HEIGHT - BOTTOM - top)).append("\" fill=\"").append(fill)
                    .append(colors != null && s > 0 ? "\" fill-opacity=\"0.55" : "").append("\"><title>")
                    .append(Html.escape(categories.get(c) + " " + seriesNames.get(s) + ": "
                        + ComparisonTable.number(v) + " " + unit)).append("</title></rect>");
                svg.append(text(groupLeft + s * barWidth + barWidth / 2, top - 4, "middle", "value",
                    ComparisonTable.number(v)));
            }
            svg.append(text(LEFT + c * groupWidth + groupWidth / 2, HEIGHT - BOTTOM + 18, "middle", "tick",
                categories.get(c)));
        }
        if (colors != null) {
            List<String> dashes = new ArrayList<>();
            seriesNames.forEach(n -> dashes.add(""));
            legend(svg, seriesNames, colors, dashes);
        }
        return svg.append("</svg>").toString();
    }

    static Axis linearAxis(double min, double max, String label) {
        if (!(max > min)) {
            max = min + 1;
        }
        double raw = (max - min) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                step = m * magnitude;
                break;
            }
        }
        List<Tick> ticks = new ArrayList<>();
        for (double v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
            ticks.add(new Tick(v, tickLabel(v)));
        }
        return new Axis(min, max, false, label, ticks);
    }

    /** A log10 axis over [min, max] with a tick per decade, widened to whole decades. */
    static Axis decadeAxis(double min, double max, String label) {
        double lo = Math.pow(10, Math.floor(Math.log10(min)));
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        if (hi <= lo) {
            hi = lo * 10;
        }
        List<Tick> ticks = new ArrayList<>();
        for (double v = lo; v <= hi * 1.0001; v *= 10) {
            ticks.add(new Tick(v, tickLabel(v)));
        }
        return new Axis(lo, hi, true, label, ticks);
    }

    /** A log axis over sizes in bytes with ticks at powers of two, labelled with binary prefixes. */
    static Axis sizeAxis(long minBytes, long maxBytes, String label) {
        double lo = Math.max(1, minBytes) / 2.0;
        double hi = Math.max(1, maxBytes) * 2.0;
        int first = (int) Math.ceil(Math.log(lo) / Math.log(2));
        int last = (int) Math.floor(Math.log(hi) / Math.log(2));
        int step = Math.max(1, (last - first + 1) / 12 + 1);
        List<Tick> ticks = new ArrayList<>();
        for (int e = first; e <= last; e += step) {
            long v = 1L << Math.min(62, Math.max(0, e));
            ticks.add(new Tick(v, ComparisonRow.sizeLabel(v)));
        }
        return new Axis(lo, hi, true, label, ticks);
    }

    /** The x axis of a percentile plot: 1/(1-p) on a log scale, labelled in percent as HdrHistogram plots are. */
    static Axis percentileAxis(double maxX) {
        List<Tick> ticks = new ArrayList<>();
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%", "99.99999%"};
        double hi = 10;
        for (int i = 0; i < labels.length; i++) {
            double v = Math.pow(10, i);
            ticks.add(new Tick(v, labels[i]));
            hi = v;
            if (v >= maxX) {
                break;
            }
        }
        return new Axis(1, Math.max(10, hi), true, "percentile (log scale of 1/(1-p))", ticks);
    }

    private static StringBuilder open(String id, String title) {
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg id=\"").append(id).append("\" class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(WIDTH)
            .append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
            .append("\" aria-label=\"").append(Html.escape(title)).append("\">");
        svg.append("<title>").append(Html.escape(title)).append("</title>");
        svg.append(text(LEFT, 22, "start", "chart-title", title));
        return svg;
    }

    private static void frame(StringBuilder svg, Axis x, Axis y) {
        int bottom = HEIGHT - BOTTOM;
        int right = WIDTH - RIGHT;
        for (Tick t : y.ticks()) {
            double yy = py(y, t.value());
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(right)
                .append("\" y1=\"").append(fmt(yy)).append("\" y2=\"").append(fmt(yy)).append("\"/>");
            svg.append(text(LEFT - 6, yy + 4, "end", "tick", t.label()));
        }
        for (Tick t : x.ticks()) {
            double xx = px(x, t.value());
            svg.append("<line class=\"grid\" x1=\"").append(fmt(xx)).append("\" x2=\"").append(fmt(xx))
                .append("\" y1=\"").append(TOP).append("\" y2=\"").append(bottom).append("\"/>");
            svg.append(text(xx, bottom + 18, "middle", "tick", t.label()));
        }
        svg.append("<rect class=\"frame\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
            .append(right - LEFT).append("\" height=\"").append(bottom - TOP).append("\" fill=\"none\"/>");
        if (!x.label().isEmpty()) {
            svg.append(text((LEFT + right) / 2.0, HEIGHT - 12, "middle", "axis-label", x.label()));
        }
        svg.append("<text class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(18,")
            .append((TOP + bottom) / 2).append(") rotate(-90)\">").append(Html.escape(y.label())).append("</text>");
    }

    private static void legend(StringBuilder svg, List<String> names, List<String> colors, List<String> dashes) {
        int x = WIDTH - RIGHT + 16;
        for (int i = 0; i < names.size(); i++) {
            int y = TOP + 10 + i * 20;
            svg.append("<line x1=\"").append(x).append("\" x2=\"").append(x + 26).append("\" y1=\"").append(y)
                .append("\" y2=\"").append(y).append("\" stroke=\"").append(colors.get(i))
                .append("\" stroke-width=\"3\"");
            if (!dashes.get(i).isEmpty()) {
                svg.append(" stroke-dasharray=\"").append(dashes.get(i)).append('"');
            }
            svg.append("/>");
            svg.append(text(x + 32, y + 4, "start", "legend", names.get(i)));
        }
    }

    private static void noData(StringBuilder svg) {
        svg.append(text((LEFT + WIDTH - RIGHT) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0, "middle", "no-data",
            "no data"));
    }

    private static String text(double x, double y, String anchor, String cssClass, String content) {
        return "<text class=\"" + cssClass + "\" x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor
            + "\">" + Html.escape(content) + "</text>";
    }

    private static double px(Axis x, double v) {
        return LEFT + x.fraction(v) * (WIDTH - LEFT - RIGHT);
    }

    private static double py(Axis y, double v) {
        return HEIGHT - BOTTOM - y.fraction(v) * (HEIGHT - TOP - BOTTOM);
    }

    /** @return a tick value without trailing zeros: 0.25, 10, 1e+09 */
    static String tickLabel(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e7 || a < 1e-4)) {
            return String.format(Locale.ROOT, "%.0e", v);
        }
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros()
            .toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

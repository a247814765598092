package io.collemu.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text form of {@code collemu compare}, printed to stdout: per (kind, size) the mean completion time and
 * busbw of each run, then segment latency p50/p99/p99.9/max, makespan, optics power idle and loaded, energy and
 * pJ/bit, each run's value followed (from the second run on) by its difference in percent relative to the first
 * run. Stateless and thread-safe.
 */
public final class ComparisonTable {

    private ComparisonTable() {
    }

    /** @return the table, lines ending with "\n" */
    public static String render(List<RunOutcome> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("compare: no run to show");
        }
        List<ComparisonRow> rows = ComparisonRow.of(runs);
        List<String[]> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("metric", "unit"));
        for (int i = 0; i < runs.size(); i++) {
            header.add(runs.get(i).label());
            if (i > 0) {
                header.add("vs " + runs.get(0).label());
            }
        }
        String section = null;
        for (ComparisonRow row : rows) {
            if (!row.section().equals(section)) {
                section = row.section();
                cells.add(new String[] {"[" + section + "]"});
            }
            List<String> line = new ArrayList<>(List.of(row.metric(), row.unit()));
            for (int i = 0; i < runs.size(); i++) {
                line.add(number(row.values().get(i)));
                if (i > 0) {
                    line.add(percent(row.percentVsFirst(i)));
                }
            }
            cells.add(line.toArray(String[]::new));
        }
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
        }
        for (String[] line : cells) {
            if (line.length == widths.length) {
                for (int c = 0; c < line.length; c++) {
                    widths[c] = Math.max(widths[c], line[c].length());
                }
            }
        }
        StringBuilder out = new StringBuilder(2048);
        out.append("collemu compare: ").append(runs.size()).append(" link models; percentages are differences"
            + " relative to ").append(runs.get(0).label()).append('\n');
        appendLine(out, header.toArray(String[]::new), widths);
        for (String[] line : cells) {
            if (line.length == 1) {
                out.append(line[0]).append('\n');
            } else {
                appendLine(out, line, widths);
            }
        }
        return out.toString();
    }

    /** @return a value with about 4 significant digits, "-" when missing */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e7 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** @return "+12.3%", "-4.0%", or "n/a" */
    static String percent(double p) {
        return Double.isFinite(p) ? String.format(Locale.ROOT, "%+.1f%%", p) : "n/a";
    }

    private static void appendLine(StringBuilder out, String[] line, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < line.length; c++) {
            if (c > 0) {
                l.append("  ");
            }
            String cell = line[c];
            // text columns flush left, figures flush right so that digits line up
            if (c < 2) {
                l.append(cell).append(" ".repeat(widths[c] - cell.length()));
            } else {
                l.append(" ".repeat(widths[c] - cell.length())).append(cell);
            }
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }
}

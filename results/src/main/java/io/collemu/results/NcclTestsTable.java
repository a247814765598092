package io.collemu.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code nccl-tests.txt}: the collectives in nccl-tests' layout (columns size, count, type, redop, root,
 * time(us), algbw(GB/s), busbw(GB/s), #wrong, with nccl-tests' widths and time precision), one table per
 * (kind, ranks), one line per size with the time averaged over instances as nccl-tests averages over its
 * iterations (see {@link SizeAggregate}). The emulator runs one buffer placement, so only the out-of-place block
 * is printed, and #wrong is always 0; the header comment says both. Each table ends with nccl-tests'
 * {@code # Avg bus bandwidth    : x} trailer so that scripts parsing nccl-tests logs read this file too.
 * Stateless and thread-safe.
 */
public final class NcclTestsTable {

    private NcclTestsTable() {
    }

    /** @return the whole file's text */
    public static String render(List<CollectiveRecord> rows) {
        StringBuilder out = new StringBuilder(1024);
        out.append("# collemu: emulated collectives in nccl-tests' format (virtual time, GB/s = 1e9 bytes/s)\n");
        out.append("# One buffer placement is emulated: only the out-of-place block is printed (in-place would be"
            + " the same); #wrong is always 0.\n");
        out.append("# time is the mean over the instances of a size, as nccl-tests prints the mean over its"
            + " iterations.\n");
        Map<String, List<SizeAggregate>> tables = new LinkedHashMap<>();
        for (SizeAggregate a : SizeAggregate.of(rows)) {
            tables.computeIfAbsent(a.kind() + "\u0000" + a.ranks(), k -> new ArrayList<>()).add(a);
        }
        if (tables.isEmpty()) {
            out.append("#\n# no collective was run\n");
        }
        for (List<SizeAggregate> table : tables.values()) {
            appendTable(out, table);
        }
        return out.toString();
    }

    /**
     * The same figures as JSON, in the spirit of nccl-tests' {@code -J}: one object per (kind, ranks, size) with
     * its test name, size, count, type, redop, root, mean time (us), algbw and busbw (GB/s), #wrong, the instances
     * and, with more than one, i_min, i_max, i_p99 (us) and i_cv (%); failed instances are counted apart.
     */
    public static List<Map<String, Object>> json(List<CollectiveRecord> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SizeAggregate a : SizeAggregate.of(rows)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", testName(a.kind()));
            m.put("ranks", a.ranks());
            m.put("size", a.sizeBytes());
            m.put("count", a.countElements());
            m.put("type", a.type());
            m.put("redop", a.redop());
            m.put("root", a.root());
            m.put("time", finite(a.meanTimeUs()));
            m.put("algbw", finite(a.algbwGBps()));
            m.put("busbw", finite(a.busbwGBps()));
            m.put("wrong", 0);
            m.put("instances", a.instances());
            m.put("failed", a.failed());
            if (a.instances() > 1) {
                m.put("i_min", finite(a.iMinUs()));
                m.put("i_max", finite(a.iMaxUs()));
                m.put("i_p99", finite(a.iP99Us()));
                m.put("i_cv", a.iCvPercent());
            }
            out.add(m);
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Writes {@link #render} to {@code p}, replacing an existing file. */
    public static void write(Path p, List<CollectiveRecord> rows) throws IOException {
        Files.writeString(p, render(rows), StandardCharsets.UTF_8);
    }

    /** @return nccl-tests' binary name for a kind: "all-reduce" gives "all_reduce_perf" */
    public static String testName(String kind) {
        return kind.replace('-', '_') + "_perf";
    }

    private static void appendTable(StringBuilder out, List<SizeAggregate> table) {
        SizeAggregate first = table.get(0);
        int instances = table.stream().mapToInt(SizeAggregate::instances).max().orElse(0);
        out.append("#\n");
        out.append(String.format(Locale.ROOT, "# Collective test: %s (%s, algorithm %s, %d ranks, up to %d"
                + " instances per size)\n", testName(first.kind()), first.kind(),
            table.stream().map(SizeAggregate::algorithm).distinct().reduce((a, b) -> a + "/" + b).orElse(""),
            first.ranks(), instances));
        out.append("#\n");
        out.append(String.format(Locale.ROOT, "# %10s  %12s  %8s  %6s  %6s  %21s\n", "", "", "", "", "",
            "out-of-place"));
        boolean perIteration = instances > 1;
        out.append(String.format(Locale.ROOT, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s", "size", "count",
            "type", "redop", "root", "time", "algbw", "busbw", "#wrong"));
        out.append(perIteration ? String.format(Locale.ROOT, "  %7s  %7s  %7s  %6s\n", "i_min", "i_max", "i_p99",
            "i_cv%") : "\n");
        out.append(String.format(Locale.ROOT, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s", "(B)", "(elements)",
            "", "", "", "(us)", "(GB/s)", "(GB/s)", ""));
        out.append(perIteration ? String.format(Locale.ROOT, "  %7s  %7s  %7s  %6s\n", "(us)", "(us)", "(us)", "")
            : "\n");
        double busbwSum = 0;
        int busbwCount = 0;
        for (SizeAggregate a : table) {
            if (a.failed() == a.instances()) {
                out.append(String.format(Locale.ROOT, "%12d  %12d  %8s  %6s  %6d  %7s  %6s  %6s  %6s\n",
                    a.sizeBytes(), a.countElements(), a.type(), a.redop(), a.root(), " FAILED", "   n/a", "   n/a",
                    "n/a"));
                out.append(String.format(Locale.ROOT, "# FAILED: all %d instances of size %d were interrupted by a"
                    + " fault (see faults.csv)\n", a.instances(), a.sizeBytes()));
                continue;
            }
            out.append(String.format(Locale.ROOT, "%12d  %12d  %8s  %6s  %6d  %7s  %6s  %6s  %6d",
                a.sizeBytes(), a.countElements(), a.type(), a.redop(), a.root(), time(a.meanTimeUs()),
                bandwidth(a.algbwGBps()), bandwidth(a.busbwGBps()), 0));
            out.append(perIteration ? String.format(Locale.ROOT, "  %7s  %7s  %7s  %6.2f\n", time(a.iMinUs()),
                time(a.iMaxUs()), time(a.iP99Us()), a.iCvPercent()) : "\n");
            if (a.failed() > 0) {
                out.append(String.format(Locale.ROOT, "# FAILED: %d of %d instances of size %d were interrupted by"
                    + " a fault (see faults.csv); the time is the mean of the others\n", a.failed(), a.instances(),
                    a.sizeBytes()));
            }
            if (Double.isFinite(a.busbwGBps())) {
                busbwSum += a.busbwGBps();
                busbwCount++;
            }
        }
        out.append("# Out of bounds values : 0 OK\n");
        out.append(String.format(Locale.ROOT, "# Avg bus bandwidth    : %.4f \n",
            busbwCount > 0 ? busbwSum / busbwCount : 0.0));
        out.append("#\n");
        out.append("# Collective test concluded: ").append(testName(first.kind())).append('\n');
    }

    /** nccl-tests' precision: fewer decimals as the time grows, always 7 characters wide when it fits. */
    private static String time(double us) {
        if (us >= 10000.0) {
            return String.format(Locale.ROOT, "%7.0f", us);
        }
        if (us >= 100.0) {
            return String.format(Locale.ROOT, "%7.1f", us);
        }
        return String.format(Locale.ROOT, "%7.2f", us);
    }

    private static String bandwidth(double gbps) {
        return Double.isFinite(gbps) ? String.format(Locale.ROOT, "%6.2f", gbps) : "   n/a";
    }
}

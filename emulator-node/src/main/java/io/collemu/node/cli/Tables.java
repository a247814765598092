package io.collemu.node.cli;

import io.collemu.node.run.RunResult;
import io.collemu.node.run.SizeRun;
import io.collemu.profiles.IterationResult;
import io.collemu.profiles.OpResult;
import io.collemu.results.NcclTestsTable;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Prints what a run measured: nccl-tests' table and latency per size, or a profile's iterations and ops. */
final class Tables {
    private Tables() {
    }

    /** Everything {@code collemu run} prints after a run. */
    static void print(PrintWriter o, RunResult r) {
        if (r.figures().partition() != null) {
            o.printf("# partition: %s%n", r.figures().partition());
            o.printf("# cluster: %s%n", r.figures().cluster());
        }
        if (r instanceof RunResult.Sweep s) {
            printSweep(o, s);
        } else if (r instanceof RunResult.Profile p) {
            printProfile(o, p);
        }
        o.flush();
    }

    private static void printSweep(PrintWriter o, RunResult.Sweep s) {
        o.print(NcclTestsTable.render(s.records()));
        o.print(io.collemu.node.run.RunWriter.choiceTable(s.steps()));
        o.println();
        o.println("# segment latency (ns), end to end, per size");
        o.printf("# %-14s %12s %10s %10s %10s %10s %12s%n", "collective", "size(B)", "p50", "p99", "p99.9", "max",
                "segments");
        for (SizeRun r : s.steps()) {
            Histogram h = r.result().latencyNs();
            o.printf("  %-14s %12d %10d %10d %10d %10d %12d%n", r.kind().cliName(), r.sizeBytes(),
                    h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                    h.getMaxValue(), r.result().segmentsDelivered());
        }
    }

    private static void printProfile(PrintWriter o, RunResult.Profile p) {
        double[] joules = p.iterationJoules();
        o.printf("# %-16s %5s %6s %12s %12s %12s %12s %10s%n", "job", "iter", "warmup", "time(us)", "compute(us)",
                "comm(us)", "exposed(us)", "optics(J)");
        for (int i = 0; i < p.run().iterations().size(); i++) {
            IterationResult it = p.run().iterations().get(i);
            o.printf("  %-16s %5d %6s %12.1f %12.1f %12.1f %12.1f %10.4f%n", it.job(), it.iteration(),
                    it.warmup() ? "yes" : "", it.durationPs() / 1e6, it.computePs() / 1e6, it.commPs() / 1e6,
                    it.exposedCommPs() / 1e6, joules[i]);
        }
        Map<String, double[]> byOp = new LinkedHashMap<>();
        for (OpResult op : p.run().ops()) {
            String key = op.job() + " " + op.op().replaceAll("\\[\\d+]", "[*]") + " " + op.kind();
            double[] acc = byOp.computeIfAbsent(key, k -> new double[3]);
            acc[0] += op.durationPs() / 1e6;
            acc[1]++;
            acc[2] = op.sizeBytes();
        }
        o.println();
        o.printf("# %-48s %8s %14s %12s%n", "collective (job, op, kind)", "count", "mean time(us)", "size(B)");
        for (Map.Entry<String, double[]> e : byOp.entrySet()) {
            double[] a = e.getValue();
            o.printf("  %-48s %8d %14.1f %12d%n", e.getKey(), (long) a[1], a[0] / a[1], (long) a[2]);
        }
    }
}

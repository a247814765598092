package io.collemu.node.run;

import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.PortStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** Everything a run measured, as comparable lines: two runs are identical iff their fingerprints are equal. */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static List<String> of(ExecutionResult r) {
        List<String> out = new ArrayList<>();
        out.add("end " + r.endPs() + " injected " + r.segmentsInjected() + " delivered " + r.segmentsDelivered()
                + " bytes " + r.bytesDelivered() + " events " + r.stats().events());
        out.add("instance starts " + Arrays.toString(r.instanceStartPs()));
        out.add("instance ends " + Arrays.toString(r.instanceEndPs()));
        out.add("latency " + counts(r.latencyNs()));
        out.add("queueing " + counts(r.queueingNs()));
        for (LpReport rep : r.reports()) {
            StringBuilder sb = new StringBuilder("lp " + rep.lp());
            if (rep.taskStartPs() != null) {
                sb.append(" tasks ").append(Arrays.toString(rep.taskStartPs())).append(Arrays.toString(
                        rep.taskEndPs()));
                sb.append(" lat ").append(counts(rep.latencyNs()));
            }
            for (PortStats p : rep.ports()) {
                sb.append(" ").append(p);
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Fails with the first differing line (the whole fingerprints are too long to print). */
    public static void assertSame(List<String> expected, List<String> actual, String what) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError(what + ": first difference at line " + i + ":\n  expected "
                        + clip(expected.get(i)) + "\n  actual   " + clip(actual.get(i)));
            }
        }
        if (expected.size() != actual.size()) {
            throw new AssertionError(what + ": " + expected.size() + " lines vs " + actual.size());
        }
    }

    private static String clip(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    static String counts(Histogram h) {
        StringBuilder sb = new StringBuilder("n=" + h.getTotalCount() + ":");
        for (HistogramIterationValue v : h.recordedValues()) {
            sb.append(' ').append(v.getValueIteratedTo()).append('x').append(v.getCountAtValueIteratedTo());
        }
        return sb.toString();
    }
}

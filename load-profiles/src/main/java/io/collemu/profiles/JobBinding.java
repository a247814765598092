package io.collemu.profiles;

import io.collemu.profiles.expr.Env;
import io.collemu.profiles.layout.ParallelLayout;
import io.collemu.profiles.spec.JobSpec;
import io.collemu.profiles.spec.LayoutSpec;
import io.collemu.profiles.spec.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A job bound to a fabric: its global GPUs, its parallel layout (axes resolved, {@code dp: auto} filled in,
 * placement checked against the servers) and iteration counts. Immutable once built.
 */
record JobBinding(JobSpec spec, int[] gpus, ParallelLayout layout, Map<String, String> placement, int iterations,
        int warmup) {

    static final List<String> PLACEMENTS = List.of("any", "inside-server", "across-servers");

    /**
     * @param env environment with {@code gpuCount} and {@code gpusPerServer} bound (for load-time checks they
     *            may be missing: an {@link io.collemu.profiles.expr.UnboundException} then escapes)
     */
    static JobBinding bind(JobSpec job, Env env, int gpuCount, int gpusPerServer) {
        int[] gpus = GpuList.parse(env.text(job.gpus()), gpuCount, job.gpus().loc(), false);
        Env jobEnv = env.bind("jobGpus", gpus.length);
        ParallelLayout layout = layout(job.layout(), jobEnv, gpus.length);
        Map<String, String> placement = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : job.layout().placement().entrySet()) {
            String p = jobEnv.text(e.getValue()).toLowerCase(Locale.ROOT);
            if (!PLACEMENTS.contains(p)) {
                throw e.getValue().loc().error("'" + p + "' is not a placement (any, inside-server, across-servers)");
            }
            placement.put(e.getKey(), p);
            if (gpusPerServer > 0) {
                checkPlacement(e.getKey(), p, e.getValue(), layout, gpus, gpusPerServer);
            }
        }
        int iterations = jobEnv.integer(job.iterations(), 1, 1_000_000);
        int warmup = jobEnv.integer(job.warmup(), 0, 1_000_000);
        return new JobBinding(job, gpus, layout, placement, iterations, warmup);
    }

    private static ParallelLayout layout(LayoutSpec spec, Env env, int jobGpus) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String axis : List.of("tp", "pp", "ep")) {
            Value v = spec.axes().get(axis);
            sizes.put(axis, v == null ? 1 : env.integer(v, 1, 1 << 22));
        }
        int others = sizes.get("tp") * sizes.get("pp") * sizes.get("ep");
        Value dpValue = spec.axes().get("dp");
        String dpText = dpValue == null ? "auto" : env.text(dpValue).trim();
        String product = "tp*pp*ep = " + sizes.get("tp") + "*" + sizes.get("pp") + "*" + sizes.get("ep");
        if (dpText.equals("auto")) {
            if (jobGpus % others != 0) {
                throw (dpValue == null ? spec.loc() : dpValue.loc()).error(product + " = " + others
                        + " does not divide the job's " + jobGpus + " GPUs");
            }
            sizes.put("dp", jobGpus / others);
        } else {
            int dp = env.integer(dpValue, 1, 1 << 22);
            if ((long) dp * others != jobGpus) {
                throw dpValue.loc().error("dp*tp*pp*ep = " + dp + "*" + sizes.get("tp") + "*" + sizes.get("pp")
                        + "*" + sizes.get("ep") + " = " + (long) dp * others + " GPUs, but the job has " + jobGpus
                        + " (use dp: auto to take what is left)");
            }
            sizes.put("dp", dp);
        }
        return ParallelLayout.of(sizes, spec.order());
    }

    private static void checkPlacement(String axis, String placement, Value at, ParallelLayout layout, int[] gpus,
            int gpusPerServer) {
        if (placement.equals("any")) {
            return;
        }
        List<int[]> groups = layout.groups(List.of(axis));
        for (int gi = 0; gi < groups.size(); gi++) {
            TreeSet<Integer> servers = new TreeSet<>();
            for (int j : groups.get(gi)) {
                servers.add(gpus[j] / gpusPerServer);
            }
            int size = groups.get(gi).length;
            if (placement.equals("inside-server") && servers.size() > 1) {
                throw at.loc().error(axis + " groups must be inside a server, but " + axis + " group " + gi + " ("
                        + size + " GPUs, first GPU " + gpus[groups.get(gi)[0]] + ") spans servers " + servers
                        + " of " + gpusPerServer + " GPUs each (put " + axis + " first in layout.order, make "
                        + axis + " divide " + gpusPerServer + ", or use placement any)");
            }
            if (placement.equals("across-servers") && servers.size() < size) {
                throw at.loc().error(axis + " groups must have each GPU in a different server, but " + axis
                        + " group " + gi + " (first GPU " + gpus[groups.get(gi)[0]] + ") has " + size
                        + " GPUs on " + servers.size() + " server(s) of " + gpusPerServer + " GPUs");
            }
        }
    }

    /** @return the layout as {@link JobInfo#layout()} reports it */
    Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String axis : LayoutSpec.AXES) {
            out.put(axis, layout.size(axis));
        }
        out.put("order", layout.order());
        out.put("placement", java.util.Collections.unmodifiableMap(new LinkedHashMap<>(placement)));
        return out;
    }
}

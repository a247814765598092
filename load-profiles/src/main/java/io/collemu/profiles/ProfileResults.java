package io.collemu.profiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Results arithmetic on the engine's timings of a {@link Plan}: per job and iteration the iteration time and the
 * communication compute did not hide; per collective instance its time.
 *
 * <p>Exposed communication of an iteration = for each GPU of the job, (iteration end - iteration start) minus the
 * time covered by that GPU's compute tasks of the iteration (union of intervals); the maximum over the job's GPUs
 * is reported, and that GPU is the "critical" one for {@code computePs} and {@code commPs}. Iteration start/end
 * = first task start / last task end of the iteration over the job's GPUs.
 *
 * <p>Stateless; thread-safe.
 */
public final class ProfileResults {

    private ProfileResults() {
    }

    /**
     * @param taskStartPs {@code [g][i]}: start of GPU g's i-th task of {@link Plan#tasksByGpu()}
     * @param taskEndPs   {@code [g][i]}: its end
     * @return one result per job and iteration, jobs in plan order, iterations ascending
     * @throws IllegalArgumentException if the arrays do not have the plan's shape
     */
    public static List<IterationResult> iterations(Plan plan, long[][] taskStartPs, long[][] taskEndPs) {
        List<List<PlannedTask>> tasks = plan.tasksByGpu();
        if (taskStartPs.length != tasks.size() || taskEndPs.length != tasks.size()) {
            throw new IllegalArgumentException("timings cover " + taskStartPs.length + "/" + taskEndPs.length
                    + " GPUs, the plan has " + tasks.size());
        }
        for (int g = 0; g < tasks.size(); g++) {
            if (taskStartPs[g].length != tasks.get(g).size() || taskEndPs[g].length != tasks.get(g).size()) {
                throw new IllegalArgumentException("GPU " + g + ": timings for " + taskStartPs[g].length + "/"
                        + taskEndPs[g].length + " tasks, the plan has " + tasks.get(g).size());
            }
        }
        List<IterationResult> out = new ArrayList<>();
        for (JobInfo job : plan.jobs()) {
            int iterations = job.totalIterations();
            long[] start = new long[iterations];
            long[] end = new long[iterations];
            Arrays.fill(start, Long.MAX_VALUE);
            Arrays.fill(end, Long.MIN_VALUE);
            for (int g : job.gpus()) {
                List<PlannedTask> list = tasks.get(g);
                for (int i = 0; i < list.size(); i++) {
                    PlannedTask t = list.get(i);
                    if (t.job().equals(job.name())) {
                        start[t.iteration()] = Math.min(start[t.iteration()], taskStartPs[g][i]);
                        end[t.iteration()] = Math.max(end[t.iteration()], taskEndPs[g][i]);
                    }
                }
            }
            long[] worstExposed = new long[iterations];
            long[] criticalCompute = new long[iterations];
            long[] criticalComm = new long[iterations];
            Arrays.fill(worstExposed, -1);
            for (int g : job.gpus()) {
                List<Intervals> compute = new ArrayList<>();
                List<Intervals> comm = new ArrayList<>();
                for (int it = 0; it < iterations; it++) {
                    compute.add(new Intervals());
                    comm.add(new Intervals());
                }
                List<PlannedTask> list = tasks.get(g);
                for (int i = 0; i < list.size(); i++) {
                    PlannedTask t = list.get(i);
                    if (t.job().equals(job.name())) {
                        (t.isCompute() ? compute : comm).get(t.iteration()).add(taskStartPs[g][i], taskEndPs[g][i]);
                    }
                }
                for (int it = 0; it < iterations; it++) {
                    if (start[it] > end[it]) {
                        continue;
                    }
                    long covered = compute.get(it).unionPs(start[it], end[it]);
                    long exposed = (end[it] - start[it]) - covered;
                    if (exposed > worstExposed[it]) {
                        worstExposed[it] = exposed;
                        criticalCompute[it] = covered;
                        criticalComm[it] = comm.get(it).unionPs(start[it], end[it]);
                    }
                }
            }
            for (int it = 0; it < iterations; it++) {
                boolean empty = start[it] > end[it];
                out.add(new IterationResult(job.name(), it, it < job.warmup(), empty ? 0 : start[it],
                        empty ? 0 : end[it], empty ? 0 : criticalCompute[it], empty ? 0 : worstExposed[it],
                        empty ? 0 : criticalComm[it]));
            }
        }
        return out;
    }

    /**
     * @param collectiveStartPs {@code [c]}: start of collective c of {@link Plan#collectives()}
     * @param collectiveEndPs   {@code [c]}: its end
     * @return one result per collective instance, in id order
     */
    public static List<OpResult> ops(Plan plan, long[] collectiveStartPs, long[] collectiveEndPs) {
        int c = plan.collectives().size();
        if (collectiveStartPs.length != c || collectiveEndPs.length != c) {
            throw new IllegalArgumentException("timings for " + collectiveStartPs.length + "/"
                    + collectiveEndPs.length + " collectives, the plan has " + c);
        }
        List<OpResult> out = new ArrayList<>(c);
        for (PlannedCollective pc : plan.collectives()) {
            out.add(new OpResult(pc.job(), pc.op(), pc.iteration(), pc.schedule().request().kind().cliName(),
                    pc.schedule().request().sizeBytes(), pc.schedule().ranks(), collectiveStartPs[pc.id()],
                    collectiveEndPs[pc.id()]));
        }
        return out;
    }

    /** Intervals [start, end) collected unsorted; the union is measured once. */
    private static final class Intervals {
        private long[] starts = new long[4];
        private long[] ends = new long[4];
        private int size;

        void add(long startPs, long endPs) {
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
            }
            starts[size] = startPs;
            ends[size] = endPs;
            size++;
        }

        /** @return length of the union of the intervals, clipped to [fromPs, toPs] */
        long unionPs(long fromPs, long toPs) {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(starts[a], starts[b]));
            long total = 0;
            long curStart = Long.MIN_VALUE;
            long curEnd = Long.MIN_VALUE;
            for (int k : order) {
                long s = Math.max(starts[k], fromPs);
                long e = Math.min(ends[k], toPs);
                if (e <= s) {
                    continue;
                }
                if (s > curEnd) {
                    if (curEnd > curStart) {
                        total += curEnd - curStart;
                    }
                    curStart = s;
                    curEnd = e;
                } else {
                    curEnd = Math.max(curEnd, e);
                }
            }
            if (curEnd > curStart) {
                total += curEnd - curStart;
            }
            return total;
        }
    }
}

package io.collemu.profiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A tiny timing model for tests: compute takes its duration; a collective starts when all its ranks are ready
 * and takes {@code durationPs(collective)}. Produces the per-task start/end arrays the real engine would.
 */
final class MiniEngine {
    final long[][] startPs;
    final long[][] endPs;
    final long[] collectiveStartPs;
    final long[] collectiveEndPs;

    MiniEngine(Plan plan, ToLongFunction<PlannedCollective> durationPs) {
        int gpus = plan.tasksByGpu().size();
        int c = plan.collectives().size();
        startPs = new long[gpus][];
        endPs = new long[gpus][];
        for (int g = 0; g < gpus; g++) {
            startPs[g] = new long[plan.tasksByGpu().get(g).size()];
            endPs[g] = new long[plan.tasksByGpu().get(g).size()];
            Arrays.fill(endPs[g], -1);
        }
        collectiveStartPs = new long[c];
        collectiveEndPs = new long[c];
        List<List<int[]>> members = new ArrayList<>();
        for (int k = 0; k < c; k++) {
            members.add(new ArrayList<>());
        }
        for (int g = 0; g < gpus; g++) {
            List<PlannedTask> tasks = plan.tasksByGpu().get(g);
            for (int i = 0; i < tasks.size(); i++) {
                if (!tasks.get(i).isCompute()) {
                    members.get(tasks.get(i).collective()).add(new int[] {g, i});
                }
            }
        }
        // Repeatedly settle whatever is ready; the plan is deadlock-free so this terminates.
        int[] next = new int[gpus];
        boolean[] collDone = new boolean[c];
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int g = 0; g < gpus; g++) {
                List<PlannedTask> tasks = plan.tasksByGpu().get(g);
                for (int i = 0; i < tasks.size(); i++) {
                    if (endPs[g][i] >= 0 || ready(tasks.get(i), g) < 0) {
                        continue;
                    }
                    PlannedTask t = tasks.get(i);
                    if (t.isCompute()) {
                        startPs[g][i] = ready(t, g);
                        endPs[g][i] = startPs[g][i] + t.computePs();
                        progress = true;
                    } else if (!collDone[t.collective()]) {
                        long start = 0;
                        boolean all = true;
                        for (int[] m : members.get(t.collective())) {
                            long r = ready(plan.tasksByGpu().get(m[0]).get(m[1]), m[0]);
                            if (r < 0) {
                                all = false;
                                break;
                            }
                            start = Math.max(start, r);
                        }
                        if (all) {
                            long end = start + durationPs.applyAsLong(plan.collectives().get(t.collective()));
                            for (int[] m : members.get(t.collective())) {
                                startPs[m[0]][m[1]] = start;
                                endPs[m[0]][m[1]] = end;
                            }
                            collectiveStartPs[t.collective()] = start;
                            collectiveEndPs[t.collective()] = end;
                            collDone[t.collective()] = true;
                            progress = true;
                        }
                    }
                }
                next[g] = 0;
            }
        }
        for (int g = 0; g < gpus; g++) {
            for (int i = 0; i < endPs[g].length; i++) {
                if (endPs[g][i] < 0) {
                    throw new AssertionError("task " + g + "/" + i + " never ran");
                }
            }
        }
    }

    private long ready(PlannedTask t, int g) {
        long r = 0;
        for (int d : t.deps()) {
            if (endPs[g][d] < 0) {
                return -1;
            }
            r = Math.max(r, endPs[g][d]);
        }
        return r;
    }
}

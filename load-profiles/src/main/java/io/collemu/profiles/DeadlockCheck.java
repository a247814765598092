package io.collemu.profiles;

import io.collemu.profiles.spec.Profile;
import io.collemu.profiles.spec.JobSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Rejects plans that cannot finish: a collective needs all its ranks, so GPU A waiting (by its own task order)
 * for collective X before joining Y while GPU B waits for Y before joining X hangs, as it would in NCCL. The
 * check merges each collective's tasks into one node and runs Kahn's algorithm over the per-GPU dependencies.
 * Stateless; thread-safe.
 */
final class DeadlockCheck {

    private DeadlockCheck() {
    }

    static void check(List<PlannedCollective> collectives, List<List<PlannedTask>> tasks, Profile profile) {
        int c = collectives.size();
        int[] base = new int[tasks.size() + 1];
        for (int g = 0; g < tasks.size(); g++) {
            base[g + 1] = base[g] + tasks.get(g).size();
        }
        int nodes = c + base[tasks.size()];
        int[] indegree = new int[nodes];
        int[] outCount = new int[nodes + 1];
        long edges = 0;
        for (int g = 0; g < tasks.size(); g++) {
            List<PlannedTask> list = tasks.get(g);
            for (int i = 0; i < list.size(); i++) {
                int to = node(list, g, i, c, base);
                for (int d : list.get(i).deps()) {
                    int from = node(list, g, d, c, base);
                    if (from != to) {
                        outCount[from + 1]++;
                        indegree[to]++;
                        edges++;
                    }
                }
            }
        }
        for (int k = 0; k < nodes; k++) {
            outCount[k + 1] += outCount[k];
        }
        int[] targets = new int[Math.toIntExact(edges)];
        int[] fill = Arrays.copyOf(outCount, nodes);
        for (int g = 0; g < tasks.size(); g++) {
            List<PlannedTask> list = tasks.get(g);
            for (int i = 0; i < list.size(); i++) {
                int to = node(list, g, i, c, base);
                for (int d : list.get(i).deps()) {
                    int from = node(list, g, d, c, base);
                    if (from != to) {
                        targets[fill[from]++] = to;
                    }
                }
            }
        }
        int[] queue = new int[nodes];
        int head = 0;
        int tail = 0;
        for (int k = 0; k < nodes; k++) {
            if (indegree[k] == 0) {
                queue[tail++] = k;
            }
        }
        while (head < tail) {
            int k = queue[head++];
            for (int e = outCount[k]; e < outCount[k + 1]; e++) {
                if (--indegree[targets[e]] == 0) {
                    queue[tail++] = targets[e];
                }
            }
        }
        if (tail == nodes) {
            return;
        }
        for (int k = 0; k < c; k++) {
            if (indegree[k] > 0) {
                PlannedCollective stuck = collectives.get(k);
                JobSpec job = profile.jobs().stream().filter(j -> j.name().equals(stuck.job())).findFirst()
                        .orElse(profile.jobs().get(0));
                throw job.loc().error("deadlock: GPUs wait on each other's collectives, e.g. '" + stuck.op()
                        + "' (iteration " + stuck.iteration() + ", GPUs " + Arrays.toString(stuck.gpus())
                        + ") can never start on all its GPUs; check the order of ops (streams, after, recv)"
                        + " across GPUs");
            }
        }
        throw profile.jobs().get(0).loc().error("deadlock between tasks of the plan");
    }

    private static int node(List<PlannedTask> list, int g, int i, int c, int[] base) {
        int collective = list.get(i).collective();
        return collective >= 0 ? collective : c + base[g] + i;
    }
}

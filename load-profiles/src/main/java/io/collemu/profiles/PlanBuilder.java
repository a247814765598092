package io.collemu.profiles;

import io.collemu.profiles.spec.Profile;
import io.collemu.profiles.spec.ProfileException;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;
import io.collemu.collectives.algo.Schedules;
import io.collemu.profiles.ExpandedOp.Peer;
import io.collemu.profiles.ExpandedOp.Type;
import io.collemu.profiles.expr.Env;
import io.collemu.profiles.spec.JobSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Binds a {@link Profile} to a fabric size and expands it into a {@link Plan}: for every job, its GPUs and
 * layout, then for every iteration every operation: compute becomes one task per GPU (scaled by the GPU's
 * straggler factor), a collective one {@link PlannedCollective} per communicator group (schedule built with
 * {@link io.collemu.collectives.algo.Schedules#of}) and one task per member GPU.
 *
 * <p>Dependencies of a GPU's task: the tasks of the same GPU that end the ops it depends on (stream order and
 * {@code after:}); an op with no task on that GPU (a send-recv the GPU is not part of, a one-rank group) passes
 * its own dependencies through. Iterations run back to back per GPU: the first tasks of iteration {@code k+1}
 * depend on the last tasks of iteration {@code k} of the same GPU (no global barrier). Collectives on one-rank
 * groups are skipped. All-to-all-v per-pair sizes are drawn from a stream seeded by (seed, job, op, iteration,
 * group). Finally the plan is checked for cross-GPU deadlock (two GPUs waiting on each other's collectives).
 * Before a job is expanded its tasks are estimated and the plan refused beyond {@link PlanBudget#maxTasks()}.
 *
 * <p>Stateless; thread-safe (each call builds its own state).
 */
public final class PlanBuilder {

    private PlanBuilder() {
    }

    /**
     * @param gpuCount      GPUs of the fabric
     * @param gpusPerServer GPUs per server of the fabric (server of GPU g = g / gpusPerServer); 1 if none
     * @param seed          the run's seed
     * @throws ProfileException e.g. a job that needs more GPUs than the fabric has, a layout that does not
     *                          divide the job's GPUs, a placement the servers cannot satisfy
     */
    public static Plan build(Profile p, int gpuCount, int gpusPerServer, long seed) {
        if (gpuCount < 1 || gpusPerServer < 1) {
            throw new ProfileException("profile '" + p.name() + "': the fabric must have GPUs (got gpuCount "
                    + gpuCount + ", gpusPerServer " + gpusPerServer + ")");
        }
        Env env = new Env(p.params()).bind("gpuCount", gpuCount).bind("gpusPerServer", gpusPerServer).strict();
        State s = new State(gpuCount, gpusPerServer, seed, Stragglers.factors(env, gpuCount));
        long planned = 0;
        for (int j = 0; j < p.jobs().size(); j++) {
            JobSpec spec = p.jobs().get(j);
            JobBinding job = JobBinding.bind(spec, env, gpuCount, gpusPerServer);
            List<ExpandedOp> ops = OpExpander.expand(spec, env.bind("jobGpus", job.gpus().length));
            planned = PlanBudget.check(spec.iterations().loc(), (long) job.iterations() + job.warmup(), ops.size(),
                    PlanBudget.tasksPerIteration(ops, job.gpus().length), planned);
            s.jobs.add(new JobInfo(spec.name(), job.gpus(), job.iterations(), job.warmup(), job.describe()));
            new JobPlanner(s, j, job, ops).plan();
        }
        DeadlockCheck.check(s.collectives, s.tasks, p);
        return new Plan(s.collectives, s.tasks, s.jobs);
    }

    /** What the jobs add to: collectives, per-GPU task lists, the schedule cache. */
    static final class State {
        final int gpuCount;
        final int gpusPerServer;
        final long seed;
        final double[] factor;
        final List<PlannedCollective> collectives = new ArrayList<>();
        final List<List<PlannedTask>> tasks = new ArrayList<>();
        final List<JobInfo> jobs = new ArrayList<>();
        final Map<CollectiveRequest, Schedule> schedules = new HashMap<>();

        State(int gpuCount, int gpusPerServer, long seed, double[] factor) {
            this.gpuCount = gpuCount;
            this.gpusPerServer = gpusPerServer;
            this.seed = seed;
            this.factor = factor;
            for (int g = 0; g < gpuCount; g++) {
                tasks.add(new ArrayList<>());
            }
        }
    }

    /** One job's expansion over its iterations. Not thread-safe; one per job. */
    private static final class JobPlanner {
        private static final int SEND = 1;
        private static final int RECV = 2;

        private final State s;
        private final int jobIndex;
        private final JobBinding job;
        private final List<ExpandedOp> ops;
        private final String jobName;
        private final int n;
        private final int[] localOf;
        private final Map<List<String>, List<int[]>> groups = new HashMap<>();
        private final boolean[] isSink;
        private int[][] prevEnd;

        // per iteration
        private int iteration;
        private boolean warmup;
        private int[][][] done;
        private int[][][] own;
        private final Map<Integer, List<int[]>> sendRecvParts = new HashMap<>();
        private final Map<Integer, long[][]> matrices = new HashMap<>();

        JobPlanner(State s, int jobIndex, JobBinding job, List<ExpandedOp> ops) {
            this.s = s;
            this.jobIndex = jobIndex;
            this.job = job;
            this.ops = ops;
            this.jobName = job.spec().name();
            this.n = job.gpus().length;
            this.localOf = new int[s.gpuCount];
            Arrays.fill(localOf, -1);
            for (int j = 0; j < n; j++) {
                localOf[job.gpus()[j]] = j;
            }
            isSink = new boolean[ops.size()];
            Arrays.fill(isSink, true);
            for (ExpandedOp x : ops) {
                for (int d : x.deps()) {
                    isSink[d] = false;
                }
            }
            prevEnd = new int[n][0];
        }

        void plan() {
            for (iteration = 0; iteration < job.warmup() + job.iterations(); iteration++) {
                warmup = iteration < job.warmup();
                done = new int[ops.size()][][];
                own = new int[ops.size()][n][];
                sendRecvParts.clear();
                matrices.clear();
                for (ExpandedOp x : ops) {
                    switch (x.type()) {
                        case COMPUTE -> compute(x);
                        case RECV -> sendRecvTasks(ops.get(x.recvOf()), x, RECV);
                        case COLLECTIVE -> {
                            if (x.kind() == CollectiveKind.SEND_RECV) {
                                sendRecvTasks(x, x, x.placeholder() >= 0 ? SEND : SEND | RECV);
                            } else {
                                collective(x);
                            }
                        }
                    }
                    finish(x);
                }
                int[][] end = new int[n][];
                for (int j = 0; j < n; j++) {
                    IntList u = new IntList();
                    for (ExpandedOp x : ops) {
                        if (isSink[x.index()]) {
                            u.addAll(done[x.index()][j]);
                        }
                    }
                    end[j] = u.distinctSorted();
                }
                prevEnd = end;
            }
        }

        private int[] start(ExpandedOp x, int j) {
            if (x.deps().length == 0) {
                return prevEnd[j];
            }
            if (x.deps().length == 1) {
                return done[x.deps()[0]][j];
            }
            IntList u = new IntList();
            for (int d : x.deps()) {
                u.addAll(done[d][j]);
            }
            return u.distinctSorted();
        }

        private void finish(ExpandedOp x) {
            int[][] d = new int[n][];
            for (int j = 0; j < n; j++) {
                d[j] = own[x.index()][j] != null ? own[x.index()][j] : start(x, j);
            }
            done[x.index()] = d;
        }

        private void addTask(ExpandedOp x, int j, int collective, int rank, long computePs) {
            int g = job.gpus()[j];
            List<PlannedTask> list = s.tasks.get(g);
            int[] mine = own[x.index()][j];
            // a second task of the same op on this GPU (e.g. receive from one neighbour, send to the other)
            // gets the same deps, not the first one's
            int[] deps = start(x, j);
            list.add(new PlannedTask(collective, rank, computePs, deps, jobName, x.name(), iteration, warmup));
            int index = list.size() - 1;
            if (mine == null) {
                own[x.index()][j] = new int[] {index};
            } else {
                int[] grown = Arrays.copyOf(mine, mine.length + 1);
                grown[mine.length] = index;
                own[x.index()][j] = grown;
            }
        }

        private void compute(ExpandedOp x) {
            for (int j = 0; j < n; j++) {
                long ps = Math.round(x.durationPs() * s.factor[job.gpus()[j]]);
                addTask(x, j, -1, 0, ps);
            }
        }

        private List<int[]> groupsOf(List<String> axes) {
            return groups.computeIfAbsent(axes, a -> {
                List<int[]> out = new ArrayList<>();
                for (int[] local : job.layout().groups(a)) {
                    int[] global = new int[local.length];
                    for (int r = 0; r < local.length; r++) {
                        global[r] = job.gpus()[local[r]];
                    }
                    out.add(global);
                }
                return out;
            });
        }

        private void collective(ExpandedOp x) {
            List<int[]> gs = groupsOf(x.axes());
            for (int gi = 0; gi < gs.size(); gi++) {
                int[] gpus = gs.get(gi);
                if (gpus.length < 2) {
                    continue;
                }
                long[] pairBytes = x.kind() == CollectiveKind.ALL_TO_ALL_V ? matrix(x, gi, gpus.length) : null;
                CollectiveRequest request = request(x, x.sizeBytes(), gpus, pairBytes, null);
                int id = addCollective(x, request, gpus);
                for (int r = 0; r < gpus.length; r++) {
                    addTask(x, localOf[gpus[r]], id, r, 0);
                }
            }
        }

        /**
         * Tasks of a send-recv {@code sr} placed at op {@code at} (the send-recv itself, or its {@code recv}
         * placeholder) for the participants whose role matches {@code roles}.
         */
        private void sendRecvTasks(ExpandedOp sr, ExpandedOp at, int roles) {
            for (int[] part : sendRecvParts.computeIfAbsent(sr.index(), k -> createSendRecv(sr))) {
                // part = {collective, global gpu, rank, role}
                if ((part[3] & roles) != 0) {
                    addTask(at, localOf[part[1]], part[0], part[2], 0);
                }
            }
        }

        private List<int[]> createSendRecv(ExpandedOp x) {
            List<int[]> parts = new ArrayList<>();
            for (int[] gpus : groupsOf(x.axes())) {
                if (x.peer() != null) {
                    int step = x.peer() == Peer.NEXT ? 1 : -1;
                    for (int r = 0; r < gpus.length; r++) {
                        int to = r + step;
                        if (to < 0 || to >= gpus.length) {
                            continue;
                        }
                        int[] pair = {gpus[r], gpus[to]};
                        int id = addCollective(x, request(x, x.sizeBytes(), pair, null, new int[] {0, 1}), pair);
                        parts.add(new int[] {id, pair[0], 0, SEND});
                        parts.add(new int[] {id, pair[1], 1, RECV});
                    }
                } else {
                    explicitPairs(x, gpus, parts);
                }
            }
            return parts;
        }

        private void explicitPairs(ExpandedOp x, int[] gpus, List<int[]> parts) {
            int[] pairs = x.pairs();
            int[] roleOfRank = new int[gpus.length];
            for (int k = 0; k < pairs.length; k++) {
                if (pairs[k] >= gpus.length) {
                    throw x.spec().loc().sub("pairs").error("rank " + pairs[k] + " is outside the communicator "
                            + x.communicator() + " of " + gpus.length + " ranks");
                }
                roleOfRank[pairs[k]] |= k % 2 == 0 ? SEND : RECV;
            }
            int[] newRank = new int[gpus.length];
            List<Integer> members = new ArrayList<>();
            for (int r = 0; r < gpus.length; r++) {
                newRank[r] = roleOfRank[r] == 0 ? -1 : members.size();
                if (roleOfRank[r] != 0) {
                    members.add(r);
                }
            }
            int[] sub = new int[members.size()];
            for (int m = 0; m < sub.length; m++) {
                sub[m] = gpus[members.get(m)];
            }
            int[] remapped = new int[pairs.length];
            for (int k = 0; k < pairs.length; k++) {
                remapped[k] = newRank[pairs[k]];
            }
            int id = addCollective(x, request(x, x.sizeBytes(), sub, null, remapped), sub);
            for (int m = 0; m < sub.length; m++) {
                int role = roleOfRank[members.get(m)];
                parts.add(new int[] {id, sub[m], m, (role & SEND) != 0 ? SEND : RECV});
            }
        }

        private CollectiveRequest request(ExpandedOp x, long sizeBytes, int[] gpus, long[] pairBytes, int[] pairs) {
            try {
                return new CollectiveRequest(x.kind(), x.algorithm(), sizeBytes, gpus.length, x.channels(), x.root(),
                        localGpusPerServer(gpus, s.gpusPerServer), pairBytes, pairs);
            } catch (CollectiveException e) {
                throw x.spec().loc().error("op '" + x.name() + "' on " + x.communicator() + " (" + gpus.length
                        + " ranks): " + e.getMessage());
            }
        }

        private int addCollective(ExpandedOp x, CollectiveRequest request, int[] gpus) {
            Schedule schedule = s.schedules.get(request);
            if (schedule == null) {
                try {
                    schedule = Schedules.of(request);
                } catch (CollectiveException e) {
                    throw x.spec().loc().error("op '" + x.name() + "': " + e.getMessage());
                }
                s.schedules.put(request, schedule);
            }
            int id = s.collectives.size();
            s.collectives.add(new PlannedCollective(id, jobName, x.name(), iteration, warmup, schedule, gpus));
            return id;
        }

        /** Per-pair sizes of an all-to-all-v: drawn for the dispatch, transposed for its combine. */
        private long[] matrix(ExpandedOp x, int group, int ranks) {
            if (x.transposeOf() >= 0) {
                long[] m = matrix(ops.get(x.transposeOf()), group, ranks);
                long[] t = new long[m.length];
                for (int a = 0; a < ranks; a++) {
                    for (int b = 0; b < ranks; b++) {
                        t[a * ranks + b] = m[b * ranks + a];
                    }
                }
                return t;
            }
            long[][] byGroup = matrices.computeIfAbsent(x.index(), k -> new long[groupsOf(x.axes()).size()][]);
            if (byGroup[group] == null) {
                long seed = SeedMix.mix(s.seed, jobIndex, x.name().hashCode(), iteration, group);
                byGroup[group] = PairMatrix.draw(x.sizeBytes(), ranks, x.skew(), seed);
            }
            return byGroup[group];
        }
    }

    /**
     * GPUs per server as the hierarchical algorithm sees the group: the length of the run of leading ranks on
     * rank 0's server, if every such run is one whole server-local block; 1 otherwise.
     */
    static int localGpusPerServer(int[] gpus, int gpusPerServer) {
        int block = 1;
        while (block < gpus.length && gpus[block] / gpusPerServer == gpus[0] / gpusPerServer) {
            block++;
        }
        if (block == 1 || gpus.length % block != 0) {
            return 1;
        }
        java.util.Set<Integer> servers = new java.util.HashSet<>();
        for (int start = 0; start < gpus.length; start += block) {
            int server = gpus[start] / gpusPerServer;
            if (!servers.add(server)) {
                return 1;
            }
            for (int r = start; r < start + block; r++) {
                if (gpus[r] / gpusPerServer != server) {
                    return 1;
                }
            }
        }
        return block;
    }

    /** A growable int array; avoids boxing when merging dependency lists. */
    static final class IntList {
        private int[] a = new int[8];
        private int size;

        void addAll(int[] values) {
            if (size + values.length > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, size + values.length));
            }
            System.arraycopy(values, 0, a, size, values.length);
            size += values.length;
        }

        int[] distinctSorted() {
            int[] out = Arrays.copyOf(a, size);
            Arrays.sort(out);
            int k = 0;
            for (int i = 0; i < out.length; i++) {
                if (k == 0 || out[k - 1] != out[i]) {
                    out[k++] = out[i];
                }
            }
            return k == out.length ? out : Arrays.copyOf(out, k);
        }
    }

    /** Seeds of named random streams: SplitMix64 over the inputs, so streams do not overlap by accident. */
    static final class SeedMix {
        private SeedMix() {
        }

        static long mix(long... parts) {
            long h = 0x9E3779B97F4A7C15L;
            for (long p : parts) {
                h = mix64(h ^ mix64(p + 0x9E3779B97F4A7C15L));
            }
            return h;
        }

        private static long mix64(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /**
     * MoE-like uneven all-to-all-v matrices: each destination (expert) gets a popularity {@code exp(skew*N(0,1))},
     * each pair a further {@code exp(skew/2*N(0,1))}; every source's row is scaled to exactly {@code rowBytes}
     * (largest remainders get the leftover bytes). {@code skew = 0} gives equal blocks.
     */
    static final class PairMatrix {
        private PairMatrix() {
        }

        static long[] draw(long rowBytes, int n, double skew, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] popularity = new double[n];
            for (int d = 0; d < n; d++) {
                popularity[d] = Math.exp(skew * gaussian(random));
            }
            long[] m = new long[n * n];
            double[] w = new double[n];
            Integer[] byFraction = new Integer[n];
            for (int src = 0; src < n; src++) {
                double sum = 0;
                for (int d = 0; d < n; d++) {
                    w[d] = popularity[d] * Math.exp(0.5 * skew * gaussian(random));
                    sum += w[d];
                }
                long assigned = 0;
                double[] fraction = new double[n];
                for (int d = 0; d < n; d++) {
                    double exact = rowBytes * (w[d] / sum);
                    long floor = (long) Math.floor(exact);
                    m[src * n + d] = floor;
                    fraction[d] = exact - floor;
                    assigned += floor;
                    byFraction[d] = d;
                }
                Arrays.sort(byFraction, (a, b) -> fraction[a] != fraction[b] ? Double.compare(fraction[b], fraction[a])
                        : Integer.compare(a, b));
                for (long k = 0; k < rowBytes - assigned; k++) {
                    m[src * n + byFraction[(int) (k % n)]]++;
                }
            }
            return m;
        }

        /** Box-Muller on the stream's doubles: stable across JDK versions, unlike nextGaussian's algorithm. */
        private static double gaussian(SplittableRandom random) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
    }
}

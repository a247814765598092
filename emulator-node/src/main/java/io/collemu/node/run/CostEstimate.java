package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Schedule;
import io.collemu.node.lp.Fabric;
import io.collemu.profiles.Plan;
import io.collemu.profiles.PlannedCollective;
import java.util.SplittableRandom;

/**
 * What a run will cost, estimated before it runs, so that an input that cannot fit the heap or would run for
 * days is refused with one line that says what to lower, instead of an out-of-memory crash or a silent hang.
 *
 * <ul>
 *   <li>Events: every segment costs about 2 events per hop (arrival, serialization end) plus a credit per switch
 *       hop and a delivery: {@code segments x (3 x hops)}, with segments = bytes sent / segment size, at least one
 *       per send op, and the mean hop count from a sample of routes.</li>
 *   <li>Memory: the model keeps, per GPU and collective instance, a few longs per op of its rank (receive
 *       progress, stream lists): {@value #BYTES_PER_OP} bytes per op, plus {@value #BYTES_PER_LP} per LP.</li>
 * </ul>
 *
 * @param events      estimated events of the whole run
 * @param heapBytes   estimated heap of the largest emulation (they run one after another)
 */
public record CostEstimate(double events, double heapBytes) {
    /**
     * Heap per op of a rank, per instance: a long of receive progress for every op and an int in its stream's
     * list for every send (half the ops), with a margin for the dependency caches.
     */
    static final long BYTES_PER_OP = 12;
    /** Heap per LP: ports, queues, histograms (a GPU's two HdrHistograms dominate). */
    static final long BYTES_PER_LP = 8 << 10;
    /** Events beyond which a run is refused: about 3 hours at 10 M events/s. */
    public static final double MAX_EVENTS = 1e11;

    /** The estimate of one sweep on a fabric. */
    static CostEstimate sweep(ModelAssembly a, SweepSpec sweep, long segmentBytes) {
        double hops = meanHops(a.fabric());
        double events = 0;
        double heap = 0;
        for (CollectiveKind kind : sweep.kinds()) {
            for (long size : sweep.sizesBytes()) {
                Schedule s = a.schedule(sweep, kind, size);
                double ops = opCount(s);
                double segments = Math.max(ops / 2, s.totalBytesSent() / (double) segmentBytes);
                events += sweep.iterations() * segments * 3 * hops;
                heap = Math.max(heap, sweep.iterations() * ops * BYTES_PER_OP);
            }
        }
        return new CostEstimate(events, heap + (double) a.fabric().lpCount() * BYTES_PER_LP);
    }

    /** The estimate of a profile's plan. */
    static CostEstimate profile(ModelAssembly a, Plan plan, long segmentBytes) {
        double hops = meanHops(a.fabric());
        double events = 0;
        double ops = 0;
        for (PlannedCollective c : plan.collectives()) {
            double o = opCount(c.schedule());
            ops += o;
            events += Math.max(o / 2, c.schedule().totalBytesSent() / (double) segmentBytes) * 3 * hops;
        }
        return new CostEstimate(events, ops * BYTES_PER_OP + (double) a.fabric().lpCount() * BYTES_PER_LP);
    }

    /** Ops over all ranks (a sample of ranks for large communicators: rank op counts are near uniform). */
    private static double opCount(Schedule s) {
        int n = s.ranks();
        int step = Math.max(1, n / 64);
        double sum = 0;
        int sampled = 0;
        for (int r = 0; r < n; r += step) {
            sum += s.rank(r).opCount();
            sampled++;
        }
        return sum / sampled * n;
    }

    /** Mean egress ports on a path between two GPUs, from up to 64 random pairs. */
    private static double meanHops(Fabric f) {
        int gpus = f.gpuCount();
        if (gpus < 2) {
            return 1;
        }
        SplittableRandom rnd = new SplittableRandom(1);
        int[] path = new int[64];
        long hops = 0;
        int pairs = 0;
        for (int i = 0; i < 64; i++) {
            int a = rnd.nextInt(gpus);
            int b = rnd.nextInt(gpus);
            if (a != b) {
                hops += f.router().path(a, b, i, path);
                pairs++;
            }
        }
        return pairs == 0 ? 1 : hops / (double) pairs;
    }

    /**
     * Refuses what cannot run: more heap than this JVM has (with a margin for the run's own buffers), or more
     * events than {@link #MAX_EVENTS}.
     *
     * @param maxHeapBytes the JVM's heap limit
     * @throws UserError naming what to lower
     */
    void check(long maxHeapBytes, String whatToLower) {
        if (heapBytes > 0.7 * maxHeapBytes) {
            throw new UserError(String.format("this run needs about %.1f GiB of heap and the JVM has %.1f GiB: %s, "
                    + "or give the JVM more (COLLEMU_JAVA_OPTS=-Xmx...)", heapBytes / (1L << 30),
                    maxHeapBytes / (double) (1L << 30), whatToLower));
        }
        if (events > MAX_EVENTS) {
            throw new UserError(String.format("this run would handle about %.2g events (%.0f hours at 10 M "
                    + "events/s): %s", events, events / 1e7 / 3600, whatToLower));
        }
    }
}

package io.collemu.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instances of one collective kind at one size on one communicator size, folded as nccl-tests folds its
 * iterations: the time is the mean over instances, algbw is size / mean time and busbw is algbw times the bus
 * factor. The factor is taken from the records themselves (busbw / algbw, as the engine computed it) so that this
 * file agrees with {@code collectives.csv}; only when no record has a usable algbw is the nccl-tests table of
 * {@link #busBandwidthFactor} used. Immutable.
 *
 * @param kind           collective kind
 * @param algorithm      algorithm name; several joined with "/" when the instances differ
 * @param ranks          communicator size
 * @param sizeBytes      nccl-tests size, bytes per rank
 * @param countElements  nccl-tests count, from the first instance
 * @param type           element type, from the first instance
 * @param redop          reduction operator, from the first instance
 * @param root           root rank, from the first instance
 * @param instances      instances folded
 * @param meanDurationPs mean completion time, picoseconds
 * @param algbwGBps      sizeBytes / meanDuration, GB/s (1e9 bytes/s); NaN for a zero time
 * @param busbwGBps      algbw x the bus factor, GB/s
 * @param energyJoules   energy of all instances added up
 * @param bitsMoved      bits moved by all instances added up
 * @param failed         instances that failed (faults); the mean time and bandwidths are over the others, NaN when
 *                       all failed
 */
public record SizeAggregate(String kind, String algorithm, int ranks, long sizeBytes, long countElements,
                            String type, String redop, int root, int instances, double meanDurationPs,
                            double algbwGBps, double busbwGBps, double energyJoules, double bitsMoved, int failed,
                            double[] iterationUs) {

    /** As the canonical constructor, without the per-instance times. */
    public SizeAggregate(String kind, String algorithm, int ranks, long sizeBytes, long countElements,
                         String type, String redop, int root, int instances, double meanDurationPs,
                         double algbwGBps, double busbwGBps, double energyJoules, double bitsMoved, int failed) {
        this(kind, algorithm, ranks, sizeBytes, countElements, type, redop, root, instances, meanDurationPs,
            algbwGBps, busbwGBps, energyJoules, bitsMoved, failed, new double[0]);
    }

    /** The fastest instance, us (nccl-tests' i_min). */
    public double iMinUs() {
        return iterationUs.length == 0 ? Double.NaN : iterationUs[0];
    }

    /** The slowest instance, us (i_max). */
    public double iMaxUs() {
        return iterationUs.length == 0 ? Double.NaN : iterationUs[iterationUs.length - 1];
    }

    /** The 99th percentile of the instances' times, nearest rank, us (i_p99). */
    public double iP99Us() {
        if (iterationUs.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(0.99 * iterationUs.length);
        return iterationUs[Math.max(0, Math.min(iterationUs.length - 1, rank - 1))];
    }

    /** The coefficient of variation of the instances' times (sample standard deviation / mean), percent (i_cv%). */
    public double iCvPercent() {
        int n = iterationUs.length;
        if (n < 2) {
            return 0;
        }
        double mean = 0;
        for (double v : iterationUs) {
            mean += v;
        }
        mean /= n;
        double ss = 0;
        for (double v : iterationUs) {
            ss += (v - mean) * (v - mean);
        }
        return mean == 0 ? 0 : Math.sqrt(ss / (n - 1)) / mean * 100;
    }

    /** An aggregate without failed instances. */
    public SizeAggregate(String kind, String algorithm, int ranks, long sizeBytes, long countElements,
                         String type, String redop, int root, int instances, double meanDurationPs,
                         double algbwGBps, double busbwGBps, double energyJoules, double bitsMoved) {
        this(kind, algorithm, ranks, sizeBytes, countElements, type, redop, root, instances, meanDurationPs,
            algbwGBps, busbwGBps, energyJoules, bitsMoved, 0, new double[0]);
    }

    private record Key(String kind, int ranks, long sizeBytes) {
    }

    /**
     * @return one aggregate per (kind, ranks, sizeBytes): kinds in order of first appearance, then ranks and size
     *     ascending
     */
    public static List<SizeAggregate> of(List<CollectiveRecord> rows) {
        Map<Key, List<CollectiveRecord>> groups = new LinkedHashMap<>();
        Map<String, Integer> kindOrder = new LinkedHashMap<>();
        for (CollectiveRecord r : rows) {
            kindOrder.putIfAbsent(r.kind(), kindOrder.size());
            groups.computeIfAbsent(new Key(r.kind(), r.ranks(), r.sizeBytes()), k -> new ArrayList<>()).add(r);
        }
        List<SizeAggregate> out = new ArrayList<>(groups.size());
        groups.forEach((key, group) -> out.add(fold(key, group)));
        out.sort(Comparator.<SizeAggregate>comparingInt(a -> kindOrder.get(a.kind()))
            .thenComparingInt(SizeAggregate::ranks).thenComparingLong(SizeAggregate::sizeBytes));
        return out;
    }

    /** @return mean energy of one instance, joules */
    public double meanEnergyJoules() {
        return energyJoules / instances;
    }

    /** @return mean completion time, microseconds (the unit of nccl-tests' time column) */
    public double meanTimeUs() {
        return meanDurationPs / 1e6;
    }

    /**
     * @return the nccl-tests busbw / algbw factor (doc/PERFORMANCE.md): 2(n-1)/n for all-reduce, (n-1)/n for
     *     reduce-scatter, all-gather and all-to-all, 1 for broadcast, reduce and anything else
     */
    public static double busBandwidthFactor(String kind, int ranks) {
        if (ranks <= 0) {
            return 1.0;
        }
        double n = ranks;
        return switch (kind) {
            case "all-reduce" -> 2.0 * (n - 1) / n;
            case "reduce-scatter", "all-gather", "all-to-all" -> (n - 1) / n;
            default -> 1.0;
        };
    }

    private static SizeAggregate fold(Key key, List<CollectiveRecord> group) {
        CollectiveRecord first = group.get(0);
        Set<String> algorithms = new LinkedHashSet<>();
        double sumDurationPs = 0;
        double sumFactor = 0;
        int factors = 0;
        double energy = 0;
        double bits = 0;
        int failed = 0;
        List<Double> times = new ArrayList<>();
        for (CollectiveRecord r : group) {
            algorithms.add(r.algorithm());
            if (r.failed()) {
                failed++;
                energy += r.energyJoules();
                continue;
            }
            sumDurationPs += r.durationPs();
            times.add(r.durationPs() / 1e6);
            if (r.algbwGBps() > 0 && Double.isFinite(r.algbwGBps()) && Double.isFinite(r.busbwGBps())) {
                sumFactor += r.busbwGBps() / r.algbwGBps();
                factors++;
            }
            energy += r.energyJoules();
            bits += r.bitsMoved();
        }
        double meanPs = failed == group.size() ? Double.NaN : sumDurationPs / (group.size() - failed);
        double factor = factors > 0 ? sumFactor / factors : busBandwidthFactor(key.kind(), key.ranks());
        // bytes per nanosecond is GB/s with GB = 1e9 bytes
        double algbw = meanPs > 0 ? key.sizeBytes() / (meanPs / 1000.0) : Double.NaN;
        return new SizeAggregate(key.kind(), String.join("/", algorithms), key.ranks(), key.sizeBytes(),
            first.countElements(), first.type(), first.redop(), first.root(), group.size(), meanPs, algbw,
            algbw * factor, energy, bits, failed, times.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }
}

package io.collemu.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;

/** Deterministic test data: collective sweeps, latency histograms and comparison runs. */
final class Fixtures {

    private Fixtures() {
    }

    /** A collective whose bandwidths follow nccl-tests' definitions from its size and duration. */
    static CollectiveRecord collective(String job, int iteration, String kind, long sizeBytes, int ranks,
                                       long startPs, long durationPs, double pjPerBit) {
        double algbw = sizeBytes * 1000.0 / durationPs;
        double busbw = algbw * SizeAggregate.busBandwidthFactor(kind, ranks);
        double bits = EnergyMath.bits(sizeBytes) * 2.0 * (ranks - 1);
        return new CollectiveRecord(job, iteration, kind, "ring", "Simple", sizeBytes, sizeBytes / 4, "float",
            kind.equals("all-gather") ? "none" : "sum", -1, ranks, 2, 65536, startPs, startPs + durationPs,
            algbw, busbw, Math.max(1, sizeBytes / 65536), 900, 1800, 2500, 3100,
            EnergyMath.dynamicJoules(bits, pjPerBit), bits);
    }

    /**
     * An all-reduce sweep 1 KiB .. 64 MiB and an all-gather at 1 MiB and 16 MiB, 3 iterations each, on 8 ranks at
     * {@code gbps} bottleneck bandwidth plus {@code alphaPs} per step, iteration i taking (1 + i/100) longer.
     */
    static List<CollectiveRecord> sweep(double gbps, long alphaPs, double pjPerBit) {
        List<CollectiveRecord> rows = new ArrayList<>();
        long t = 0;
        for (String kind : List.of("all-reduce", "all-gather")) {
            List<Long> sizes = new ArrayList<>();
            if (kind.equals("all-reduce")) {
                for (long s = 1024; s <= 64L << 20; s *= 4) {
                    sizes.add(s);
                }
            } else {
                sizes.add(1L << 20);
                sizes.add(16L << 20);
            }
            for (long size : sizes) {
                for (int i = 0; i < 3; i++) {
                    double factor = SizeAggregate.busBandwidthFactor(kind, 8);
                    long durationPs = (long) ((14 * alphaPs + factor * size / gbps * 1000) * (1 + i / 100.0));
                    rows.add(collective("job-a", i, kind, size, 8, t, durationPs, pjPerBit));
                    t += durationPs + 1000;
                }
            }
        }
        return rows;
    }

    /** n latencies in ns, log-normal around {@code medianNs}, with a few outliers 50x larger. */
    static Histogram latencies(long seed, int n, double medianNs) {
        Histogram h = LatencyHistograms.newHistogram();
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            double v = medianNs * Math.exp(0.35 * random.nextGaussian());
            if (random.nextInt(1000) == 0) {
                v *= 50;
            }
            h.recordValue(Math.max(1, Math.round(v)));
        }
        return h;
    }

    /** A comparison side: faster links have lower latency, lower pJ/bit has lower energy. */
    static RunOutcome run(String label, double gbps, long alphaPs, double pjPerBit, double medianNs,
                          double idleWatts, long seed) {
        List<CollectiveRecord> rows = sweep(gbps, alphaPs, pjPerBit);
        double joules = rows.stream().mapToDouble(CollectiveRecord::energyJoules).sum();
        double bits = rows.stream().mapToDouble(CollectiveRecord::bitsMoved).sum();
        return new RunOutcome(label, rows, latencies(seed, 20_000, medianNs), idleWatts, idleWatts * 1.3,
            joules, bits);
    }

    static List<RunOutcome> threeRuns() {
        return List.of(
            run("pluggable-dsp", 100, 900_000, 21.0, 1200, 17_000, 1),
            run("lpo", 100, 850_000, 10.5, 1100, 8_500, 2),
            run("cpo", 100, 820_000, 5.6, 1050, 4_500, 3));
    }
}

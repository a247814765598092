package io.collemu.topology;

import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.route.Router;
import io.collemu.topology.model.Topology;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures how long a fabric takes to build and route, and the heap it holds: prints build time, route time for
 * N random GPU pairs (cold, building the lazy tables, then warm) and heap used after GC. A measurement, not a
 * test: {@code java -Xmx2g -cp topology/target/classes:<jackson jars> io.collemu.topology.RouterBenchmark
 * [spec] [pairs]}. Single-threaded; reads the wall clock, unlike model code.
 */
public final class RouterBenchmark {
    private RouterBenchmark() {
    }

    public static void main(String[] args) {
        String spec = args.length > 0 ? args[0] : "rail-optimized:gpus=32768,gpus-per-server=8,link=cpo-1.6t";
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        long t0 = System.nanoTime();
        Topology t = TopologySpecs.parse(spec);
        long t1 = System.nanoTime();
        Router r = new Router(t);
        long cold = routeRandom(r, pairs, 1);
        long t2 = System.nanoTime();
        long warm = routeRandom(r, pairs, 2);
        long t3 = System.nanoTime();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        System.out.println(Inventory.of(t).render());
        System.out.printf(Locale.ROOT, "nodes %d, ports %d%n", t.nodeCount(), t.portCount());
        System.out.printf(Locale.ROOT, "build %.0f ms%n", (t1 - t0) / 1e6);
        System.out.printf(Locale.ROOT, "route %d random pairs, cold (lazy tables built): %.0f ms, %d hops%n", pairs,
                (t2 - t1) / 1e6, cold);
        System.out.printf(Locale.ROOT, "route %d random pairs, warm: %.0f ms (%.0f ns per path), %d hops%n", pairs,
                (t3 - t2) / 1e6, (t3 - t2) / (double) pairs, warm);
        System.out.printf(Locale.ROOT, "heap used after GC (topology + router tables): %.1f MiB of max %.0f MiB%n",
                heap / 1048576.0, rt.maxMemory() / 1048576.0);
    }

    private static long routeRandom(Router r, int pairs, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int gpus = r.topology().gpuCount();
        int[] ports = new int[64];
        long hops = 0;
        for (int i = 0; i < pairs; i++) {
            hops += r.path(rnd.nextInt(gpus), rnd.nextInt(gpus), i, ports);
        }
        return hops;
    }
}

package io.collemu.topology.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.model.Topology;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The 32,768-GPU rail-optimized fabric builds and routes; figures are printed, only sanity is asserted. */
class ScaleTest {

    @Test
    void shouldBuildAndRoute32kGpuRailOptimizedFabric() {
        long t0 = System.nanoTime();
        Topology t = TopologySpecs.parse("rail-optimized:gpus=32768,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t");
        long t1 = System.nanoTime();
        Inventory inv = Inventory.of(t);
        assertEquals(32_768, t.gpuCount());
        assertEquals(4096, inv.switchesByTier().get("nvswitch"));
        assertEquals(1024, inv.switchesByTier().get("leaf"));
        assertEquals(1024, inv.switchesByTier().get("spine"));
        assertEquals(512, inv.switchesByTier().get("core"));
        assertEquals(1.0, inv.oversubscription(), 1e-12);
        Router r = new Router(t);
        SplittableRandom rnd = new SplittableRandom(42);
        int[] ports = new int[16];
        int pairs = 200_000;
        long hops = 0;
        for (int i = 0; i < pairs; i++) {
            hops += r.path(rnd.nextInt(32_768), rnd.nextInt(32_768), i, ports);
        }
        long t2 = System.nanoTime();
        for (int i = 0; i < 2_000; i++) {
            PathAssertions.assertValidPath(r, rnd.nextInt(32_768), rnd.nextInt(32_768), i);
        }
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf(Locale.ROOT, "32k rail-optimized: build %.0f ms, %d paths (avg %.2f hops) %.0f ms,"
                + " heap %.0f MiB%n", (t1 - t0) / 1e6, pairs, hops / (double) pairs, (t2 - t1) / 1e6, heap / 1048576.0);
        assertTrue(hops / (double) pairs > 5.5, "most random pairs cross the core");
        assertTrue(heap < 1L << 30, "well under 2 GiB");
    }
}

package io.collemu.topology.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {

    @Test
    void shouldSetUpRoutesOnTheWidestSwitchInLinearTime() {
        // 100,000 GPUs on one 100,000-port leaf: asking each GPU's leaf for switch neighbours was 10^10 steps
        Topology t = TopologySpecs.parse("single-switch:gpus=100000,link=lpo-800g");
        Router r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> new Router(t));
        assertEquals(2, r.hops(0, 99_999));
    }

    @Test
    void shouldHashDeterministically() {
        assertEquals(Router.flowHash(3, 7, 11), Router.flowHash(3, 7, 11));
        assertNotEquals(Router.flowHash(3, 7, 11), Router.flowHash(3, 7, 12));
        assertNotEquals(Router.flowHash(3, 7, 11), Router.flowHash(7, 3, 11));
        // pinned value: a change of the hash changes every run's paths, so it must be deliberate
        assertEquals(6791897765849424158L, Router.flowHash(0, 1, 0));
        assertEquals(-4818383493310394731L, Router.flowHash(12345, 678, 9));
        Topology t = TopologySpecs.parse("fat-tree:k=8");
        Router a = new Router(t);
        Router b = new Router(TopologySpecs.parse("fat-tree:k=8"));
        int[] pa = new int[8];
        int[] pb = new int[8];
        for (int f = 0; f < 2000; f++) {
            int src = f % 128;
            int dst = (f * 37 + 5) % 128;
            int ha = a.path(src, dst, f, pa);
            int hb = b.path(src, dst, f, pb);
            assertArrayEquals(Arrays.copyOf(pa, ha), Arrays.copyOf(pb, hb));
        }
    }

    @Test
    void shouldEqualFollowingNextPortHopByHop() {
        Topology t = TopologySpecs.parse("rail-optimized:gpus=128");
        Router r = new Router(t);
        int[] ports = new int[16];
        for (int f = 0; f < 500; f++) {
            int src = (f * 13) % 128;
            int dst = (f * 71 + 3) % 128;
            int hops = r.path(src, dst, f, ports);
            long h = Router.flowHash(src, dst, f);
            int node = t.gpuNode(src);
            for (int i = 0; i < hops; i++) {
                assertEquals(ports[i], r.nextPort(node, dst, h));
                node = t.portPeer(ports[i]);
            }
            assertEquals(-1, r.nextPort(node, dst, h));
        }
    }

    @ParameterizedTest(name = "k={0}")
    @ValueSource(ints = {4, 8})
    void shouldSpreadFlowsEvenlyOverEqualCostPaths(int k) {
        Topology t = TopologySpecs.parse("fat-tree:k=" + k);
        Router r = new Router(t);
        int paths = (k / 2) * (k / 2);
        int src = 0;
        int dst = t.gpuCount() - 1;
        int flows = 40_000 * paths / 4;
        Map<List<Integer>, Integer> counts = new HashMap<>();
        int[] ports = new int[8];
        for (int f = 0; f < flows; f++) {
            int hops = r.path(src, dst, f, ports);
            List<Integer> key = new ArrayList<>();
            for (int i = 0; i < hops; i++) {
                key.add(ports[i]);
            }
            counts.merge(key, 1, Integer::sum);
        }
        assertEquals(paths, counts.size(), "every equal-cost path used: (k/2)^2 between pods");
        double expected = (double) flows / paths;
        for (int c : counts.values()) {
            assertEquals(expected, c, expected * 0.05, "within 5% of an even spread");
        }
    }

    @Test
    void shouldSpreadOverParallelLinksToo() {
        Topology t = TopologySpecs.parse("leaf-spine:leaves=2,spines=2,hosts-per-leaf=8,oversubscription=1");
        Router r = new Router(t);
        Map<Integer, Integer> firstUplink = new HashMap<>();
        int[] ports = new int[8];
        for (int f = 0; f < 80_000; f++) {
            r.path(0, 8, f, ports);
            firstUplink.merge(ports[1], 1, Integer::sum);
        }
        assertEquals(8, firstUplink.size(), "2 spines x 4 parallel links");
        for (int c : firstUplink.values()) {
            assertEquals(10_000, c, 500);
        }
    }

    @Test
    void shouldChooseUncorrelatedHopsForOneFlowHash() {
        // with per-hop mixing, the uplink chosen at the source leaf says nothing about the one at the aggregation
        Topology t = TopologySpecs.parse("fat-tree:k=8");
        Router r = new Router(t);
        int[][] joint = new int[4][4];
        int[] ports = new int[8];
        for (int f = 0; f < 32_000; f++) {
            r.path(0, 127, f, ports);
            joint[indexAmongUplinks(t, ports[1])][indexAmongUplinks(t, ports[2])]++;
        }
        for (int[] row : joint) {
            for (int c : row) {
                assertEquals(2000, c, 200);
            }
        }
    }

    private static int indexAmongUplinks(Topology t, int port) {
        int owner = t.portOwner(port);
        int idx = 0;
        for (int i = 0; i < t.portCountOf(owner); i++) {
            int p = t.portOf(owner, i);
            if (t.tier(t.portPeer(p)) > t.tier(owner)) {
                if (p == port) {
                    return idx;
                }
                idx++;
            }
        }
        throw new AssertionError("not an uplink");
    }

    @Test
    void shouldGiveSameRoutesFromManyThreads() throws Exception {
        Topology t = TopologySpecs.parse("rail-optimized:gpus=1024");
        Router reference = new Router(t);
        Router shared = new Router(t);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int seed = w;
                results.add(pool.submit(() -> {
                    int[] a = new int[16];
                    int[] b = new int[16];
                    for (int i = 0; i < 20_000; i++) {
                        int src = (i * 7 + seed) % 1024;
                        int dst = (i * 131 + 17) % 1024;
                        int ha = shared.path(src, dst, i, a);
                        int hb = reference.path(src, dst, i, b);
                        if (ha != hb || !Arrays.equals(a, 0, ha, b, 0, hb)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

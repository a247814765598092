package io.collemu.topology.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.Topology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Destination-mod-k routing: every shift permutation (dst = src + c) on a k-ary fat-tree is routed without two
 * flows sharing a link (Zahavi et al., "D-mod-K routing providing non-blocking traffic for shift permutations on
 * real life fat trees"), which hashed ECMP cannot promise.
 */
class DmodkRoutingTest {

    @ParameterizedTest
    @ValueSource(ints = {4, 6, 8})
    void shouldRouteEveryShiftPermutationWithoutSharedLinks(int k) {
        Topology t = TopologySpecs.parse("fat-tree:k=" + k + ",link=pluggable-dsp-800g");
        Router router = new Router(t, RoutingMode.DMODK);
        int n = t.gpuCount();
        int[] path = new int[16];
        for (int shift = 1; shift < n; shift++) {
            int[] load = new int[t.portCount()];
            for (int src = 0; src < n; src++) {
                int hops = router.path(src, (src + shift) % n, src, path);
                for (int h = 0; h < hops; h++) {
                    load[path[h]]++;
                }
            }
            for (int p = 0; p < load.length; p++) {
                assertTrue(load[p] <= 1, "shift " + shift + ": port " + p + " of " + t.nodeName(t.portOwner(p))
                        + " carries " + load[p] + " flows");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void shouldIgnoreTheFlowIdUnderDmodk(int k) {
        Topology t = TopologySpecs.parse("fat-tree:k=" + k + ",link=pluggable-dsp-800g");
        Router router = new Router(t, RoutingMode.DMODK);
        int[] a = new int[16];
        int[] b = new int[16];
        int n = t.gpuCount();
        for (int src = 0; src < n; src += 3) {
            int dst = (src * 7 + 5) % n;
            if (dst == src) {
                continue;
            }
            int ha = router.path(src, dst, 1, a);
            int hb = router.path(src, dst, 99, b);
            assertEquals(ha, hb);
            for (int h = 0; h < ha; h++) {
                assertEquals(a[h], b[h]);
            }
        }
    }
}

package io.collemu.topology.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Fabrics are sized before they are built, exactly, and refused beyond the limits with what to lower. */
class FabricCostTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"single-switch:gpus=8", "single-switch:gpus=300,link=lpo-800g", "fat-tree:k=4",
        "fat-tree:k=16", "leaf-spine:leaves=4,hosts-per-leaf=8,oversubscription=2",
        "leaf-spine:leaves=3,spines=2,hosts-per-leaf=8", "rail-optimized:gpus=64",
        "rail-optimized:gpus=64,scale-up=none", "rail-optimized:gpus=32768", "rail-optimized:gpus=512,radix=16"})
    void shouldEstimateExactlyWhatTheBuilderBuilds(String spec) {
        FabricCost c = TopologySpecs.estimate(spec, Map.of());
        Topology t = TopologySpecs.parse(spec);
        assertEquals(t.gpuCount(), c.gpus(), "GPUs");
        assertEquals(t.nodeCount(), c.nodes(), "nodes");
        assertEquals(t.portCount(), c.ports(), "ports");
        int largest = 0;
        for (int n = 0; n < t.nodeCount(); n++) {
            largest = t.nodeKind(n) == NodeKind.SWITCH ? Math.max(largest, t.radix(n)) : largest;
        }
        assertEquals(largest, c.largestRadix(), "largest radix");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "leaf-spine:leaves=100000,hosts-per-leaf=50000,radix=100000,oversubscription=50000 | the fabric would have"
            + " 5.0 G GPUs (at most 4.2 M, the most ranks of one communicator): lower leaves or hosts-per-leaf",
        "single-switch:gpus=1000000 | a switch would have 1.0 M ports (at most 100 K): lower gpus",
        "single-switch:gpus=4194305 | parameter 'gpus' must be in 1..4194304, got 4194305",
        "rail-optimized:gpus=4194304,radix=100000,servers-per-su=50000 | the fabric would have",
        "leaf-spine:leaves=4,hosts-per-leaf=8,oversubscription=0.000000001 | would need 8.0 G up ports per leaf,"
            + " more than any radix (at most 100000): raise oversubscription"})
    void shouldRefuseWhatCannotFitBeforeAllocatingIt(String spec, String expected) {
        TopologyException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(TopologyException.class,
                        () -> TopologySpecs.parse(spec, Map.of(), FabricLimits.forHeap(3L << 30))));
        assertTrue(e.getMessage().startsWith("spec '" + spec + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void shouldRefuseFatTreeK128OnlyWhenTheHeapCannotHoldIt() {
        FabricCost c = TopologySpecs.estimate("fat-tree:k=128", Map.of());
        assertEquals(524_288, c.gpus());
        assertEquals(3_145_728, c.ports());
        assertEquals(8_192, c.routingTables(), "one table per edge switch");
        assertTrue(c.heapBytes() > 512L << 20 && c.heapBytes() < 600L << 20, "about 560 MiB: " + c.heapBytes());
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse("fat-tree:k=128", Map.of(), FabricLimits.forHeap(1L << 30)));
        assertEquals("spec 'fat-tree:k=128': the fabric would have 3.1 M ports and 545 K nodes, about 534 MiB of heap"
                + " with its routing tables (limit 512 MiB, half of this JVM's 1.0 GiB maximum heap; raise it with"
                + " -Xmx, e.g. COLLEMU_JAVA_OPTS=-Xmx16g): lower k", e.getMessage());
        assertEquals("k", e.field());
        assertNull(FabricLimits.forHeap(2L << 30).problem(c), "fits a 2 GiB heap");
    }

    @Test
    void shouldSaturateInsteadOfOverflowing() {
        assertEquals(Long.MAX_VALUE, FabricCost.product(100_000, 100_000, 100_000, 100_000));
        assertEquals(Long.MAX_VALUE, FabricCost.sum(Long.MAX_VALUE - 1, 2));
        assertEquals(0, FabricCost.product(Long.MAX_VALUE, 3, 0));
        FabricCost absurd = new FabricCost(1, Long.MAX_VALUE, Long.MAX_VALUE, 1, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, absurd.heapBytes());
        assertTrue(FabricLimits.ofThisJvm().problem(absurd).startsWith("the fabric would have 9.2 E ports"));
    }

    @Test
    void shouldBlameAnOverrideForItsOwnBadValue() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse("leaf-spine:leaves=2,hosts-per-leaf=4,link=cpo-1.6t",
                        Map.of("link", "bogus")));
        assertTrue(e.getMessage().startsWith("spec 'leaf-spine:leaves=2,hosts-per-leaf=4,link=cpo-1.6t': override"
                + " link=bogus: unknown link model 'bogus' (known: pluggable-dsp-400g"), e.getMessage());
        assertEquals("link", e.overrideKey());
        assertEquals("link", e.field());
        assertTrue(e.problem().startsWith("unknown link model 'bogus' (known: "), e.problem());
        TopologyException own = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse("leaf-spine:leaves=2,hosts-per-leaf=4,link=bogus"));
        assertNull(own.overrideKey(), "the spec's own value is not an override's");
    }
}

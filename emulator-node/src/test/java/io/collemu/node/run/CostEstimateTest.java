package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.Grouping;
import io.collemu.node.lp.ModelOptions;
import io.collemu.topology.route.RoutingMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The up-front estimate is near what runs handle, and refuses what cannot fit or would not end. */
class CostEstimateTest {
    static RunSettings sweep(String spec, CollectiveKind kind, List<Long> sizes) {
        return new RunSettings(new TopologySource(spec, null, true, null, RoutingMode.ECMP),
                new SweepSpec(List.of(kind), "auto", sizes, 1, 1, 0), ModelOptions.defaults(64 << 10, 1),
                Fidelity.IDEAL, EngineSettings.local(EngineKind.SEQUENTIAL, ActorEngine.Settings.of(1, Grouping.Mode.SWITCH)), null,
                Map.of());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "'rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g', ALL_REDUCE",
        "'rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g', ALL_TO_ALL",
        "'fat-tree:k=4,link=lpo-800g', ALL_REDUCE"})
    void shouldEstimateEventsWithinAFactorOfThree(String spec, CollectiveKind kind) throws Exception {
        RunSettings s = sweep(spec, kind, List.of(1L << 20, 16L << 20));
        Session session = new Session(s, Runtime.getRuntime().maxMemory());
        double estimate = CostEstimate.sweep(session.assembly(), (SweepSpec) s.workload(), 64 << 10).events();
        long actual = Runner.run(s, RunListener.NONE).figures().events();
        double ratio = estimate / actual;
        assertTrue(ratio > 1 / 3.0 && ratio < 3, "estimated " + estimate + " events, ran " + actual);
    }

    @Test
    void shouldRefuseARunThatCannotFitTheHeapOrWouldNotEnd() {
        UserError heap = assertThrows(UserError.class, () -> new Session(sweep(
                "single-switch:gpus=4096,link=cpo-800g", CollectiveKind.ALL_TO_ALL, List.of(1L << 20)), 64L << 20));
        assertTrue(heap.getMessage().contains("heap") && heap.getMessage().contains("lower"), heap.getMessage());
        UserError time = assertThrows(UserError.class, () -> new Session(sweep(
                "single-switch:gpus=8,link=cpo-800g", CollectiveKind.ALL_REDUCE, List.of(1L << 50)),
                Runtime.getRuntime().maxMemory()));
        assertTrue(time.getMessage().contains("events") && time.getMessage().contains("--sizes"), time.getMessage());
    }
}

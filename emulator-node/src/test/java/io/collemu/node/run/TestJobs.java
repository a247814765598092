package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.node.engine.Job;
import io.collemu.node.lp.ModelOptions;
import io.collemu.topology.route.RoutingMode;
import java.util.List;

/** Jobs with recipes, as a run makes them, for tests of other packages. */
public final class TestJobs {
    private TestJobs() {
    }

    /** One ring all-reduce of {@code sizeBytes} over every GPU of {@code spec}, with its recipe. */
    public static Job sweepJob(String spec, long sizeBytes) {
        SweepSpec sweep = new SweepSpec(List.of(CollectiveKind.ALL_REDUCE), "ring", List.of(sizeBytes), 1, 1, 0);
        ModelAssembly a = ModelAssembly.of(new TopologySource(spec, null, true, null, RoutingMode.ECMP), sweep,
                ModelOptions.defaults(64 << 10, 1), Fidelity.NCCL);
        return a.sweepJob(sweep, CollectiveKind.ALL_REDUCE, sizeBytes,
                a.step(sweep, CollectiveKind.ALL_REDUCE, sizeBytes), 0);
    }
}

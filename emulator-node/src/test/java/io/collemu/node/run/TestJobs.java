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
        return sweepJob(spec, CollectiveKind.ALL_REDUCE, "ring", sizeBytes);
    }

    /** One {@code kind} of {@code sizeBytes} over every GPU of {@code spec} ({@code algorithm} or "auto"). */
    public static Job sweepJob(String spec, CollectiveKind kind, String algorithm, long sizeBytes) {
        return sweepJob(spec, kind, algorithm, sizeBytes, Fidelity.NCCL);
    }

    /** As {@link #sweepJob(String, CollectiveKind, String, long)} in {@code fidelity}. */
    public static Job sweepJob(String spec, CollectiveKind kind, String algorithm, long sizeBytes,
            Fidelity fidelity) {
        SweepSpec sweep = new SweepSpec(List.of(kind), algorithm, List.of(sizeBytes), 1, 1, 0);
        ModelAssembly a = ModelAssembly.of(new TopologySource(spec, null, true, null, RoutingMode.ECMP), sweep,
                ModelOptions.defaults(64 << 10, 1), fidelity);
        return a.sweepJob(sweep, kind, sizeBytes, a.step(sweep, kind, sizeBytes), 0);
    }
}

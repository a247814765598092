package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineKind;
import io.collemu.node.engine.Engines;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.Workload;
import io.collemu.topology.build.TopologySpecs;
import java.util.List;

/** Small runs for tests. */
public final class TestRuns {
    private TestRuns() {
    }

    public static Fabric fabric(String spec) {
        return new Fabric(TopologySpecs.parse(spec));
    }

    public static SizeRun sweepStep(Fabric fabric, CollectiveKind kind, String algorithm, long sizeBytes,
            int channels, long segmentBytes, EngineKind engineKind, int threads, int iterations) {
        ModelOptions options = ModelOptions.defaults(segmentBytes, 7);
        try (Engine engine = Engines.create(engineKind, threads)) {
            SweepSpec spec = new SweepSpec(List.of(kind), algorithm, List.of(sizeBytes), channels, iterations, 0);
            return new SweepRunner(fabric, options, engine).run(spec, Progress.NONE, x -> { }).get(0);
        }
    }

    public static SizeRun sweepStep(Fabric fabric, CollectiveKind kind, String algorithm, long sizeBytes,
            long segmentBytes) {
        return sweepStep(fabric, kind, algorithm, sizeBytes, 1, segmentBytes, EngineKind.SEQUENTIAL, 1, 1);
    }

    public static ExecutionResult runSchedule(Fabric fabric, Schedule schedule, long segmentBytes,
            EngineKind engineKind, int threads) {
        return runSchedule(fabric, schedule, segmentBytes, engineKind, threads,
                io.collemu.node.engine.Grouping.Mode.LP);
    }

    public static ExecutionResult runSchedule(Fabric fabric, Schedule schedule, long segmentBytes,
            EngineKind engineKind, int threads, io.collemu.node.engine.Grouping.Mode grouping) {
        ModelOptions options = ModelOptions.defaults(segmentBytes, 7);
        Workload w = SweepRunner.backToBack(schedule, fabric.gpuCount(), 1, 0);
        try (Engine engine = Engines.create(engineKind, threads, grouping)) {
            return Emulation.execute(fabric, w, options, engine, 0, Progress.NONE);
        }
    }

    public static Schedule schedule(CollectiveKind kind, String algorithm, long sizeBytes, int ranks, int channels,
            int gpusPerServer) {
        return Collectives.schedule(new CollectiveRequest(kind, algorithm, sizeBytes, ranks, channels, 0,
                gpusPerServer, null, null));
    }
}

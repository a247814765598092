package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;
import io.collemu.collectives.algo.Schedules;
import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.Grouping;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Job;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.Workload;
import io.collemu.topology.TopologySpecs;
import io.collemu.topology.route.RoutingMode;
import java.util.Map;

/** Small runs for tests. */
public final class TestRuns {
    private TestRuns() {
    }

    public static Fabric fabric(String spec) {
        return new Fabric(TopologySpecs.parse(spec));
    }

    /** An engine in this JVM; a balanced grouping always with one group per thread, however small the run. */
    public static Engine engine(EngineKind kind, int threads, Grouping.Mode grouping) {
        return Engines.create(EngineSettings.local(kind, ActorEngine.Settings.of(threads, grouping).alwaysParallel()));
    }

    /** One sweep step as a run does it: ranks in rail-aware order, {@code iterations} calls back to back. */
    public static SizeRun sweepStep(Fabric fabric, CollectiveKind kind, String algorithm, long sizeBytes,
            int channels, long segmentBytes, EngineKind engineKind, int threads, int iterations) {
        ModelOptions options = ModelOptions.defaults(segmentBytes, 7);
        Schedule s = schedule(kind, algorithm, sizeBytes, fabric.gpuCount(), channels,
                fabric.topology().gpusPerServer());
        Workload w = ModelAssembly.backToBack(s, io.collemu.node.lp.InstanceTiming.IDEAL,
                RankOrder.railAware(fabric.topology()), fabric.gpuCount(), iterations, 0);
        try (Engine engine = engine(engineKind, threads, Grouping.Mode.SWITCH)) {
            ExecutionResult r = Session.execute(new Job(fabric, w, options, 0, null), engine, Progress.NONE);
            return new SizeRun(kind, sizeBytes, s, iterations, r, new SizeRun.StepChoice(s.algorithm(), "-",
                    s.request().channels(), 0, ""));
        }
    }

    public static SizeRun sweepStep(Fabric fabric, CollectiveKind kind, String algorithm, long sizeBytes,
            long segmentBytes) {
        return sweepStep(fabric, kind, algorithm, sizeBytes, 1, segmentBytes, EngineKind.SEQUENTIAL, 1, 1);
    }

    /** One call of {@code schedule} with rank r on GPU r. */
    public static ExecutionResult runSchedule(Fabric fabric, Schedule schedule, long segmentBytes,
            EngineKind engineKind, int threads) {
        return runSchedule(fabric, schedule, segmentBytes, engineKind, threads, Grouping.Mode.LP);
    }

    public static ExecutionResult runSchedule(Fabric fabric, Schedule schedule, long segmentBytes,
            EngineKind engineKind, int threads, Grouping.Mode grouping) {
        ModelOptions options = ModelOptions.defaults(segmentBytes, 7);
        int[] identity = new int[schedule.ranks()];
        for (int r = 0; r < identity.length; r++) {
            identity[r] = r;
        }
        Workload w = ModelAssembly.backToBack(schedule, io.collemu.node.lp.InstanceTiming.IDEAL, identity,
                fabric.gpuCount(), 1, 0);
        try (Engine engine = engine(engineKind, threads, grouping)) {
            return Session.execute(new Job(fabric, w, options, 0, null), engine, Progress.NONE);
        }
    }

    public static Schedule schedule(CollectiveKind kind, String algorithm, long sizeBytes, int ranks, int channels,
            int gpusPerServer) {
        return Schedules.of(new CollectiveRequest(kind, algorithm, sizeBytes, ranks, channels, 0,
                gpusPerServer, null, null));
    }

    /** A profile (YAML text) replayed on a builder spec, nothing written. */
    public static RunResult.Profile profile(String spec, String yaml, EngineKind kind, long seed) {
        RunSettings s = new RunSettings(new TopologySource(spec, null, true, null, RoutingMode.ECMP),
                new ProfileSpec("test.yaml", yaml, Map.of()), ModelOptions.defaults(64 << 10, seed), Fidelity.IDEAL,
                EngineSettings.local(kind, ActorEngine.Settings.of(2, Grouping.Mode.SWITCH)), null, Map.of());
        try {
            return (RunResult.Profile) Runner.run(s, RunListener.NONE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

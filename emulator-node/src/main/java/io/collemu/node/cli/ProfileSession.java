package io.collemu.node.cli;

import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineKind;
import io.collemu.node.engine.Engines;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.run.ProfileOutputs;
import io.collemu.node.run.ProfileRunner;
import io.collemu.profiles.IterationResult;
import io.collemu.profiles.OpResult;
import io.collemu.profiles.Plan;
import io.collemu.profiles.PlanBuilder;
import io.collemu.profiles.Profile;
import io.collemu.profiles.ProfileLoader;
import io.collemu.results.RunDirectory;
import io.collemu.topology.model.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code collemu run --profile}: one emulation of a load profile, results per job and iteration. */
final class ProfileSession {
    private ProfileSession() {
    }

    static int run(RunCommand cmd, PrintWriter o) throws IOException {
        if (cmd.members > 1) {
            throw new UserError("--profile runs embedded (--members 1) in this version");
        }
        Map<String, String> overrides = ProfileLoader.parseParams(cmd.params);
        Profile profile = ProfileLoader.loadOrBuiltin(cmd.profile, overrides);
        boolean topologyGiven = cmd.spec.commandLine().getParseResult().hasMatchedOption("--topology");
        if (!topologyGiven && profile.fabric() != null && !profile.fabric().isBlank()) {
            cmd.scenario.topology = profile.fabric();
        }
        Topology topology = cmd.scenario.topology(cmd.link);
        ModelOptions model = cmd.scenario.model();
        EngineKind engineKind = cmd.scenario.engineKind();
        int threads = cmd.scenario.threads();
        Fabric fabric = RunCommand.fabric(topology, cmd.scenario.routing());
        Plan plan = PlanBuilder.build(profile, topology.gpuCount(), topology.gpusPerServer(), model.seed());
        Path dir = RunDirectory.create(RunCommand.runsRoot(cmd.out));
        o.printf("# collemu %s: profile %s on %s, %d GPUs, %d collectives, %d tasks, %s engine, segment %s, seed %d%n",
                CollemuCommand.VERSION, profile.name(), topology.spec(), topology.gpuCount(), plan.collectives().size(),
                plan.taskCount(), engineKind.cliName(), Sizes.format(model.segmentBytes()), model.seed());
        o.printf("# output: %s%n", dir);
        o.flush();
        long wallStart = System.nanoTime();
        ProfileRunner.ProfileRun run;
        try (Engine engine = Engines.create(engineKind, threads, cmd.scenario.actorGroups());
                ProgressReporter progress = new ProgressReporter(System.err, "profile", 1, !cmd.noProgress)) {
            run = ProfileRunner.run(fabric, plan, model, engine, progress);
            progress.stepDone();
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        Map<String, Object> inputs = cmd.scenario.asInputs();
        inputs.put("link", cmd.link);
        inputs.put("profile", cmd.profile);
        inputs.put("params", new LinkedHashMap<>(overrides));
        Map<String, Object> figures = new LinkedHashMap<>();
        long events = run.result().stats().events();
        figures.put("events", events);
        figures.put("wallSeconds", wall);
        figures.put("eventsPerSecond", wall > 0 ? events / wall : 0);
        ProfileOutputs.write(dir, run, topology, model.segmentBytes(), RunCommand.header(engineKind, model, threads),
                inputs, figures);
        print(o, run, topology);
        o.printf("# %d events in %.2f s wall (%.2f M events/s); results in %s%n", events, wall, events / wall / 1e6,
                dir);
        o.flush();
        return 0;
    }

    private static void print(PrintWriter o, ProfileRunner.ProfileRun run, Topology topology) {
        double[] joules = ProfileOutputs.iterationJoules(run, topology);
        o.printf("# %-16s %5s %6s %12s %12s %12s %12s %10s%n", "job", "iter", "warmup", "time(us)", "compute(us)",
                "comm(us)", "exposed(us)", "optics(J)");
        for (int i = 0; i < run.iterations().size(); i++) {
            IterationResult it = run.iterations().get(i);
            o.printf("  %-16s %5d %6s %12.1f %12.1f %12.1f %12.1f %10.4f%n", it.job(), it.iteration(),
                    it.warmup() ? "yes" : "", it.durationPs() / 1e6, it.computePs() / 1e6, it.commPs() / 1e6,
                    it.exposedCommPs() / 1e6, joules[i]);
        }
        Map<String, double[]> byOp = new LinkedHashMap<>();
        for (OpResult op : run.ops()) {
            String key = op.job() + " " + op.op().replaceAll("\\[\\d+]", "[*]") + " " + op.kind();
            double[] acc = byOp.computeIfAbsent(key, k -> new double[3]);
            acc[0] += op.durationPs() / 1e6;
            acc[1]++;
            acc[2] = op.sizeBytes();
        }
        o.println();
        o.printf("# %-48s %8s %14s %12s%n", "collective (job, op, kind)", "count", "mean time(us)", "size(B)");
        for (Map.Entry<String, double[]> e : byOp.entrySet()) {
            double[] a = e.getValue();
            o.printf("  %-48s %8d %14.1f %12d%n", e.getKey(), (long) a[1], a[0] / a[1], (long) a[2]);
        }
    }
}

package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Job;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.LpReport;
import io.collemu.profiles.ProfileResults;
import io.collemu.results.CollectiveRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run on one topology: a sweep as nccl-tests runs it (one (collective, size) after another, each size's
 * iterations back to back on every GPU, each size its own emulation on an idle fabric, placed on one virtual
 * timeline: a size starts where the previous one ended), or one emulation of a load profile. It writes its run
 * directory as it goes. Construction validates the whole run (topology, profile, schedules) before anything is
 * written.
 */
public final class Session {
    private final RunSettings settings;
    private final ModelAssembly assembly;

    /**
     * @param maxHeapBytes the heap this JVM may use, against which the run's cost is checked
     * @throws RuntimeException a one-line user error if the topology, profile or a schedule is invalid, or the run
     *                          cannot fit the heap or would run for days ({@link CostEstimate})
     */
    public Session(RunSettings settings, long maxHeapBytes) {
        this.settings = settings;
        this.assembly = ModelAssembly.of(settings);
        long seg = settings.model().segmentBytes();
        if (settings.workload() instanceof SweepSpec sweep) {
            CostEstimate.sweep(assembly, sweep, seg).check(maxHeapBytes,
                    "lower --sizes, --iterations or the fabric's GPUs, or raise --segment-bytes");
        } else {
            CostEstimate.profile(assembly, assembly.plan(), seg).check(maxHeapBytes,
                    "lower the profile's sizes, iterations or jobs, or raise --segment-bytes");
        }
    }

    /** The model assembly (topology as resolved, fabric). */
    public ModelAssembly assembly() {
        return assembly;
    }

    /** The settings it runs. */
    public RunSettings settings() {
        return settings;
    }

    /** Emulations this session runs. */
    public long steps() {
        return settings.workload() instanceof SweepSpec s ? s.steps() : 1;
    }

    /**
     * Runs every emulation on {@code engine}, writing into {@code dir} (null: write nothing).
     *
     * @throws IOException if the directory cannot be written
     */
    public RunResult run(Engine engine, Path dir, RunListener listener) throws IOException {
        RunWriter writer = dir == null ? null : new RunWriter(dir, assembly.topology(), settings.header(),
                settings.inputs(), settings.model().segmentBytes(), settings.faults(), assembly.fabric().faults());
        RunResult r = settings.workload() instanceof SweepSpec sweep ? runSweep(sweep, engine, writer, listener)
                : runProfile(engine, writer, listener);
        if (writer != null) {
            String link = settings.topology().link();
            writer.writeReport(r, link != null ? link : assembly.topology().spec(), "collemu run: "
                    + (settings.workload() instanceof ProfileSpec p ? "profile " + p.source() + " on " : "")
                    + assembly.topology().spec());
        }
        return r;
    }

    private RunResult runSweep(SweepSpec sweep, Engine engine, RunWriter writer, RunListener listener)
            throws IOException {
        List<SizeRun> done = new ArrayList<>();
        List<CollectiveRecord> records = new ArrayList<>();
        long wallStart = System.nanoTime(); // statistics only
        long events = 0;
        long t = 0;
        for (CollectiveKind kind : sweep.kinds()) {
            for (long size : sweep.sizesBytes()) {
                ModelAssembly.Step step = assembly.step(sweep, kind, size);
                Job job = assembly.sweepJob(sweep, kind, size, step, t);
                ExecutionResult r = execute(job, engine, listener);
                SizeRun run = new SizeRun(kind, size, step.schedule(), sweep.iterations(), r, step.choice());
                done.add(run);
                for (String line : FaultOutputs.interruptionLines(job.fabric().faults(),
                        List.of(new FaultOutputs.Step(RunWriter.stepLabel(run), r)), assembly.topology())) {
                    listener.interruption(line);
                }
                records.addAll(Records.sweep(run, assembly.topology(), settings.model().segmentBytes()));
                events += r.stats().events();
                listener.stepDone();
                if (writer != null) {
                    writer.writeSweep(done, engineFigures(events, wallStart), true);
                }
                t = r.endPs();
            }
        }
        if (writer != null) {
            writer.writeSweep(done, engineFigures(events, wallStart), false);
        }
        return new RunResult.Sweep(writer == null ? null : writer.dir(), assembly.topology(), done, records,
                new RunFigures(events, (System.nanoTime() - wallStart) / 1e9, null, null));
    }

    private RunResult runProfile(Engine engine, RunWriter writer, RunListener listener) throws IOException {
        long wallStart = System.nanoTime(); // statistics only
        Job job = assembly.profileJob();
        ExecutionResult r = execute(job, engine, listener);
        listener.stepDone();
        for (String line : FaultOutputs.interruptionLines(job.fabric().faults(),
                List.of(new FaultOutputs.Step("profile", r)), assembly.topology())) {
            listener.interruption(line);
        }
        int gpus = assembly.topology().gpuCount();
        long[][] starts = new long[gpus][];
        long[][] ends = new long[gpus][];
        for (int g = 0; g < gpus; g++) {
            LpReport rep = r.reports()[g];
            starts[g] = rep.taskStartPs();
            ends[g] = rep.taskEndPs();
            if (r.faults() != null) {
                // tasks a fault stopped count until the run's end
                starts[g] = starts[g].clone();
                ends[g] = ends[g].clone();
                for (int i = 0; i < ends[g].length; i++) {
                    if (ends[g][i] < 0) {
                        starts[g][i] = starts[g][i] < 0 ? r.endPs() : starts[g][i];
                        ends[g][i] = r.endPs();
                    }
                }
            }
        }
        ProfileRun run = new ProfileRun(assembly.plan(), r, ProfileResults.iterations(assembly.plan(), starts, ends),
                ProfileResults.ops(assembly.plan(), r.instanceStartPs(), r.instanceEndPs()),
                assembly.profileProtocols());
        long events = r.stats().events();
        if (writer != null) {
            writer.writeProfile(run, engineFigures(events, wallStart));
        }
        return new RunResult.Profile(writer == null ? null : writer.dir(), assembly.topology(), run,
                Records.iterationJoules(run, assembly.topology()),
                Records.profile(run, assembly.topology(), settings.model().segmentBytes()),
                new RunFigures(events, (System.nanoTime() - wallStart) / 1e9, null, null));
    }

    /** Runs one job and aggregates what its LPs recorded. */
    static ExecutionResult execute(Job job, Engine engine, Progress progress) {
        Engine.Outcome o = engine.run(job, progress);
        return ExecutionResult.aggregate(job.workload(), job.fabric().topology().portCount(), job.startPs(),
                o.stats(), o.reports());
    }

    private static Map<String, Object> engineFigures(long events, long wallStartNanos) {
        Map<String, Object> figures = new LinkedHashMap<>();
        double wall = (System.nanoTime() - wallStartNanos) / 1e9;
        figures.put("events", events);
        figures.put("wallSeconds", wall);
        figures.put("eventsPerSecond", wall > 0 ? events / wall : 0);
        return figures;
    }
}

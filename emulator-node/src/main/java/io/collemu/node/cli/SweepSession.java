package io.collemu.node.cli;

import io.collemu.collectives.CollectiveKind;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.EngineKind;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.run.RunOutputs;
import io.collemu.node.run.SizeRun;
import io.collemu.node.run.SweepRunner;
import io.collemu.node.run.SweepSpec;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.RoutingMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sweep on one topology, writing its run directory as it goes (partial after every step, complete at the
 * end). Shared by {@code run} and {@code compare}.
 */
final class SweepSession {
    private final Topology topology;
    private final Fabric fabric;
    private final SweepSpec sweep;
    private final ModelOptions model;
    private final EngineKind engineKind;
    private final int threads;
    private final Map<String, Object> inputs;
    private final SweepRunner.TopologySource source;

    SweepSession(Topology topology, RoutingMode routing, SweepSpec sweep, ModelOptions model,
            EngineKind engineKind, int threads, Map<String, Object> inputs, SweepRunner.TopologySource source) {
        this.source = source;
        this.topology = topology;
        this.fabric = RunCommand.fabric(topology, routing);
        this.sweep = sweep;
        this.model = model;
        this.engineKind = engineKind;
        this.threads = threads;
        this.inputs = inputs;
    }

    Topology topology() {
        return topology;
    }

    Map<String, Object> inputs() {
        return inputs;
    }

    /** Fails on a bad request (unknown algorithm for a kind, impossible n) before anything is written. */
    void validate() {
        SweepRunner runner = new SweepRunner(fabric, model, null);
        for (CollectiveKind k : sweep.kinds()) {
            runner.schedule(sweep, k, sweep.sizesBytes().get(0));
        }
    }

    long steps() {
        return (long) sweep.kinds().size() * sweep.sizesBytes().size();
    }

    /** Runs every step into {@code dir}; returns the steps and the events handled. */
    List<SizeRun> run(Engine engine, Path dir, ProgressReporter progress, int members) {
        Map<String, Object> header = RunCommand.header(engineKind, model, threads);
        header.put("members", members);
        RunOutputs outputs = new RunOutputs(topology, header, inputs);
        List<SizeRun> done = new ArrayList<>();
        long wallStart = System.nanoTime();
        new SweepRunner(fabric, model, engine, source).run(sweep, progress, step -> {
            done.add(step);
            progress.stepDone();
            write(outputs, dir, done, progress.totalEvents(), wallStart, true);
        });
        write(outputs, dir, done, progress.totalEvents(), wallStart, false);
        return done;
    }

    private void write(RunOutputs outputs, Path dir, List<SizeRun> done, long events, long wallStart,
            boolean partial) {
        Map<String, Object> figures = new LinkedHashMap<>();
        double wall = (System.nanoTime() - wallStart) / 1e9;
        figures.put("events", events);
        figures.put("wallSeconds", wall);
        figures.put("eventsPerSecond", wall > 0 ? events / wall : 0);
        try {
            outputs.write(dir, done, model.segmentBytes(), figures, partial);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

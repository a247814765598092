package io.collemu.node.run;

import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.Model;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.Workload;

/** Builds the model of one workload on a fabric, runs it with an engine, and aggregates the result. */
public final class Emulation {
    private Emulation() {
    }

    public static ExecutionResult execute(Fabric fabric, Workload workload, ModelOptions options, Engine engine,
            long startPs, Progress progress) {
        return execute(new Model(fabric, workload, options), engine, startPs, progress);
    }

    public static ExecutionResult execute(Model model, Engine engine, long startPs, Progress progress) {
        Fabric fabric = model.fabric();
        Workload workload = model.workload();
        Engine.Outcome outcome = engine.run(model, startPs, progress);
        return ExecutionResult.aggregate(workload, fabric.topology().portCount(), startPs, outcome.stats(),
                outcome.reports());
    }
}

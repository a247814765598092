package io.collemu.node.engine;

import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.Model;

/** {@link Engine} over {@link SequentialEngine}. */
public final class SequentialEngineRunner implements Engine {

    @Override
    public Outcome run(Model model, long startPs, Progress progress) {
        SequentialEngine engine = new SequentialEngine(model.lps(), model.fabric().lookaheadPs());
        EngineStats stats = engine.run(startPs, progress);
        LpReport[] reports = new LpReport[model.lps().length];
        for (int lp = 0; lp < reports.length; lp++) {
            reports[lp] = model.fabric().isGpuLp(lp) ? model.gpu(lp).report() : model.switchPort(lp).report();
        }
        return new Outcome(stats, reports);
    }
}

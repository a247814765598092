package io.collemu.node.engine;

import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.Model;

/** Runs a model's LPs to the end and collects what each LP recorded. */
public interface Engine extends AutoCloseable {

    /** Runs from {@code startPs} until no event is left; returns the reports of all LPs, indexed by LP id. */
    Outcome run(Model model, long startPs, Progress progress);

    @Override
    default void close() {
    }

    /**
     * @param globalWindows windows across members (0 for the sequential engine)
     * @param crossBatches  batches that crossed members
     * @param barrierWaitNanos mean over members of the wall time spent waiting at global-window barriers
     */
    record Outcome(EngineStats stats, LpReport[] reports, long globalWindows, long crossBatches,
            double barrierWaitNanos) {
        public Outcome(EngineStats stats, LpReport[] reports) {
            this(stats, reports, 0, 0, 0);
        }
    }
}

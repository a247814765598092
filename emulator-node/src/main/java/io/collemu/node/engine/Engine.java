package io.collemu.node.engine;

import io.collemu.node.lp.LpReport;

/** Runs a job's LPs to the end and collects what each LP recorded. Engines may be reused for many jobs. */
public interface Engine extends AutoCloseable {

    /**
     * Runs the job from its start time until no event is left.
     *
     * @param progress receives virtual time and events, from the engine's thread, a few times per second
     * @return the reports of all LPs, indexed by LP id, and what the engine did
     */
    Outcome run(Job job, Progress progress);

    /** Releases threads and sockets; the engine runs nothing afterwards. */
    @Override
    default void close() {
    }

    /**
     * What one run gave.
     *
     * @param globalWindows    windows across members (0 for the sequential engine)
     * @param crossBatches     batches that crossed members
     * @param barrierWaitNanos mean over members of the wall time spent waiting at global-window barriers
     */
    record Outcome(EngineStats stats, LpReport[] reports, long globalWindows, long crossBatches,
            double barrierWaitNanos) {
        /** The outcome of a run inside one member. */
        public Outcome(EngineStats stats, LpReport[] reports) {
            this(stats, reports, 0, 0, 0);
        }
    }
}

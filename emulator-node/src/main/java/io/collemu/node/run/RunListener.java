package io.collemu.node.run;

import io.collemu.node.engine.Progress;
import io.collemu.topology.model.Topology;
import java.nio.file.Path;

/**
 * What the command line hears of a run while it goes on: the engine is ready, the run has started (its
 * directory), each step's end, and the engine's progress. Called from the run's thread (progress: from the
 * engine's thread).
 */
public interface RunListener extends Progress {
    /** Hears nothing. */
    RunListener NONE = (virtualPs, events) -> { };

    /** The engine is up (for a cluster: every member has joined). */
    default void engineReady(String description) {
    }

    /**
     * The run starts writing into {@code dir} (null when nothing is written).
     *
     * @param topology the fabric as resolved
     */
    default void started(Path dir, Topology topology) {
    }

    /** One emulation (a sweep step, or a profile's) has ended. */
    default void stepDone() {
    }

    /**
     * A collective failed: a fault left a flow without a path until its retries ran out. It is a result, not an
     * error (the run goes on); {@code line} says which step, when, which GPUs and why.
     */
    default void interruption(String line) {
    }
}

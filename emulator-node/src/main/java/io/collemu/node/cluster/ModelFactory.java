package io.collemu.node.cluster;

import io.collemu.node.engine.Job;

/**
 * Rebuilds a job from the recipe the leader sent, the same way on every member (the run layer implements it:
 * the cluster does not know how a model is assembled). Must be deterministic and thread-safe.
 */
@FunctionalInterface
public interface ModelFactory {
    /**
     * @throws RuntimeException with a one-line message if the recipe does not build here
     */
    Job job(byte[] recipe);
}

package io.collemu.node.engine;

import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.Model;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.lp.SegmentBound;
import io.collemu.node.lp.Workload;

/**
 * One emulation for an engine to run: a workload on a fabric with the model's options, from {@code startPs}, and
 * the recipe from which other cluster members rebuild the same job (null when it cannot travel).
 *
 * <p>The job's fabric is bounded by its workload's smallest segment ({@link SegmentBound}): every message
 * then travels at least that segment's serialization plus a link, and the windows of the actor engine and of the
 * cluster widen by it.
 *
 * @param recipe opaque to the engines: the run layer writes it, and decodes it on other members
 */
public record Job(Fabric fabric, Workload workload, ModelOptions options, long startPs, byte[] recipe) {

    /** Bounds the fabric by the workload's smallest segment. */
    public Job {
        fabric = SegmentBound.apply(fabric, workload, options);
    }

    /** A fresh model of every LP (an engine builds it once per run). */
    public Model model() {
        return new Model(fabric, workload, options);
    }

    /** A fresh model of only the LPs {@code hosted} accepts (one cluster member's partition). */
    public Model model(java.util.function.IntPredicate hosted) {
        return new Model(fabric, workload, options, hosted);
    }
}

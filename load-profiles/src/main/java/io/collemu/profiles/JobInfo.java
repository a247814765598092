package io.collemu.profiles;

import java.util.Map;

/**
 * A job of a plan: its GPUs and iteration counts.
 *
 * <p>Immutable by convention (do not modify {@code gpus}).
 *
 * @param name       job name
 * @param gpus       local GPU index to global GPU index
 * @param iterations measured iterations (numbered {@code warmup .. warmup+iterations-1})
 * @param warmup     warm-up iterations (numbered {@code 0 .. warmup-1})
 * @param layout     {@code dp, tp, pp, ep} sizes, {@code order} (list) and {@code placement} (map)
 */
public record JobInfo(String name, int[] gpus, int iterations, int warmup, Map<String, Object> layout) {

    /** @return warm-up plus measured iterations */
    public int totalIterations() {
        return warmup + iterations;
    }
}

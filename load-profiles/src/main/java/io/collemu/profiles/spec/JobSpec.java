package io.collemu.profiles.spec;

import java.util.List;

/**
 * One job of a profile as written: which GPUs ({@code all}, {@code 0-63}, {@code 0-7,16-23}, {@code 0-127:2},
 * with expressions such as {@code ${gpuCount/2}}), how many measured and warm-up iterations, its layout and its
 * operations for one iteration.
 *
 * <p>Immutable value.
 */
public record JobSpec(String name, Value gpus, Value iterations, Value warmup, LayoutSpec layout, List<OpNode> ops,
        Loc loc) {

    public JobSpec {
        ops = List.copyOf(ops);
    }
}

package io.collemu.profiles.spec;

import java.util.List;

/**
 * {@code - repeat: N, ops: [...]}: the operations expanded N times in order ({@code a[0], b[0], a[1], ...}),
 * with {@code ${i}} bound to the copy's index. Inside the block, {@code after: [a]} means the same copy of
 * {@code a}; from outside, all copies.
 *
 * <p>Immutable value.
 */
public record RepeatBlock(Value count, List<OpSpec> ops, Loc loc) implements OpNode {

    public RepeatBlock {
        ops = List.copyOf(ops);
    }
}

package io.collemu.profiles.spec;

/**
 * An entry of a job's {@code ops:} list: a single operation or a {@code repeat:} block of operations.
 *
 * <p>Immutable values.
 */
public sealed interface OpNode permits OpSpec, RepeatBlock {

    /** @return where the entry is in the file */
    Loc loc();
}

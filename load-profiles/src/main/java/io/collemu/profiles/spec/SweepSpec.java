package io.collemu.profiles.spec;

/**
 * {@code sizes: {from: 8, to: 8G, factor: 2}}: one copy of the operation per size, from, from*factor, ... up to
 * {@code to} inclusive (as nccl-tests' {@code -b -e -f}).
 *
 * <p>Immutable value.
 */
public record SweepSpec(Value from, Value to, Value factor, Loc loc) {
}

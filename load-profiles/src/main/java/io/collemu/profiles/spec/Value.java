package io.collemu.profiles.spec;

/**
 * The text of a scalar field as written in the profile (possibly with {@code ${...}} expressions), with its
 * location. Evaluated late, when parameters, the fabric size and the repeat index are known; see
 * {@link io.collemu.profiles.expr.Env}.
 *
 * <p>Immutable value.
 */
public record Value(String text, Loc loc) {

    /** @return a value that is not from a file (defaults) */
    public static Value of(String text, Loc loc) {
        return new Value(text, loc);
    }

    @Override
    public String toString() {
        return text;
    }
}

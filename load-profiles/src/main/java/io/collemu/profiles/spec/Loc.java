package io.collemu.profiles.spec;

import io.collemu.profiles.spec.ProfileException;

/**
 * Where a value of a profile came from: file name, 1-based line and field path ({@code jobs[0].ops[2].size}),
 * so that errors found long after parsing (when the profile is bound to a fabric) still name the place.
 *
 * <p>Immutable value.
 */
public record Loc(String file, int line, String field) {

    /** @return the one-line located error {@code file:line: field: what} */
    public ProfileException error(String what) {
        return new ProfileException(file, line, field, what);
    }

    /** @return the location of a sub-field on the same line (for values built from one YAML node) */
    public Loc sub(String name) {
        return new Loc(file, line, field + "." + name);
    }
}

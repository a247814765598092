package io.collemu.profiles.expr;

/**
 * Thrown when an expression uses a name that is only known later ({@code gpuCount}, {@code gpusPerServer},
 * {@code jobGpus}, the repeat index {@code i}): validation at load time skips such values and checks them when
 * the profile is bound to a fabric. Not a user error by itself. Immutable.
 */
public final class UnboundException extends RuntimeException {

    public UnboundException(String name) {
        super("'" + name + "' is not known yet", null, false, false);
    }
}

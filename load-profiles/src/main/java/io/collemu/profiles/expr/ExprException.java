package io.collemu.profiles.expr;

/**
 * An expression that cannot be evaluated (syntax, unknown name, units that do not combine). The message is
 * one line without location; {@link Env} adds file, line and field. Immutable.
 */
public class ExprException extends RuntimeException {

    public ExprException(String message) {
        super(message);
    }
}

package io.collemu.node.cli;

/** A mistake in what the user gave us: printed as one line, exit code 2, never a stack trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}

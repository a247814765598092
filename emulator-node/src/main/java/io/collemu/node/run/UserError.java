package io.collemu.node.run;

/**
 * A mistake in what the user gave us (a flag, a file, an output folder): printed as one line naming what is wrong
 * and where, exit code 2, never a stack trace.
 */
public final class UserError extends RuntimeException {
    /** @param message one line: the flag or file:line:field, and what is wrong */
    public UserError(String message) {
        super(message);
    }
}

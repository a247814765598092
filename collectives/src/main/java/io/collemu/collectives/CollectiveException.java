package io.collemu.collectives;

/**
 * A collective request that cannot be served: unknown kind or algorithm, negative sizes, a rank count the
 * algorithm cannot handle. The message is always a single line naming the field and the offending value, so
 * the command line can print it as is (exit code 2).
 *
 * <p>Immutable; safe to share between threads.
 */
public final class CollectiveException extends RuntimeException {

    /** @param message one line, naming the field and value that are wrong */
    public CollectiveException(String message) {
        super(message.replace('\n', ' '));
    }
}

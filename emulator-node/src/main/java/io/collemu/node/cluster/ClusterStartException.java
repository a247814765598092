package io.collemu.node.cluster;

/**
 * A member's actor system could not start for a reason the user can fix (its port was taken after the up-front
 * check, its address went away): the message is one line naming the flag. The command line reports it like bad
 * input (exit code 2), without a stack trace.
 */
public final class ClusterStartException extends RuntimeException {
    /** @param message one line naming the flag and what is wrong */
    public ClusterStartException(String message) {
        super(message);
    }
}

package io.collemu.node.actor;

/**
 * A cluster member died, became unreachable, or never came: the run cannot go on. The command line turns it into
 * one line on stderr and exit code 3; whatever was measured until then is kept and marked partial.
 */
public final class MemberLostException extends RuntimeException {
    /** @param message names the member and what happened, in one line */
    public MemberLostException(String message) {
        super(message);
    }
}

package io.collemu.node.cli;

/** A cluster member died or became unreachable during a run: exit code 3, results so far kept as partial. */
public final class MemberLostException extends RuntimeException {
    public MemberLostException(String message) {
        super(message);
    }
}

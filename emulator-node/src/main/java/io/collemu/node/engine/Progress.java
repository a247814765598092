package io.collemu.node.engine;

/** Receives engine progress from the engine's thread, at most a few times per second. */
@FunctionalInterface
public interface Progress {
    /** Discards every update. */
    Progress NONE = (virtualPs, events) -> { };

    /** The run has reached virtual time {@code virtualPs} after {@code events} events. */
    void update(long virtualPs, long events);
}

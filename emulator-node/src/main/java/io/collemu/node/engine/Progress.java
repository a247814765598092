package io.collemu.node.engine;

/** Receives engine progress from the engine's thread, at most a few times per second. */
public interface Progress {
    Progress NONE = (virtualPs, events) -> { };

    void update(long virtualPs, long events);
}

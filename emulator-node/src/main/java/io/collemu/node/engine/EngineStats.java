package io.collemu.node.engine;

/**
 * What an engine did: events handled (every call of {@link Lp#handle}: a segment arriving at a port or GPU, a
 * serialization ending, a credit returning, a task starting), the virtual time of the last one, wall time.
 */
public record EngineStats(long events, long endPs, long wallNanos, long windows, long activations) {

    public double eventsPerSecond() {
        return wallNanos == 0 ? 0 : events * 1e9 / wallNanos;
    }
}

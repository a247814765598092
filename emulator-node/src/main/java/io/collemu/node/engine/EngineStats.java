package io.collemu.node.engine;

/**
 * What an engine did in one run. An event is one call of {@link io.collemu.node.lp.Lp#handle}: a segment
 * arriving at a port or GPU, a serialization ending, a credit returning, a task starting or a compute span ending.
 *
 * @param endPs       virtual time of the last event
 * @param wallNanos   wall time of the run (statistics only: it never feeds back into the model)
 * @param windows     local windows (actor engine; 0 for the sequential engine)
 * @param activations actor activations, one per actor per window it had work in
 */
public record EngineStats(long events, long endPs, long wallNanos, long windows, long activations) {

    /** Events per wall second (0 for an instant run). */
    public double eventsPerSecond() {
        return wallNanos == 0 ? 0 : events * 1e9 / wallNanos;
    }
}

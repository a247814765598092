package io.collemu.node.run;

/**
 * What the engine did over a whole run.
 *
 * @param partition how the LPs were spread over cluster members (null in one JVM)
 * @param cluster   global windows, batches across members, barrier waiting (null in one JVM)
 */
public record RunFigures(long events, double wallSeconds, String partition, String cluster) {

    /** Events per wall second. */
    public double eventsPerSecond() {
        return wallSeconds > 0 ? events / wallSeconds : 0;
    }
}

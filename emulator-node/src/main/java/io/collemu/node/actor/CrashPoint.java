package io.collemu.node.actor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the cluster's failure tests: a member JVM started with {@code -Dcollemu.crash-at=PHASE:N}
 * halts (as {@code kill -9} would end it: no shutdown hooks, no goodbye to the cluster) the N-th time it reaches
 * {@code PHASE}: {@code build} (a member starts building a run's model) or {@code gather} (a member's clock is asked
 * for its LPs' reports). Without the property nothing happens; the check is one string comparison per phase, at
 * most once per run.
 */
public final class CrashPoint {
    /** The system property naming the crash point. */
    public static final String PROPERTY = "collemu.crash-at";
    private static final AtomicInteger BUILDS = new AtomicInteger();
    private static final AtomicInteger GATHERS = new AtomicInteger();

    private CrashPoint() {
    }

    /** A member starts building a run's model. */
    public static void build() {
        reached("build", BUILDS);
    }

    /** A member's clock is asked for its reports. */
    public static void gather() {
        reached("gather", GATHERS);
    }

    private static void reached(String phase, AtomicInteger count) {
        String at = System.getProperty(PROPERTY);
        if (at == null || !at.startsWith(phase + ":")) {
            return;
        }
        int n = count.incrementAndGet();
        if (n == Integer.parseInt(at.substring(phase.length() + 1))) {
            System.err.println("collemu node: crashing at " + phase + " " + n + " (" + PROPERTY + ")");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}

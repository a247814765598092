package io.collemu.node.actor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the cluster's failure tests: a member JVM started with {@code -Dcollemu.crash-at=PHASE:N}
 * (the node command reads it and {@link #arm arms} this) halts, as {@code kill -9} would end it (no shutdown hooks,
 * no goodbye to the cluster), the N-th time it reaches {@code PHASE}: {@code build} (a member starts building a
 * run's model) or {@code gather} (a member's clock is asked for its LPs' reports). Unarmed nothing happens; the check
 * is one volatile read per phase, at most once per run.
 */
public final class CrashPoint {
    /** The system property naming the crash point. */
    public static final String PROPERTY = "collemu.crash-at";
    private static final AtomicInteger BUILDS = new AtomicInteger();
    private static final AtomicInteger GATHERS = new AtomicInteger();
    private static volatile String armed;
    private static volatile java.util.function.Consumer<String> log = line -> { };

    private CrashPoint() {
    }

    /**
     * Arms the crash point {@code phaseAndCount} ({@code build:N} or {@code gather:N}); {@code logLine} says so just
     * before the halt.
     *
     * @throws IllegalArgumentException for another form
     */
    public static void arm(String phaseAndCount, java.util.function.Consumer<String> logLine) {
        if (phaseAndCount == null || !phaseAndCount.matches("(build|gather):[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("-D" + PROPERTY + ": '" + phaseAndCount + "' is not build:N or gather:N");
        }
        log = logLine;
        armed = phaseAndCount;
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
        String at = armed;
        if (at == null || !at.startsWith(phase + ":")) {
            return;
        }
        int n = count.incrementAndGet();
        if (n == Integer.parseInt(at.substring(phase.length() + 1))) {
            log.accept("crashing at " + phase + " " + n + " (" + PROPERTY + ")");
            Runtime.getRuntime().halt(137);
        }
    }
}

package io.collemu.node.run;

import java.util.Locale;

/** The engines that run a model. */
public enum EngineKind {
    /** One event queue on one thread: the oracle. */
    SEQUENTIAL,
    /** Pekko actors in conservative windows (on one JVM or a cluster). */
    ACTORS;

    /** The name the command line uses. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

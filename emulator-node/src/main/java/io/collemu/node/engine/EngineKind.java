package io.collemu.node.engine;

import java.util.Locale;

/** The engines that run a model. */
public enum EngineKind {
    SEQUENTIAL, ACTORS;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

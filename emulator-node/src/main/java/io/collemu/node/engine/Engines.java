package io.collemu.node.engine;

import io.collemu.node.actor.ActorEngine;

/** Creates the engine a run asked for. */
public final class Engines {
    private Engines() {
    }

    public static Engine create(EngineKind kind, int threads) {
        return create(kind, threads, Grouping.Mode.SWITCH);
    }

    public static Engine create(EngineKind kind, int threads, Grouping.Mode grouping) {
        return switch (kind) {
            case SEQUENTIAL -> new SequentialEngineRunner();
            case ACTORS -> new ActorEngine(threads, grouping);
        };
    }
}

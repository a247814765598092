package io.collemu.node.run;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.cluster.ClusterEngine;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.SequentialEngine;

/** Creates the engine a run's settings ask for. */
public final class Engines {
    private Engines() {
    }

    /**
     * The sequential engine, the actor engine, or (more than one member) the cluster engine, which waits for its
     * members.
     *
     * @throws io.collemu.node.actor.MemberLostException if the members do not come within the wait
     */
    public static Engine create(EngineSettings s) {
        if (s.members() > 1) {
            return new ClusterEngine(s.cluster(), s.members(), s.memberWait(), s.actors());
        }
        return switch (s.kind()) {
            case SEQUENTIAL -> new SequentialEngine();
            case ACTORS -> new ActorEngine(s.actors());
        };
    }
}

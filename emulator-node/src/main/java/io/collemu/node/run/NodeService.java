package io.collemu.node.run;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.cluster.ClusterSettings;
import io.collemu.node.cluster.MemberNode;
import java.util.function.Consumer;

/** {@code collemu node}: a cluster member that builds each run's jobs with the run layer's model assembly. */
public final class NodeService {
    private NodeService() {
    }

    /** A member ready to {@link MemberNode#serve}; {@code log} receives its state changes, one line each. */
    public static MemberNode create(ClusterSettings cluster, ActorEngine.Settings engine, Consumer<String> log) {
        return new MemberNode(cluster, engine, ModelAssembly.factory(), log);
    }
}

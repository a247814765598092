package io.collemu.node.run;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.cluster.ClusterSettings;
import java.time.Duration;

/**
 * Which engine runs the emulations and where.
 *
 * @param actors     how the actor engine runs (threads, grouping), also on a cluster
 * @param members    cluster members, this process included; 1 = embedded
 * @param cluster    how this process joins the cluster (null when {@code members == 1})
 * @param memberWait how long a leader waits for every member to be up
 */
public record EngineSettings(EngineKind kind, ActorEngine.Settings actors, int members, ClusterSettings cluster,
        Duration memberWait) {
    /** The most members a run may have. */
    public static final int MAX_MEMBERS = 256;

    /** @throws IllegalArgumentException naming the flag that is out of range or inconsistent */
    public EngineSettings {
        if (members < 1 || members > MAX_MEMBERS) {
            throw new IllegalArgumentException("--members: " + members + " is out of range 1.." + MAX_MEMBERS);
        }
        if (members > 1 && kind != EngineKind.ACTORS) {
            throw new IllegalArgumentException("--members " + members + " needs --engine actors");
        }
        if (members > 1 && cluster == null) {
            throw new IllegalArgumentException("--members " + members + " needs cluster settings");
        }
    }

    /** An engine in this process. */
    public static EngineSettings local(EngineKind kind, ActorEngine.Settings actors) {
        return new EngineSettings(kind, actors, 1, null, Duration.ofSeconds(60));
    }

    /** Threads the engine runs LPs on (1 for the sequential engine). */
    public int threads() {
        return kind == EngineKind.ACTORS ? actors.threads() : 1;
    }
}

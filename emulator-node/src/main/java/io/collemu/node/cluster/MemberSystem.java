package io.collemu.node.cluster;

import com.typesafe.config.Config;
import java.net.BindException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Starts a member's actor system. {@link ClusterSettings#probe()} has checked the address and port before; what it
 * cannot rule out (the port taken in between) ends as a {@link ClusterStartException} naming the flag, not as
 * Artery's stack trace. Stateless.
 */
final class MemberSystem {
    private MemberSystem() {
    }

    /** A started actor system of {@code settings} with guardian {@code guardian}. */
    static <T> ActorSystem<T> start(ClusterSettings settings, Behavior<T> guardian, Config engineConfig) {
        try {
            return ActorSystem.create(guardian, ClusterSettings.SYSTEM, settings.config(engineConfig));
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof BindException b) {
                    throw new ClusterStartException(settings.bindRefused(b).getMessage());
                }
            }
            throw e;
        }
    }
}

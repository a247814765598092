package io.collemu.node.cluster;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Watches the members a leader runs on: the first of them that becomes unreachable, is downed or removed completes
 * {@link #lost()} with its address, once and for good. Every wait of the leader (setting a run up, running it)
 * races against that future, so a member lost at any moment ends the wait at once instead of at a timeout.
 * Thread-safe.
 */
final class MemberWatch {
    private final CompletableFuture<String> lost = new CompletableFuture<>();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final ActorSystem<?> system;

    /** Subscribes to the cluster's member events of {@code system}. */
    MemberWatch(ActorSystem<?> system) {
        this.system = system;
        system.systemActorOf(Behaviors.<ClusterEvent.ClusterDomainEvent>setup(ctx -> {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(),
                    ClusterEvent.ClusterDomainEvent.class));
            return Behaviors.receiveMessage(e -> {
                String address = null;
                if (e instanceof ClusterEvent.UnreachableMember u) {
                    address = u.member().address().toString();
                } else if (e instanceof ClusterEvent.MemberRemoved r) {
                    address = r.member().address().toString();
                } else if (e instanceof ClusterEvent.MemberDowned d) {
                    address = d.member().address().toString();
                }
                if (address != null && watched.contains(address)) {
                    lost.complete(address);
                }
                return Behaviors.same();
            });
        }), "member-watch", Props.empty());
    }

    /** From now on, losing the member at {@code address} completes {@link #lost()}. */
    void watch(String address) {
        watched.add(address);
        // it may have been lost before this call, when no event would tell us any more
        var state = Cluster.get(system).state();
        boolean present = false;
        for (org.apache.pekko.cluster.Member m : state.getMembers()) {
            if (m.address().toString().equals(address) && m.status() == org.apache.pekko.cluster.MemberStatus.up()) {
                present = true;
            }
        }
        for (org.apache.pekko.cluster.Member m : state.getUnreachable()) {
            if (m.address().toString().equals(address)) {
                present = false;
            }
        }
        if (!present) {
            lost.complete(address);
        }
    }

    /** Completes with the address of the first watched member lost; never completes exceptionally. */
    CompletableFuture<String> lost() {
        return lost;
    }
}

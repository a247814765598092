package io.collemu.node.cluster;

import io.collemu.node.actor.ActorEngine;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A cluster member that serves runs, one after another ({@code collemu node}): it joins the seeds, hosts its share
 * of each run a leader starts ({@link MemberHost}), and when the leader leaves it starts afresh to serve the next
 * one. An actor system joins a cluster at most once, and Artery gives up on a seed it could not reach for a while,
 * so a member that is not up after {@link #JOIN_ATTEMPT_SECONDS} also starts afresh. {@link #serve} returns once
 * {@link #stop} is called. Thread-safe.
 */
public final class MemberNode {
    /** How long one attempt to join may take before the member starts afresh. */
    public static final int JOIN_ATTEMPT_SECONDS = 10;
    private final ClusterSettings settings;
    private final ActorEngine.Settings engine;
    private final ModelFactory factory;
    private final Consumer<String> log;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<ActorSystem<?>> current = new AtomicReference<>();

    /** @param log receives one line per state change (joining, up, rejoining, stopped) */
    public MemberNode(ClusterSettings settings, ActorEngine.Settings engine, ModelFactory factory,
            Consumer<String> log) {
        this.settings = settings;
        this.engine = engine;
        this.factory = factory;
        this.log = log;
    }

    /** Serves runs until {@link #stop}. */
    public void serve() {
        while (!stop.get()) {
            ActorSystem<?> system = ActorSystem.create(MemberHost.create(ActorEngine.DISPATCHER, factory),
                    ClusterSettings.SYSTEM, settings.config(engine.config()));
            current.set(system);
            if (stop.get()) {
                system.terminate();
            }
            log.accept("member " + Cluster.get(system).selfMember().address() + " joining "
                    + String.join(",", settings.seedNodes()));
            if (awaitUp(system)) {
                log.accept("up");
                awaitSeedGone(system);
                if (!stop.get()) {
                    log.accept("the leader left; rejoining for the next run");
                }
            }
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
        log.accept("stopped");
    }

    /** Makes {@link #serve} return soon: leaves the cluster and terminates the actor system. */
    public void stop() {
        stop.set(true);
        ActorSystem<?> s = current.get();
        if (s != null) {
            s.terminate();
        }
    }

    /** Polls (bounded) until this member is up; false if it is not within JOIN_ATTEMPT_SECONDS. */
    private boolean awaitUp(ActorSystem<?> system) {
        long deadline = System.nanoTime() + JOIN_ATTEMPT_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (system.whenTerminated().isCompleted()) {
                return true;
            }
            if (Cluster.get(system).selfMember().status() == MemberStatus.up()) {
                return true;
            }
            if (!sleep(100)) {
                return true;
            }
        }
        return false;
    }

    /** Returns when the system terminates or every seed has left the cluster (the run's leader is done). */
    private void awaitSeedGone(ActorSystem<?> system) {
        Set<String> seeds = new HashSet<>();
        for (String s : settings.seedNodes()) {
            seeds.add("pekko://" + ClusterSettings.SYSTEM + "@" + s);
        }
        while (!system.whenTerminated().isCompleted()) {
            boolean seedPresent = false;
            for (Member m : Cluster.get(system).state().getMembers()) {
                if (seeds.contains(m.address().toString()) && m.status() != MemberStatus.removed()) {
                    seedPresent = true;
                }
            }
            if (!seedPresent || !sleep(200)) {
                return;
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis); // polling membership with a deadline, off the actors' threads
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

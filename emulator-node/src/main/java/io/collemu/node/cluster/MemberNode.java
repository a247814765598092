package io.collemu.node.cluster;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.MemberLostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A cluster member that serves runs, one after another ({@code collemu node}): it joins the seeds, hosts its share
 * of each run a leader starts ({@link MemberHost}), and when the leader leaves it starts afresh to serve the next
 * one. An actor system joins a cluster at most once, and Artery gives up on a seed it could not reach for a while,
 * so a member that has not joined after {@link #JOIN_ATTEMPT_SECONDS} also starts afresh, at most
 * {@link ClusterSettings#joinAttempts()} times in a row. "Up" means up in a cluster that holds a seed, never a
 * cluster of one. {@link #serve} runs on the caller's thread and is the only one that starts or stops actor
 * systems; {@link #stop} (any thread) makes it return within a poll interval.
 */
public final class MemberNode {
    /** How long one attempt to join may take before the member starts afresh. */
    public static final int JOIN_ATTEMPT_SECONDS = 10;
    private static final long POLL_MILLIS = 100;
    private final ClusterSettings settings;
    private final ActorEngine.Settings engine;
    private final ModelFactory factory;
    private final Consumer<String> log;
    private final AtomicBoolean stop = new AtomicBoolean();

    /** @param log receives one line per state change (joining, up, still trying, rejoining, stopped) */
    public MemberNode(ClusterSettings settings, ActorEngine.Settings engine, ModelFactory factory,
            Consumer<String> log) {
        this.settings = settings;
        this.engine = engine;
        this.factory = factory;
        this.log = log;
    }

    /**
     * Serves runs until {@link #stop}.
     *
     * @throws MemberLostException      if no cluster with a seed was joined in {@code joinAttempts} attempts
     * @throws ClusterStartException    if the actor system cannot bind its address
     */
    public void serve() {
        String seeds = String.join(",", settings.seedNodes());
        int failed = 0;
        boolean announce = true;
        while (!stop.get()) {
            ActorSystem<?> system = MemberSystem.start(settings, MemberHost.create(ActorEngine.DISPATCHER, factory,
                    new MemberHost.LinkHosts(settings.bindEndpoint().host(), settings.host(),
                            ClusterEngine.linkGrace(settings))),
                    engine.config());
            try {
                awaitStarted(system);
                if (stop.get()) {
                    break;
                }
                if (announce) {
                    log.accept("member " + Cluster.get(system).selfMember().address() + " joining " + seeds);
                    announce = false;
                }
                if (awaitJoined(system)) {
                    failed = 0;
                    log.accept("up: joined the cluster of seed " + seeds);
                    awaitSeedGone(system);
                    if (!stop.get()) {
                        log.accept("the leader left; rejoining for the next run");
                        announce = true;
                    }
                } else if (!stop.get()) {
                    failed++;
                    int max = settings.joinAttempts();
                    if (max > 0 && failed >= max) {
                        throw new MemberLostException("no cluster at seed " + seeds + " after " + failed
                                + " attempts of " + JOIN_ATTEMPT_SECONDS + " s; giving up (--join-attempts " + max
                                + ")");
                    }
                    log.accept("no cluster at seed " + seeds + " yet (attempt " + failed + (max > 0 ? " of " + max
                            : "") + ", " + JOIN_ATTEMPT_SECONDS + " s each); trying again");
                }
            } finally {
                terminate(system);
            }
        }
        log.accept("stopped");
    }

    /** Makes {@link #serve} return soon: it leaves the cluster and terminates its actor system. */
    public void stop() {
        stop.set(true);
    }

    /**
     * Waits (bounded) until the receptionist answers: the system's cluster extensions have started, so terminating
     * it now is an orderly stop, not one that fails their start with an error in the log.
     */
    private static void awaitStarted(ActorSystem<?> system) {
        try {
            AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
                    r -> Receptionist.find(MemberHost.HOST_KEY, r), Duration.ofSeconds(5), system.scheduler())
                    .toCompletableFuture().get(6, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // not started in time: terminating it is all that is left to do
        }
    }

    /** Polls (bounded) until this member is up next to a seed; false after JOIN_ATTEMPT_SECONDS or on stop. */
    private boolean awaitJoined(ActorSystem<?> system) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_ATTEMPT_SECONDS);
        while (System.nanoTime() < deadline && !stop.get() && !system.whenTerminated().isCompleted()) {
            if (Cluster.get(system).selfMember().status() == MemberStatus.up() && seedPresent(system, true)) {
                return true;
            }
            if (!sleep()) {
                return false;
            }
        }
        return false;
    }

    /** Returns on stop, when the system terminates, this member is no longer up, or every seed has left. */
    private void awaitSeedGone(ActorSystem<?> system) {
        while (!stop.get() && !system.whenTerminated().isCompleted()
                && Cluster.get(system).selfMember().status() == MemberStatus.up() && seedPresent(system, false)) {
            if (!sleep()) {
                return;
            }
        }
    }

    /** Whether a seed other than this member is in the cluster (and up, if {@code up}). */
    private boolean seedPresent(ActorSystem<?> system, boolean up) {
        List<String> seeds = settings.seedAddresses();
        String self = Cluster.get(system).selfMember().address().toString();
        for (Member m : Cluster.get(system).state().getMembers()) {
            String a = m.address().toString();
            if (!a.equals(self) && seeds.contains(a)
                    && (up ? m.status() == MemberStatus.up() : m.status() != MemberStatus.removed())) {
                return true;
            }
        }
        return false;
    }

    private static void terminate(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // it is going away; the next start binds afresh or names the flag
        }
    }

    private static boolean sleep() {
        try {
            Thread.sleep(POLL_MILLIS); // polling membership with a deadline, off the actors' threads
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

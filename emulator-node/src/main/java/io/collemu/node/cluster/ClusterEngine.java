package io.collemu.node.cluster;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.Coordinator;
import io.collemu.node.actor.LpMessages.ClockCommand;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.cli.MemberLostException;
import io.collemu.node.cluster.HostMessages.ClockReady;
import io.collemu.node.cluster.HostMessages.SetupFailed;
import io.collemu.node.cluster.HostMessages.SetupRun;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Grouping;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Model;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The actor engine spread over a Pekko Cluster: this process is member 0 (it hosts its partition and the
 * coordinator); the other members run {@code collemu node} and host theirs. A run waits, bounded, until every
 * member is up, partitions the LPs ({@link Partition}), has every member build the same model from its recipe,
 * and drives the global windows. A member that dies or becomes unreachable ends the run with
 * {@link MemberLostException} within the failure-detector bound; nothing waits forever.
 */
public final class ClusterEngine implements Engine {
    private static final String DISPATCHER = ActorEngine.DISPATCHER;
    private final ActorSystem<Void> system;
    private final ClusterSettings settings;
    private final int members;
    private final Grouping.Mode groupingMode;
    private final List<ActorRef<HostMessages.Command>> hosts = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final AtomicReference<CompletableFuture<Outcome>> current = new AtomicReference<>();
    private final AtomicReference<String> lost = new AtomicReference<>();
    private Partition lastPartition;
    private long totalGlobalWindows;
    private long totalCrossBatches;
    private double totalBarrierNanos;
    private long totalWallNanos;
    private long runId;

    /**
     * Starts member 0 and waits until {@code members} members are up and every other member's host is known.
     *
     * @throws MemberLostException if they are not there within {@code memberWait}
     */
    public ClusterEngine(ClusterSettings settings, int members, Duration memberWait) {
        this(settings, members, memberWait, Grouping.Mode.SWITCH);
    }

    public ClusterEngine(ClusterSettings settings, int members, Duration memberWait, Grouping.Mode groupingMode) {
        this.settings = settings;
        this.members = members;
        this.groupingMode = groupingMode;
        this.system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM,
                settings.config(ActorEngine.config(settings.threads())));
        try {
            awaitMembers(memberWait);
            findHosts(memberWait);
            watchMembers();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public Partition lastPartition() {
        return lastPartition;
    }

    /** Global windows, cross-member batches, and barrier waiting over every run so far, as one line. */
    public String figures() {
        double wall = totalWallNanos / 1e9;
        return String.format("%d global windows, %.1f us wall per window, %d batches crossed members (%.0f/s), "
                + "members waited at barriers %.0f%% of the run's wall time", totalGlobalWindows,
                totalGlobalWindows == 0 ? 0 : totalWallNanos / 1e3 / totalGlobalWindows, totalCrossBatches,
                wall > 0 ? totalCrossBatches / wall : 0, totalWallNanos == 0 ? 0 : 100 * totalBarrierNanos
                        / totalWallNanos);
    }

    private void awaitMembers(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Cluster cluster = Cluster.get(system);
        while (true) {
            List<String> up = new ArrayList<>();
            for (Member m : cluster.state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up.add(m.address().toString());
                }
            }
            if (up.size() >= members) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new MemberLostException("waited " + wait.toSeconds() + " s for " + members
                        + " cluster members at " + settings.selfAddress() + ", " + up.size() + " up: " + up);
            }
            pause();
        }
    }

    private void findHosts(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        String self = settings.selfAddress();
        while (true) {
            Receptionist.Listing listing = ask(r -> Receptionist.find(HostMessages.HOST_KEY, r));
            Set<ActorRef<HostMessages.Command>> found = listing.getServiceInstances(HostMessages.HOST_KEY);
            List<ActorRef<HostMessages.Command>> remote = new ArrayList<>();
            for (ActorRef<HostMessages.Command> h : found) {
                if (!address(h).equals(self)) {
                    remote.add(h);
                }
            }
            if (remote.size() >= members - 1) {
                remote.sort(Comparator.comparing(ClusterEngine::address));
                names.add(self);
                for (int i = 0; i < members - 1; i++) {
                    hosts.add(remote.get(i));
                    names.add(address(remote.get(i)));
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new MemberLostException("waited " + wait.toSeconds() + " s for " + (members - 1)
                        + " collemu nodes to register, found " + remote.size());
            }
            pause();
        }
    }

    private static String address(ActorRef<?> ref) {
        return ref.path().address().toString();
    }

    private static void pause() {
        try {
            Thread.sleep(100); // polling cluster membership from the command-line thread, with a deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for cluster members", e);
        }
    }

    private Receptionist.Listing ask(java.util.function.Function<ActorRef<Receptionist.Listing>,
            Receptionist.Command> msg) {
        try {
            return AskPattern.ask(system.receptionist(), msg::apply, Duration.ofSeconds(10), system.scheduler())
                    .toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new MemberLostException("the receptionist did not answer: " + e.getMessage());
        }
    }

    /** A member that becomes unreachable or leaves fails the run in progress (and every later one). */
    private void watchMembers() {
        system.systemActorOf(Behaviors.<ClusterEvent.ClusterDomainEvent>setup(ctx -> {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(),
                    ClusterEvent.ClusterDomainEvent.class));
            return Behaviors.receiveMessage(e -> {
                String addr = null;
                if (e instanceof ClusterEvent.UnreachableMember u) {
                    addr = u.member().address().toString();
                } else if (e instanceof ClusterEvent.MemberRemoved r) {
                    addr = r.member().address().toString();
                } else if (e instanceof ClusterEvent.MemberDowned d) {
                    addr = d.member().address().toString();
                }
                if (addr != null && names.contains(addr) && !addr.equals(settings.selfAddress())) {
                    memberLost(addr);
                }
                return Behaviors.same();
            });
        }), "member-watch", org.apache.pekko.actor.typed.Props.empty());
    }

    private void memberLost(String address) {
        lost.compareAndSet(null, address);
        CompletableFuture<Outcome> f = current.get();
        if (f != null) {
            f.completeExceptionally(new MemberLostException("cluster member " + address
                    + " was lost during the run (died or unreachable for " + settings.failureSeconds() + " s)"));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome run(Model model, long startPs, Progress progress) {
        if (lost.get() != null) {
            throw new MemberLostException("cluster member " + lost.get() + " was lost");
        }
        if (model.recipe() == null) {
            throw new IllegalStateException("this workload cannot be distributed (no recipe)");
        }
        Grouping grouping = Grouping.of(model.fabric(), groupingMode);
        Partition p = Partition.of(model.fabric(), members, grouping);
        lastPartition = p;
        long id = ++runId;
        ActorRef<ClockCommand>[] clocks = new ActorRef[members];
        for (int i = 1; i < members; i++) {
            int member = i;
            HostMessages.Reply reply;
            try {
                reply = AskPattern.<HostMessages.Command, HostMessages.Reply>ask(hosts.get(i - 1),
                        r -> new SetupRun(id, member, members, model.recipe(), groupingMode.name(), p.groupMember(),
                                p.crossLookaheadPs(), r),
                        Duration.ofSeconds(120), system.scheduler()).toCompletableFuture().get(130, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new MemberLostException("cluster member " + names.get(i) + " did not set up run " + id + ": "
                        + e.getMessage());
            }
            if (reply instanceof SetupFailed f) {
                throw new IllegalStateException("member " + names.get(i) + " could not build the model: "
                        + f.message());
            }
            clocks[i] = ((ClockReady) reply).clock();
        }
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        current.set(result);
        try {
            clocks[0] = system.systemActorOf(MemberClock.create(model, 0, grouping, p.groupMember(),
                    p.crossLookaheadPs(), startPs, DISPATCHER, progress),
                    "clock-" + id, DispatcherSelector.fromConfig(DISPATCHER));
            system.systemActorOf(Coordinator.create(clocks, names.toArray(String[]::new), model.lps().length,
                    progress, result), "coordinator-" + id, DispatcherSelector.fromConfig(DISPATCHER));
            if (lost.get() != null) {
                memberLost(lost.get());
            }
            Outcome o = result.get();
            totalGlobalWindows += o.globalWindows();
            totalCrossBatches += o.crossBatches();
            totalBarrierNanos += o.barrierWaitNanos();
            totalWallNanos += o.stats().wallNanos();
            return o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } finally {
            current.set(null);
        }
    }

    @Override
    public void close() {
        try {
            Cluster cluster = Cluster.get(system);
            cluster.manager().tell(Leave.create(cluster.selfMember().address()));
        } catch (RuntimeException e) {
            // leaving is best effort
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // shutting down
        }
    }
}

package io.collemu.node.cluster;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.Coordinator;
import io.collemu.node.actor.Grouping;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.actor.MemberLostException;
import io.collemu.node.actor.Placement;
import io.collemu.node.actor.WindowLinks;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Job;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Model;
import io.collemu.node.lp.WorkEstimate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;

/**
 * The actor engine spread over a Pekko Cluster: this process is member 0 (it hosts its partition and the
 * coordinator); the other members run {@code collemu node} and host theirs. Construction waits, bounded, until
 * every member is up and its host is known. Each run partitions the LPs ({@link Partition}), has every member
 * rebuild the job from its recipe ({@link MemberHost}), and drives the global windows. Every wait races against
 * the {@link MemberWatch}: a member that dies or becomes unreachable at any moment (while a run is set up, runs,
 * or reports) ends the run with {@link MemberLostException} within the failure-detector bound; nothing waits
 * forever.
 */
public final class ClusterEngine implements Engine {
    private static final String DISPATCHER = ActorEngine.DISPATCHER;
    /** How long a member may take to build a job's model. */
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(120);
    private final ActorSystem<Void> system;
    private final ClusterSettings settings;
    private final int members;
    private final Grouping.Mode groupingMode;
    /** Threads of each member, for the balanced grouping (one group per thread of the cluster). */
    private final int threadsPerMember;
    private final MemberWatch watch;
    private final List<ActorRef<MemberHost.Command>> hosts = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private Partition lastPartition;
    private long totalGlobalWindows;
    private long totalCrossBatches;
    private double totalBarrierNanos;
    private long totalWallNanos;
    private long runId;
    /** Direct window exchange ({@link WindowLinks}): on without TLS unless the settings keep it on Artery. */
    private final boolean directExchange;
    private final java.security.SecureRandom tokens = new java.security.SecureRandom();

    /** {@code -Dcollemu.window-exchange=pekko} (read by the command line) keeps the window exchange on Artery. */
    public static final String EXCHANGE_PROPERTY = "collemu.window-exchange";

    /**
     * Starts member 0 and waits until {@code members} members are up and every other member's host is known.
     *
     * @throws MemberLostException   if they are not there within {@code memberWait}
     * @throws ClusterStartException if this member cannot bind its address
     */
    public ClusterEngine(ClusterSettings settings, int members, Duration memberWait, ActorEngine.Settings engine) {
        this.settings = settings;
        this.members = members;
        this.groupingMode = engine.grouping();
        this.threadsPerMember = engine.threads();
        this.directExchange = !settings.tlsOn() && settings.directWindows();
        this.system = MemberSystem.start(settings, Behaviors.<Void>empty(), engine.config());
        this.watch = new MemberWatch(system);
        try {
            awaitMembers(memberWait);
            findHosts(memberWait);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The partition of the last run, or null before the first. */
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

    /** This member's address. */
    public String selfAddress() {
        return settings.selfAddress();
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
            Set<ActorRef<MemberHost.Command>> found = listHosts().getServiceInstances(MemberHost.HOST_KEY);
            List<ActorRef<MemberHost.Command>> remote = new ArrayList<>();
            for (ActorRef<MemberHost.Command> h : found) {
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
                    watch.watch(address(remote.get(i)));
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

    private Receptionist.Listing listHosts() {
        CompletableFuture<Receptionist.Listing> f = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                system.receptionist(), r -> Receptionist.find(MemberHost.HOST_KEY, r), Duration.ofSeconds(10),
                system.scheduler()).toCompletableFuture();
        return awaitOrLost(f, Duration.ofSeconds(15), "the receptionist");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome run(Job job, Progress progress) {
        if (job.recipe() == null) {
            throw new IllegalStateException("this job cannot be distributed (no recipe)");
        }
        throwIfLost();
        long[] work = WorkEstimate.perLp(job.fabric(), job.workload(), job.options());
        Grouping grouping = Grouping.of(job.fabric(), groupingMode, members * threadsPerMember, work, members);
        Partition p = Partition.of(job.fabric(), members, grouping, groupingMode, work);
        lastPartition = p;
        long id = ++runId;
        long token = 0;
        WindowLinks links = null;
        if (directExchange) {
            while (token == 0) {
                token = tokens.nextLong();
            }
            try {
                links = WindowLinks.listen(system, settings.bindEndpoint().host(), settings.host(), token);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot open a window link port on " + settings.bindEndpoint().host()
                        + ": " + e.getMessage(), e);
            }
        }
        ActorRef<MemberClock.Command>[] clocks = new ActorRef[members];
        String[] endpoints = new String[members];
        try {
            for (int i = 1; i < members; i++) {
                MemberHost.ClockReady ready = setUp(i, id, job, p, token);
                clocks[i] = ready.clock();
                endpoints[i] = ready.linkEndpoint();
            }
        } catch (RuntimeException e) {
            if (links != null) {
                links.close();
            }
            throw e;
        }
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        Placement placement = new Placement(grouping, p.groupMember(), 0);
        Model model = job.model(lp -> placement.isLocal(grouping.groupOf(lp)));
        clocks[0] = system.systemActorOf(MemberClock.create(new MemberClock.Plan(model, placement,
                p.crossLookaheadPs(), job.startPs(), DISPATCHER, progress, links, linkGrace(settings))),
                "clock-" + id, DispatcherSelector.fromConfig(DISPATCHER));
        if (links != null) {
            endpoints[0] = links.endpoint();
        }
        // a member that opened no link (it could not) keeps the whole run's exchange on Pekko
        boolean allLinked = links != null && java.util.Arrays.stream(endpoints).noneMatch(String::isEmpty);
        String joined = allLinked ? String.join(",", endpoints) : "";
        system.systemActorOf(Coordinator.create(new Coordinator.Members(clocks, names.toArray(String[]::new), joined),
                model.lps().length, progress, result), "coordinator-" + id,
                DispatcherSelector.fromConfig(DISPATCHER));
        Outcome o = awaitOrLost(result, null, "the run");
        totalGlobalWindows += o.globalWindows();
        totalCrossBatches += o.crossBatches();
        totalBarrierNanos += o.barrierWaitNanos();
        totalWallNanos += o.stats().wallNanos();
        return o;
    }

    /**
     * How long a broken window link waits for the cluster to name a lost member: twice the failure timeout (the
     * heartbeat pause, then the split-brain resolver's stable-after) plus 3 s of gossip.
     */
    static java.time.Duration linkGrace(ClusterSettings settings) {
        return Duration.ofMillis(Math.round(2000 * settings.failureSeconds()) + 3000);
    }

    /** Has member {@code member} build the job and spawn its clock. */
    private MemberHost.ClockReady setUp(int member, long id, Job job, Partition p, long token) {
        CompletableFuture<MemberHost.Reply> reply = AskPattern.<MemberHost.Command, MemberHost.Reply>ask(
                hosts.get(member - 1), r -> new MemberHost.SetupRun(id, member, job.recipe(), groupingMode.name(),
                        members * threadsPerMember, members, p.groupMember(), p.crossLookaheadPs(), token, r),
                SETUP_TIMEOUT, system.scheduler())
                .toCompletableFuture();
        MemberHost.Reply r = awaitOrLost(reply, SETUP_TIMEOUT.plusSeconds(10), "cluster member " + names.get(member)
                + " setting up run " + id);
        if (r instanceof MemberHost.SetupFailed f) {
            throw new IllegalStateException("member " + names.get(member) + " could not build the model: "
                    + f.message());
        }
        return (MemberHost.ClockReady) r;
    }

    private void throwIfLost() {
        String address = watch.lost().getNow(null);
        if (address != null) {
            throw lostException(address);
        }
    }

    private MemberLostException lostException(String address) {
        return new MemberLostException("cluster member " + address + " was lost during the run (died or "
                + "unreachable for " + settings.failureSeconds() + " s)");
    }

    /**
     * The value of {@code f}, unless a member is lost first (then {@link MemberLostException}) or {@code timeout}
     * (null: none) passes (then {@link MemberLostException} naming {@code what}).
     */
    private <T> T awaitOrLost(CompletableFuture<T> f, Duration timeout, String what) {
        CompletableFuture<Object> first = CompletableFuture.anyOf(f, watch.lost());
        try {
            if (timeout == null) {
                first.get();
            } else {
                first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (TimeoutException e) {
            throw new MemberLostException(what + " did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            // f failed: reported below
        }
        if (!f.isDone() || (f.isCompletedExceptionally() && watch.lost().isDone())) {
            // a lost member is the cause of whatever else failed with it (e.g. its clock, seen stopped)
            throw lostException(watch.lost().join());
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            if (c instanceof TimeoutException) {
                throw new MemberLostException(what + " did not answer: " + c.getMessage());
            }
            throw new IllegalStateException(c);
        }
    }

    @Override
    public void close() {
        // after a lost member, leaving waits in coordinated shutdown for a member that cannot answer: once in a
        // fresh-clone CI the run then took 30 s more to end (ClusterProcessTest's cut link); the results are
        // written by now, so terminate without leaving and wait little
        boolean lost = watch.lost().isDone();
        if (!lost) {
            try {
                Cluster cluster = Cluster.get(system);
                cluster.manager().tell(Leave.create(cluster.selfMember().address()));
            } catch (RuntimeException e) {
                // leaving is best effort
            }
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(lost ? 5 : 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // shutting down
        }
    }
}

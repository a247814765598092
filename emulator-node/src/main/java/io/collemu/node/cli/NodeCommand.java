package io.collemu.node.cli;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.cluster.ClusterSettings;
import io.collemu.node.cluster.MemberHost;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code collemu node}: a cluster member that hosts its share of the LPs of every run the leader starts. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Starts a cluster member that joins the seed nodes and hosts its share of LPs.",
            "Example: collemu node --seed-nodes 127.0.0.1:25520 --port 25521",
            "then: collemu run --members 2 (on the seed, port 25520)"})
public final class NodeCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Dispatcher threads; 0 = one per core (default).")
    int threads;

    @Option(names = "--exit-on-stdin-close", description = "Leave the cluster and exit when standard input closes "
            + "(for supervisors and tests).")
    boolean exitOnStdinClose;

    @Spec
    CommandSpec spec;

    static final int JOIN_ATTEMPT_SECONDS = 10;

    /**
     * Returns when the system terminates or every seed has left the cluster (the run's leader is done): then this
     * member starts afresh so that it can serve the next run.
     */
    private static void awaitSeedGone(ActorSystem<?> system, ClusterSettings settings) {
        java.util.Set<String> seeds = new java.util.HashSet<>();
        for (String s : settings.seedNodes()) {
            seeds.add("pekko://" + ClusterSettings.SYSTEM + "@" + s);
        }
        while (!system.whenTerminated().isCompleted()) {
            boolean seedPresent = false;
            for (org.apache.pekko.cluster.Member m : Cluster.get(system).state().getMembers()) {
                if (seeds.contains(m.address().toString())
                        && m.status() != org.apache.pekko.cluster.MemberStatus.removed()) {
                    seedPresent = true;
                }
            }
            if (!seedPresent) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Polls (bounded) until this member is up; false if it is not within JOIN_ATTEMPT_SECONDS. */
    private static boolean awaitUp(ActorSystem<?> system) {
        long deadline = System.nanoTime() + JOIN_ATTEMPT_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (system.whenTerminated().isCompleted()) {
                return true;
            }
            if (Cluster.get(system).selfMember().status() == org.apache.pekko.cluster.MemberStatus.up()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return false;
    }

    @Override
    public Integer call() {
        if (cluster.seedNodes.isEmpty()) {
            throw new UserError("--seed-nodes: a node needs the address of the run's leader, e.g. 127.0.0.1:25520");
        }
        int t = threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
        ClusterSettings settings = cluster.settings(t);
        var out = spec.commandLine().getOut();
        java.util.concurrent.atomic.AtomicReference<ActorSystem<?>> current = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        if (exitOnStdinClose) {
            Thread watcher = new Thread(() -> {
                try {
                    InputStream in = System.in;
                    while (in.read() >= 0) {
                        // discard
                    }
                } catch (IOException e) {
                    // treat as closed
                }
                stop.set(true);
                ActorSystem<?> s = current.get();
                if (s != null) {
                    s.terminate();
                }
            }, "stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        // An actor system joins a cluster at most once, and Artery gives up on a seed it could not reach for a
        // while; a member that is not up after JOIN_ATTEMPT_SECONDS therefore starts afresh and tries again.
        while (!stop.get()) {
            ActorSystem<?> system = ActorSystem.create(MemberHost.create(ActorEngine.DISPATCHER),
                    ClusterSettings.SYSTEM, settings.config(ActorEngine.config(t)));
            current.set(system);
            if (stop.get()) {
                system.terminate();
            }
            out.printf("collemu node: member %s joining %s%n", Cluster.get(system).selfMember().address(),
                    String.join(",", cluster.seedNodes));
            out.flush();
            if (awaitUp(system)) {
                out.printf("collemu node: up%n");
                out.flush();
                awaitSeedGone(system, settings);
                if (!stop.get()) {
                    out.printf("collemu node: the leader left; rejoining for the next run%n");
                    out.flush();
                }
            }
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
        out.println("collemu node: stopped");
        out.flush();
        return 0;
    }
}

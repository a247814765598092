package io.collemu.node.cli;

import io.collemu.node.cluster.ClusterSettings;
import io.collemu.node.cluster.ClusterStartException;
import io.collemu.node.cluster.MemberNode;
import io.collemu.node.run.NodeService;
import io.collemu.node.run.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code collemu node}: a cluster member that hosts its share of the LPs of every run a leader starts. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Starts a cluster member that joins the seed nodes and hosts its share of LPs.",
            "Example: collemu node --seed-nodes 127.0.0.1:25520 --port 25521",
            "then: collemu run --members 2 (on the seed, port 25520)"})
public final class NodeCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    ActorOptions actors;

    @Option(names = "--exit-on-stdin-close", description = "Leave the cluster and exit when standard input closes "
            + "(for supervisors and tests).")
    boolean exitOnStdinClose;

    @Option(names = "--join-attempts", paramLabel = "N", defaultValue = "60",
            description = "Attempts of " + MemberNode.JOIN_ATTEMPT_SECONDS + " s each to join the seed before giving "
                + "up with exit code 3, counted afresh after each run; 0 = keep trying (default: ${DEFAULT-VALUE}).")
    int joinAttempts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (cluster.seedNodes.isEmpty()) {
            throw new UserError("--seed-nodes: a node needs the address of the run's leader, e.g. 127.0.0.1:25520");
        }
        var engine = Settings.conclude(actors::settings);
        ClusterSettings settings = Settings.conclude(() -> cluster.settings(engine.threads(), joinAttempts));
        refuseOwnAddressAsSeed(settings);
        PrintWriter out = spec.commandLine().getOut();
        if (cluster.insecureInUse()) {
            spec.commandLine().getErr().println("collemu node: --insecure: plain TCP on " + settings.host()
                    + "; any process that reaches port " + settings.bindEndpoint().port() + " can join");
        }
        MemberNode node = NodeService.create(settings, engine, line -> {
            out.println("collemu node: " + line);
            out.flush();
        });
        String crashAt = System.getProperty(io.collemu.node.actor.CrashPoint.PROPERTY);
        if (crashAt != null) { // fault injection for the cluster's failure tests
            try {
                io.collemu.node.actor.CrashPoint.arm(crashAt, line -> {
                    out.println("collemu node: " + line);
                    out.flush();
                });
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
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
                node.stop();
            }, "stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        try {
            node.serve();
        } catch (ClusterStartException e) {
            throw new UserError(e.getMessage());
        }
        return 0;
    }

    /** A node whose only seed is itself would form a cluster of one and wait there for nobody. */
    private static void refuseOwnAddressAsSeed(ClusterSettings s) {
        for (String seed : s.seedNodes()) {
            int colon = seed.lastIndexOf(':');
            if (Integer.parseInt(seed.substring(colon + 1)) == s.port() && sameHost(seed.substring(0, colon),
                    s.host())) {
                throw new UserError("--seed-nodes: " + seed + " is this node's own address (--host " + s.host()
                        + " --port " + s.port() + "); give the run leader's address and another --port");
            }
        }
    }

    private static boolean sameHost(String a, String b) {
        try {
            return a.equalsIgnoreCase(b) || InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false; // a seed that does not resolve is not this node; joining it will say so
        }
    }
}

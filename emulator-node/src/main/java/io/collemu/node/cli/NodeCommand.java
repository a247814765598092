package io.collemu.node.cli;

import io.collemu.node.cluster.ClusterSettings;
import io.collemu.node.cluster.MemberNode;
import io.collemu.node.run.NodeService;
import io.collemu.node.run.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (cluster.seedNodes.isEmpty()) {
            throw new UserError("--seed-nodes: a node needs the address of the run's leader, e.g. 127.0.0.1:25520");
        }
        var engine = Settings.conclude(actors::settings);
        ClusterSettings settings = Settings.conclude(() -> cluster.settings(engine.threads()));
        PrintWriter out = spec.commandLine().getOut();
        MemberNode node = NodeService.create(settings, engine, line -> {
            out.println("collemu node: " + line);
            out.flush();
        });
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
        node.serve();
        return 0;
    }
}

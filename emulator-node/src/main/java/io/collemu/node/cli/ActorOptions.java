package io.collemu.node.cli;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.Grouping;
import io.collemu.node.run.UserError;
import picocli.CommandLine.Option;

/** How the actor engine runs: {@code --threads} and {@code --actor-groups}, shared by every command that runs. */
public final class ActorOptions {
    /** The most dispatcher threads. */
    static final int MAX_THREADS = 256;

    @Option(names = "--actor-groups", paramLabel = "lp|server|switch|balanced", defaultValue = "balanced",
            description = "Actor engine: one actor per LP, or a server's GPUs and NVSwitch ports in one actor "
                + "(server), and also each other switch's ports in one (switch), or those joined into one actor per "
                + "thread, cut by the work estimated from the workload (balanced) (default: ${DEFAULT-VALUE}).")
    String actorGroups;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Dispatcher threads for the actor engine, 0..256; 0 = one per core (default).")
    int threads;

    /** The actor engine's settings. */
    ActorEngine.Settings settings() {
        Grouping.Mode mode;
        try {
            mode = Grouping.Mode.fromName(actorGroups);
        } catch (IllegalArgumentException e) {
            throw new UserError("--actor-groups: '" + actorGroups + "' is not lp, server, switch or balanced");
        }
        return ActorEngine.Settings.of(threads(), mode);
    }

    /** Dispatcher threads, 0 meaning one per core. */
    int threads() {
        if (threads < 0 || threads > MAX_THREADS) {
            throw new UserError("--threads: " + threads + " is out of range 0.." + MAX_THREADS);
        }
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}

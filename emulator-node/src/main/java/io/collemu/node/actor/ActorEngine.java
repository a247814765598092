package io.collemu.node.actor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.collemu.node.actor.LpMessages.ClockCommand;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Grouping;
import io.collemu.node.lp.Model;
import org.apache.pekko.actor.typed.ActorRef;
import io.collemu.node.engine.Progress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actor engine: every GPU LP and every switch-port LP is a Pekko typed actor, and a {@link WindowClock}
 * advances virtual time in conservative windows. One ActorSystem per engine, reused for every run it does; the
 * LP dispatcher has a fixed number of threads.
 */
public final class ActorEngine implements Engine {
    public static final String DISPATCHER = "collemu.lp-dispatcher";
    private final ActorSystem<RunRequest> system;
    private final int threads;
    private final Grouping.Mode grouping;

    /** A run for the guardian to start. */
    public record RunRequest(Model model, Grouping.Mode grouping, long startPs, Progress progress,
            CompletableFuture<Outcome> result) {
    }

    public ActorEngine(int threads) {
        this(threads, Grouping.Mode.SWITCH);
    }

    /** @param grouping which LPs share an actor (see {@link Grouping}) */
    public ActorEngine(int threads, Grouping.Mode grouping) {
        this.threads = threads;
        this.grouping = grouping;
        this.system = ActorSystem.create(guardian(), "collemu", config(threads));
    }

    public static Config config(int threads) {
        String executor = System.getProperty("collemu.executor", "fj");
        String body = "affinity".equals(executor)
                ? "  executor = affinity-pool-executor\n"
                    + "  affinity-pool-executor { parallelism-min = " + threads + ", parallelism-max = " + threads
                    + ", parallelism-factor = 1.0, idle-cpu-level = " + System.getProperty("collemu.idle", "5")
                    + " }\n"
                : "  executor = fork-join-executor\n"
                    + "  fork-join-executor { parallelism-min = " + threads + ", parallelism-max = " + threads
                    + ", parallelism-factor = 1.0 }\n";
        return ConfigFactory.parseString(DISPATCHER + " {\n"
                + "  type = Dispatcher\n"
                + body
                + "  throughput = " + System.getProperty("collemu.throughput", "64") + "\n"
                + "}\n").withFallback(ConfigFactory.load());
    }

    /** One member hosting every LP: the cross-member lookahead is infinite. */
    @SuppressWarnings("unchecked")
    private static Behavior<RunRequest> guardian() {
        return Behaviors.receive((ctx, req) -> {
            Model model = req.model();
            Grouping grouping = Grouping.of(model.fabric(), req.grouping());
            int[] groupMember = new int[grouping.groupCount()];
            Behavior<ClockCommand> clock = MemberClock.create(model, 0, grouping, groupMember, Long.MAX_VALUE / 4,
                    req.startPs(), DISPATCHER, req.progress());
            ActorRef<ClockCommand>[] clocks = new ActorRef[] {
                ctx.spawnAnonymous(clock, DispatcherSelector.fromConfig(DISPATCHER))};
            ctx.spawnAnonymous(Coordinator.create(clocks, new String[] {"local"}, model.lps().length, req.progress(),
                    req.result()), DispatcherSelector.fromConfig(DISPATCHER));
            return Behaviors.same();
        });
    }

    public int threads() {
        return threads;
    }

    @Override
    public Outcome run(Model model, long startPs, Progress progress) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        system.tell(new RunRequest(model, grouping, startPs, progress, result));
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the actor engine ran", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(Duration.ofSeconds(30).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // shutting down: nothing more to do
        }
    }
}

package io.collemu.node.actor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.collemu.node.actor.LpMessages.ClockCommand;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Model;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actor engine: every GPU LP and every switch-port LP is a Pekko typed actor, and a {@link WindowClock}
 * advances virtual time in conservative windows. One ActorSystem per engine, reused for every run it does; the
 * LP dispatcher has a fixed number of threads.
 */
public final class ActorEngine implements Engine {
    static final String DISPATCHER = "collemu.lp-dispatcher";
    private final ActorSystem<RunRequest> system;
    private final int threads;

    /** A run for the guardian to start. */
    public record RunRequest(Model model, long startPs, Progress progress, CompletableFuture<Outcome> result) {
    }

    public ActorEngine(int threads) {
        this.threads = threads;
        this.system = ActorSystem.create(guardian(), "collemu", config(threads));
    }

    static Config config(int threads) {
        return ConfigFactory.parseString(DISPATCHER + " {\n"
                + "  type = Dispatcher\n"
                + "  executor = fork-join-executor\n"
                + "  fork-join-executor { parallelism-min = " + threads + ", parallelism-max = " + threads
                + ", parallelism-factor = 1.0 }\n"
                + "  throughput = 64\n"
                + "}\n").withFallback(ConfigFactory.load());
    }

    private static Behavior<RunRequest> guardian() {
        return Behaviors.receive((ctx, req) -> {
            Behavior<ClockCommand> clock = WindowClock.create(req.model(), req.startPs(), req.progress(), req.result(),
                    DISPATCHER);
            ctx.spawnAnonymous(clock);
            return Behaviors.same();
        });
    }

    public int threads() {
        return threads;
    }

    @Override
    public Outcome run(Model model, long startPs, Progress progress) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        system.tell(new RunRequest(model, startPs, progress, result));
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

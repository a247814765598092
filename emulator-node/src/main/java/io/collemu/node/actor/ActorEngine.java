package io.collemu.node.actor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Job;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Model;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actor engine in one JVM: LPs run in {@link LpActor}s (grouped as {@link Grouping} says), one
 * {@link MemberClock} advances virtual time in conservative windows, and a {@link Coordinator} over that single
 * member ends the run. One ActorSystem per engine, reused for every run; the LP dispatcher has a fixed number of
 * threads. {@link #run} blocks the caller until the run ends.
 */
public final class ActorEngine implements Engine {
    /** The dispatcher every LP actor, clock and coordinator runs on. */
    public static final String DISPATCHER = "collemu.lp-dispatcher";
    private final ActorSystem<RunRequest> system;
    private final Settings settings;

    /**
     * How the actor engine runs.
     *
     * @param threads    dispatcher threads, at least 1
     * @param grouping   which LPs share an actor
     * @param throughput messages an actor handles before it yields its thread
     * @param forceParallel a balanced grouping makes one group per thread even for a run too small to gain
     */
    public record Settings(int threads, Grouping.Mode grouping, int throughput, boolean forceParallel) {
        /** The given threads and grouping, 64 messages per turn; a small balanced run is one group. */
        public static Settings of(int threads, Grouping.Mode grouping) {
            return new Settings(threads, grouping, 64, false);
        }

        /** The same, but a balanced grouping always makes one group per thread (tests of the parallel path). */
        public Settings alwaysParallel() {
            return new Settings(threads, grouping, throughput, true);
        }

        /** The Pekko configuration of the LP dispatcher, over the defaults. */
        public Config config() {
            return ConfigFactory.parseString(DISPATCHER + " {\n"
                    + "  type = Dispatcher\n"
                    // not fork-join: measured on pkt-a2a128 (2 groups, 2 threads), a fork-join pool ran the two
                    // groups a clock activates together in the same window in 326 of 59,512 activations (the
                    // second worker does not wake up for the task pushed on the first one's queue before that one
                    // takes it), a fixed thread pool in 38,772
                    + "  executor = thread-pool-executor\n"
                    + "  thread-pool-executor { fixed-pool-size = " + threads + " }\n"
                    + "  throughput = " + throughput + "\n"
                    + "}\n").withFallback(ConfigFactory.load());
        }
    }

    /** A run for the guardian to start. */
    private record RunRequest(Model model, long startPs, Progress progress, CompletableFuture<Outcome> result) {
    }

    /** Starts the engine's actor system. */
    public ActorEngine(Settings settings) {
        this.settings = settings;
        this.system = ActorSystem.create(guardian(settings), "collemu", settings.config());
    }

    /** One member hosting every LP: the cross-member lookahead is infinite. */
    @SuppressWarnings("unchecked")
    private static Behavior<RunRequest> guardian(Settings settings) {
        Grouping.Mode mode = settings.grouping();
        return Behaviors.receive((ctx, req) -> {
            Model model = req.model();
            Placement placement = Placement.single(Grouping.of(model, mode, settings.threads(),
                    settings.forceParallel()));
            MemberClock.Plan plan = new MemberClock.Plan(model, placement, Long.MAX_VALUE, req.startPs(), DISPATCHER,
                    req.progress());
            ActorRef<MemberClock.Command>[] clocks = new ActorRef[] {
                ctx.spawnAnonymous(MemberClock.create(plan), DispatcherSelector.fromConfig(DISPATCHER))};
            Coordinator.Members members = new Coordinator.Members(clocks, new String[] {"local"}, "");
            ctx.spawnAnonymous(Coordinator.create(members, model.lps().length, req.progress(), req.result()),
                    DispatcherSelector.fromConfig(DISPATCHER));
            return Behaviors.same();
        });
    }

    /** How this engine runs. */
    public Settings settings() {
        return settings;
    }

    @Override
    public Outcome run(Job job, Progress progress) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        system.tell(new RunRequest(job.model(), job.startPs(), progress, result));
        return await(result);
    }

    /** Waits for a run's outcome, rethrowing what it failed with. */
    static Outcome await(CompletableFuture<Outcome> result) {
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

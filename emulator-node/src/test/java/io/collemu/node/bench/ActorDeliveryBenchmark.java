package io.collemu.node.bench;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.LpActor;
import io.collemu.node.actor.Grouping;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.actor.Placement;
import io.collemu.node.lp.Lp;
import io.collemu.node.lp.LpContext;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.PortStats;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * LP-to-LP delivery through actors: batches of events sent to a real {@link LpActor} (through its Pekko
 * mailbox, into its event queue), then one window that hands every event to the LP, as the engine does. Reports
 * delivered batches (messages) per second; multiply by eventsPerBatch for events per second.
 *
 * <p>Run: see README, "Benchmarks".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ActorDeliveryBenchmark {
    static final int BATCHES = 10_000;

    @Param({"1", "16"})
    int eventsPerBatch;

    private ActorSystem<Void> system;
    private ActorRef<LpActor.Command> lp;
    private final AtomicReference<CountDownLatch> windowDone = new AtomicReference<>();
    private long sent;
    private long time;

    /** Counts what it is handed. */
    static final class CountingLp implements Lp {
        long handled;

        @Override
        public int id() {
            return 0;
        }

        @Override
        public void handle(int kind, Object payload, long aux, int srcLp, LpContext ctx) {
            handled++;
        }

        @Override
        public LpReport report() {
            return new LpReport(0, null, null, null, null, new PortStats[0], 0, 0, 0);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        system = ActorSystem.create(Behaviors.empty(), "bench",
                ActorEngine.Settings.of(2, Grouping.Mode.LP).config());
        ActorRef<MemberClock.Command> clock = system.systemActorOf(Behaviors.receiveMessage(m -> {
            if (m instanceof MemberClock.WindowDone) {
                windowDone.get().countDown();
            }
            return Behaviors.same();
        }), "clock", Props.empty());
        CountingLp counting = new CountingLp();
        long[] lookahead = {1, 1};
        Placement placement = new Placement(Grouping.ofGroups(new int[] {0, 1}), new int[2], 0);
        lp = system.systemActorOf(LpActor.create(0, new Lp[] {counting},
                new LpActor.Wiring(placement, lookahead, d -> null, clock)), "lp",
                DispatcherSelector.fromConfig(ActorEngine.DISPATCHER));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Benchmark
    @OperationsPerInvocation(BATCHES)
    public void deliverBatchesThenRunOneWindow() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        windowDone.set(latch);
        for (int i = 0; i < BATCHES; i++) {
            long[] t = new long[eventsPerBatch];
            long[] seq = new long[eventsPerBatch];
            for (int e = 0; e < eventsPerBatch; e++) {
                t[e] = ++time;
                seq[e] = e;
            }
            int[] src = new int[eventsPerBatch];
            java.util.Arrays.fill(src, 1);
            lp.tell(new LpActor.Batch(eventsPerBatch, src, new int[eventsPerBatch], t, seq,
                    new int[eventsPerBatch], new long[eventsPerBatch], new Object[eventsPerBatch]));
        }
        sent += BATCHES;
        lp.tell(new LpActor.StartWindow(time + 1, sent));
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the LP did not finish its window");
        }
    }
}

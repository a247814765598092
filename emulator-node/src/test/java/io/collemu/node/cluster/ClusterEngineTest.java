package io.collemu.node.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.Grouping;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.actor.MemberLostException;
import io.collemu.node.engine.Job;
import io.collemu.node.engine.Progress;
import io.collemu.node.run.TestJobs;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The leader's waits race against the member watch: a member that goes away at the one moment nothing else
 * watched (while the leader waits for it to set a run up) ends the run within the failure bound. Two real actor
 * systems in this JVM on 127.0.0.1; the member's host leaves the cluster the moment it is asked to set up.
 */
class ClusterEngineTest {
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A host that registers like the real one and, asked to set up a run, takes its member down. */
    static Behavior<MemberHost.Command> dyingHost() {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(MemberHost.HOST_KEY, ctx.getSelf()));
            return Behaviors.receive(MemberHost.Command.class)
                    .onMessage(MemberHost.SetupRun.class, m -> {
                        ctx.getSystem().terminate();
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** A host whose clock fails on its first message (as one did on a batch that overtook its Peers). */
    static Behavior<MemberHost.Command> hostWithFailingClock() {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(MemberHost.HOST_KEY, ctx.getSelf()));
            return Behaviors.receive(MemberHost.Command.class)
                    .onMessage(MemberHost.SetupRun.class, m -> {
                        var clock = ctx.spawnAnonymous(Behaviors.receive(MemberClock.Command.class)
                                .onAnyMessage(c -> {
                                    throw new IllegalStateException("clock failure for the test");
                                })
                                .build());
                        m.replyTo().tell(new MemberHost.ClockReady(m.runId(), m.member(), clock, ""));
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    @Test
    @Timeout(90)
    void shouldEndTheRunWithAnErrorWhenAMembersClockFails() throws Exception {
        int seed = freePort();
        ActorEngine.Settings engine = ActorEngine.Settings.of(1, Grouping.Mode.SWITCH);
        ClusterSettings leaderSettings = ClusterSettings.loopback(seed, List.of(), 2);
        ClusterSettings memberSettings = ClusterSettings.loopback(freePort(), List.of("127.0.0.1:" + seed), 2);
        ActorSystem<MemberHost.Command> member = ActorSystem.create(hostWithFailingClock(), ClusterSettings.SYSTEM,
                memberSettings.config(engine.config()));
        try (ClusterEngine leader = new ClusterEngine(leaderSettings, 2, Duration.ofSeconds(60), engine)) {
            Job job = TestJobs.sweepJob("single-switch:gpus=4,link=cpo-800g", 1 << 20);
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> leader.run(job, Progress.NONE));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains(memberSettings.selfAddress() + ": its clock stopped"),
                    e.getMessage());
            assertTrue(seconds < 30, "noticed after " + seconds + " s");
        } finally {
            member.terminate();
            member.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(90)
    void shouldEndTheRunWhenAMemberIsLostWhileSettingItUp() throws Exception {
        int seed = freePort();
        ActorEngine.Settings engine = ActorEngine.Settings.of(1, Grouping.Mode.SWITCH);
        ClusterSettings leaderSettings = ClusterSettings.loopback(seed, List.of(), 2);
        ClusterSettings memberSettings = ClusterSettings.loopback(freePort(), List.of("127.0.0.1:" + seed), 2);
        ActorSystem<MemberHost.Command> member = ActorSystem.create(dyingHost(), ClusterSettings.SYSTEM,
                memberSettings.config(engine.config()));
        try (ClusterEngine leader = new ClusterEngine(leaderSettings, 2, Duration.ofSeconds(60), engine)) {
            Job job = TestJobs.sweepJob("single-switch:gpus=4,link=cpo-800g", 1 << 20);
            long t0 = System.nanoTime();
            MemberLostException e = assertThrows(MemberLostException.class, () -> leader.run(job, Progress.NONE));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains("lost"), e.getMessage());
            assertTrue(seconds < 30, "noticed after " + seconds + " s; the set-up wait alone is 120 s");
        } finally {
            member.terminate();
            member.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}

package io.collemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.PortStats;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The coordinator against two probe clocks: global windows at the earliest next event, then the reports. */
class CoordinatorTest {
    static final ActorTestKit KIT = ActorTestKit.create();
    static final Duration WAIT = Duration.ofSeconds(5);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @SuppressWarnings("unchecked")
    static ActorRef<MemberClock.Command>[] refs(TestProbe<MemberClock.Command> a, TestProbe<MemberClock.Command> b) {
        return new ActorRef[] {a.getRef(), b.getRef()};
    }

    static LpReport report(int lp) {
        return new LpReport(lp, null, null, null, null, new PortStats[0], 0, 0, 0);
    }

    @Test
    void shouldGatherTheReportsOnceEveryMemberHasNoEventLeft() throws Exception {
        TestProbe<MemberClock.Command> a = KIT.createTestProbe(MemberClock.Command.class);
        TestProbe<MemberClock.Command> b = KIT.createTestProbe(MemberClock.Command.class);
        CompletableFuture<Engine.Outcome> result = new CompletableFuture<>();
        ActorRef<Coordinator.Command> c = KIT.spawn(Coordinator.create(new Coordinator.Members(refs(a, b),
                new String[] {"a", "b"}, ""), 2, Progress.NONE, result));
        a.expectMessageClass(MemberClock.Peers.class, WAIT);
        b.expectMessageClass(MemberClock.Peers.class, WAIT);
        // the clocks advanced the global windows among themselves; each says when nothing is left anywhere
        c.tell(new Coordinator.MemberDone(0, 300, Long.MAX_VALUE, 15, 1, 1, 0, 0, 7));
        a.expectNoMessage(Duration.ofMillis(100));
        c.tell(new Coordinator.MemberDone(1, 300, Long.MAX_VALUE, 30, 2, 2, 4, 0, 7));
        a.expectMessageClass(MemberClock.CollectReports.class, WAIT);
        b.expectMessageClass(MemberClock.CollectReports.class, WAIT);
        c.tell(new Coordinator.MemberReports(1, new LpReport[] {report(1)}));
        c.tell(new Coordinator.MemberReports(0, new LpReport[] {report(0)}));
        Engine.Outcome o = result.get(5, TimeUnit.SECONDS);
        assertEquals(45, o.stats().events(), "each member's figures, summed");
        assertEquals(7, o.globalWindows());
        assertEquals(4, o.crossBatches());
        assertEquals(0, o.reports()[0].lp());
        assertEquals(1, o.reports()[1].lp());
    }

    @Test
    void shouldFailTheRunWhenAMemberStopsWithEventsLeft() {
        TestProbe<MemberClock.Command> a = KIT.createTestProbe(MemberClock.Command.class);
        TestProbe<MemberClock.Command> b = KIT.createTestProbe(MemberClock.Command.class);
        CompletableFuture<Engine.Outcome> result = new CompletableFuture<>();
        ActorRef<Coordinator.Command> c = KIT.spawn(Coordinator.create(new Coordinator.Members(refs(a, b),
                new String[] {"a", "b"}, ""), 2, Progress.NONE, result));
        c.tell(new Coordinator.MemberDone(1, 300, 500, 30, 2, 2, 4, 0, 7));
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertEquals("member b stopped at 300 ps with events left at 500 ps", e.getCause().getMessage());
    }

    /** A clock that stops mid-run (it failed: its member's log says why) can send no MemberDone: an error, at once. */
    @Test
    void shouldFailTheRunWhenAMembersClockStopsBeforeItsReports() {
        TestProbe<MemberClock.Command> a = KIT.createTestProbe(MemberClock.Command.class);
        TestProbe<MemberClock.Command> b = KIT.createTestProbe(MemberClock.Command.class);
        CompletableFuture<Engine.Outcome> result = new CompletableFuture<>();
        ActorRef<Coordinator.Command> c = KIT.spawn(Coordinator.create(new Coordinator.Members(refs(a, b),
                new String[] {"a", "b"}, ""), 2, Progress.NONE, result));
        b.expectMessageClass(MemberClock.Peers.class, WAIT);
        b.stop();
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertEquals("member b: its clock stopped before the run ended (see that member's log)",
                e.getCause().getMessage());
    }

    /** While collecting, a clock stops as soon as it has sent its reports; that stop may be seen before them. */
    @Test
    void shouldWaitForTheReportsOfAClockSeenStoppedWhileCollecting() throws Exception {
        TestProbe<MemberClock.Command> a = KIT.createTestProbe(MemberClock.Command.class);
        TestProbe<MemberClock.Command> b = KIT.createTestProbe(MemberClock.Command.class);
        CompletableFuture<Engine.Outcome> result = new CompletableFuture<>();
        ActorRef<Coordinator.Command> c = KIT.spawn(Coordinator.create(new Coordinator.Members(refs(a, b),
                new String[] {"a", "b"}, ""), 2, Progress.NONE, result));
        c.tell(new Coordinator.MemberDone(0, 0, Long.MAX_VALUE, 10, 1, 1, 0, 0, 0));
        c.tell(new Coordinator.MemberDone(1, 0, Long.MAX_VALUE, 20, 1, 1, 0, 0, 0));
        b.expectMessageClass(MemberClock.Peers.class, WAIT);
        b.expectMessageClass(MemberClock.CollectReports.class, WAIT);
        b.stop();
        TestProbe<Void> watcher = KIT.createTestProbe();
        watcher.expectTerminated(b.getRef(), WAIT);
        c.tell(new Coordinator.MemberReports(0, new LpReport[] {report(0)}));
        c.tell(new Coordinator.MemberReports(1, new LpReport[] {report(1)}));
        assertEquals(30, result.get(5, TimeUnit.SECONDS).stats().events());
    }

    @Test
    void shouldFailTheRunWhenAMembersLpFails() {
        TestProbe<MemberClock.Command> a = KIT.createTestProbe(MemberClock.Command.class);
        TestProbe<MemberClock.Command> b = KIT.createTestProbe(MemberClock.Command.class);
        CompletableFuture<Engine.Outcome> result = new CompletableFuture<>();
        ActorRef<Coordinator.Command> c = KIT.spawn(Coordinator.create(new Coordinator.Members(refs(a, b),
                new String[] {"a", "b"}, ""), 2, Progress.NONE, result));
        c.tell(new Coordinator.MemberFailed(1, "LP 7: IllegalStateException: credits exceed the buffer", false));
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("member b: LP 7"), e.getCause().getMessage());
    }
}

package io.collemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.node.lp.Lp;
import io.collemu.node.lp.LpContext;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.PortStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One LP actor against probes standing for its clock and the other actors: it waits for the batches it is owed,
 * processes its window, and sends one batch per destination group, local ones directly, remote ones through the
 * clock.
 */
class LpActorTest {
    static final ActorTestKit KIT = ActorTestKit.create();
    static final Duration WAIT = Duration.ofSeconds(5);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** LP 0: on each event of kind 1 at time t, sends LP 1 (local group 1) and LP 2 (group 2, remote) at t + 10. */
    static final class Forwarder implements Lp {
        final List<Long> handledAt = new ArrayList<>();

        @Override
        public int id() {
            return 0;
        }

        @Override
        public void handle(int kind, Object payload, long aux, int srcLp, LpContext ctx) {
            if (kind == 99) {
                throw new IllegalStateException("boom");
            }
            handledAt.add(ctx.nowPs());
            ctx.send(1, ctx.nowPs() + 10, 2, null, aux);
            ctx.send(2, ctx.nowPs() + 10, 3, null, aux);
        }

        @Override
        public LpReport report() {
            return new LpReport(0, null, null, null, null, new PortStats[0], 0, 0, handledAt.size());
        }
    }

    static LpActor.Batch batch(long... times) {
        int n = times.length;
        long[] seq = new long[n];
        int[] kind = new int[n];
        for (int i = 0; i < n; i++) {
            seq[i] = i;
            kind[i] = 1;
        }
        return new LpActor.Batch(n, new int[n], new int[n], times, seq, kind, new long[n], new Object[n]);
    }

    @Test
    void shouldWaitForTheBatchesItIsOwedThenRunItsWindowAndRouteWhatItSent() {
        TestProbe<MemberClock.Command> clock = KIT.createTestProbe(MemberClock.Command.class);
        TestProbe<LpActor.Command> localPeer = KIT.createTestProbe(LpActor.Command.class);
        // LPs 0, 1, 2 in groups 0, 1, 2; groups 0 and 1 on member 0 (here), group 2 on member 1
        Placement placement = new Placement(Grouping.ofGroups(new int[] {0, 1, 2}), new int[] {0, 0, 1}, 0);
        @SuppressWarnings("unchecked")
        ActorRef<LpActor.Command>[] refs = new ActorRef[3];
        refs[1] = localPeer.getRef();
        Forwarder lp = new Forwarder();
        ActorRef<LpActor.Command> actor = KIT.spawn(LpActor.create(0, new Lp[] {lp},
                new LpActor.Wiring(placement, new long[] {10, 10, 10}, g -> refs[g], clock.getRef())));

        actor.tell(new LpActor.Begin(0));
        MemberClock.WindowDone begun = clock.expectMessageClass(MemberClock.WindowDone.class, WAIT);
        assertEquals(Long.MAX_VALUE, begun.nextLocalPs());

        actor.tell(new LpActor.StartWindow(150, 1));
        clock.expectNoMessage(Duration.ofMillis(200));
        assertEquals(List.of(), lp.handledAt, "it waits for the batch it is owed");
        actor.tell(batch(100, 200));
        MemberClock.WindowDone done = clock.expectMessageClass(MemberClock.WindowDone.class, WAIT);
        assertEquals(List.of(100L), lp.handledAt, "only what is due before the horizon");
        assertEquals(1, done.events());
        assertEquals(200, done.nextLocalPs());
        assertArrayEquals(new int[] {1}, done.dests());
        assertArrayEquals(new long[] {110}, done.destMinPs());
        assertArrayEquals(new int[] {2}, done.remoteDsts(), "group 2 lives on another member: via the clock");
        assertEquals(110, done.remoteBatches()[0].timePs()[0]);
        LpActor.Batch toPeer = localPeer.expectMessageClass(LpActor.Batch.class, WAIT);
        assertEquals(1, toPeer.count());
        assertEquals(1, toPeer.dstLp()[0]);
        assertEquals(0, toPeer.srcLp()[0]);
        assertEquals(110, toPeer.timePs()[0]);

        actor.tell(new LpActor.Collect(clock.getRef()));
        MemberClock.Reported r = clock.expectMessageClass(MemberClock.Reported.class, WAIT);
        assertEquals(1, r.report().bytesDelivered());
    }

    @Test
    void shouldReportAFailingLpToItsClock() {
        TestProbe<MemberClock.Command> clock = KIT.createTestProbe(MemberClock.Command.class);
        Placement placement = new Placement(Grouping.ofGroups(new int[] {0, 1, 2}), new int[3], 0);
        ActorRef<LpActor.Command> actor = KIT.spawn(LpActor.create(0, new Lp[] {new Forwarder()},
                new LpActor.Wiring(placement, new long[] {10, 10, 10}, g -> null, clock.getRef())));
        LpActor.Batch b = batch(5);
        b.kind()[0] = 99;
        actor.tell(b);
        actor.tell(new LpActor.StartWindow(100, 1));
        MemberClock.LpFailed f = clock.expectMessageClass(MemberClock.LpFailed.class, WAIT);
        assertEquals(0, f.lp());
        assertTrue(f.error().getMessage().contains("boom"));
    }
}

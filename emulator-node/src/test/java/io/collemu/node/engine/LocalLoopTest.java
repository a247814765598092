package io.collemu.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.node.lp.Lp;
import io.collemu.node.lp.LpContext;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.PortStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The one event loop: order, the checks on every schedule and send, and what goes outside. */
class LocalLoopTest {

    /** An LP that records what it handles and reacts with a scripted action. */
    static final class ScriptedLp implements Lp {
        final int id;
        final List<String> seen;
        BiConsumer<Long, LpContext> onStart = (t, c) -> { };
        Reaction onEvent = (k, a, c) -> { };

        interface Reaction {
            void react(int kind, long aux, LpContext ctx);
        }

        ScriptedLp(int id, List<String> seen) {
            this.id = id;
            this.seen = seen;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public void start(LpContext ctx) {
            onStart.accept(ctx.nowPs(), ctx);
        }

        @Override
        public void handle(int kind, Object payload, long aux, int srcLp, LpContext ctx) {
            seen.add(ctx.nowPs() + ":" + id + "<-" + srcLp + ":" + kind);
            onEvent.react(kind, aux, ctx);
        }

        @Override
        public LpReport report() {
            return new LpReport(id, null, null, null, null, new PortStats[0], 0, 0, 0);
        }
    }

    @Test
    void shouldHandleEventsInTimeDestinationSourceSequenceOrder() {
        List<String> seen = new ArrayList<>();
        ScriptedLp a = new ScriptedLp(0, seen);
        ScriptedLp b = new ScriptedLp(1, seen);
        // both schedule at the same times; LP 1 also sends LP 0 a message due at 100
        a.onStart = (t, c) -> c.schedule(100, 7, null, 0);
        b.onStart = (t, c) -> {
            c.schedule(100, 8, null, 0);
            c.send(0, 100, 9, null, 0);
        };
        LocalLoop loop = LocalLoop.ofAll(new Lp[] {a, b}, new long[] {10, 10});
        loop.start(0);
        assertEquals(3, loop.runBefore(Long.MAX_VALUE, Long.MAX_VALUE));
        // time 100: destination 0 first (its own event from 0, then the message from 1), then destination 1
        assertEquals(List.of("100:0<-0:7", "100:0<-1:9", "100:1<-1:8"), seen);
        assertEquals(100, loop.lastEventPs());
        assertTrue(loop.isEmpty());
    }

    @Test
    void shouldStopAtTheHorizonAndAtTheEventBudget() {
        List<String> seen = new ArrayList<>();
        ScriptedLp a = new ScriptedLp(0, seen);
        a.onStart = (t, c) -> {
            for (int i = 1; i <= 5; i++) {
                c.schedule(i * 10L, 1, null, i);
            }
        };
        LocalLoop loop = LocalLoop.ofAll(new Lp[] {a}, new long[] {1});
        loop.start(0);
        assertEquals(2, loop.runBefore(30, Long.MAX_VALUE), "10 and 20 are before 30");
        assertEquals(30, loop.nextEventPs());
        assertEquals(1, loop.runBefore(Long.MAX_VALUE, 1));
        assertEquals(2, loop.runBefore(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, loop.nextEventPs());
    }

    @Test
    void shouldRefuseAnEventInThePastASendInsideTheLookaheadAndALateArrival() {
        List<String> seen = new ArrayList<>();
        ScriptedLp a = new ScriptedLp(0, seen);
        a.onEvent = (k, aux, c) -> {
            if (k == 1) {
                c.schedule(c.nowPs() - 1, 2, null, 0);
            } else if (k == 3) {
                c.send(1, c.nowPs() + 9, 4, null, 0);
            }
        };
        ScriptedLp b = new ScriptedLp(1, seen);
        LocalLoop loop = LocalLoop.ofAll(new Lp[] {a, b}, new long[] {10, 10});
        loop.accept(50, 0, 1, 0, 1, null, 0);
        IllegalStateException past = assertThrows(IllegalStateException.class,
                () -> loop.runBefore(Long.MAX_VALUE, Long.MAX_VALUE));
        assertTrue(past.getMessage().contains("in the past"), past.getMessage());

        LocalLoop loop2 = LocalLoop.ofAll(new Lp[] {a, b}, new long[] {10, 10});
        loop2.accept(50, 0, 1, 0, 3, null, 0);
        IllegalStateException inside = assertThrows(IllegalStateException.class,
                () -> loop2.runBefore(Long.MAX_VALUE, Long.MAX_VALUE));
        assertTrue(inside.getMessage().contains("inside its lookahead"), inside.getMessage());

        LocalLoop loop3 = LocalLoop.ofAll(new Lp[] {a, b}, new long[] {10, 10});
        loop3.runBefore(100, Long.MAX_VALUE);
        IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> loop3.accept(99, 1, 0, 0, 5, null, 0));
        assertTrue(late.getMessage().contains("causality"), late.getMessage());
    }

    @Test
    void shouldPostMessagesForOtherGroupsToTheOutboundWithTheirSequence() {
        List<String> seen = new ArrayList<>();
        List<String> posted = new ArrayList<>();
        ScriptedLp a = new ScriptedLp(0, seen);
        a.onStart = (t, c) -> {
            c.send(1, 20, 6, null, 42);   // LP 1 is in group 1: outside
            c.schedule(5, 7, null, 0);
        };
        int[] groupOf = {0, 1};
        int[] localIndexOf = {0, 0};
        LocalLoop loop = new LocalLoop(new Lp[] {a}, groupOf, 0, localIndexOf, new long[] {10, 10},
                (dst, at, src, seq, kind, payload, aux) -> posted.add(dst + "@" + at + " from " + src + " seq "
                        + seq + " kind " + kind + " aux " + aux));
        loop.start(0);
        assertEquals(List.of("1@20 from 0 seq 0 kind 6 aux 42"), posted);
        assertEquals(1, loop.runBefore(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(List.of("5:0<-0:7"), seen);
    }
}

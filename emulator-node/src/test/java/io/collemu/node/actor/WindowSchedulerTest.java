package io.collemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local windows of a member: who runs, up to which horizon, after how many batches. */
class WindowSchedulerTest {
    static final long NONE = WindowScheduler.NONE;

    /** Starts every group, reports each done with its next event, and returns the activations of one window. */
    static List<String> window(WindowScheduler s, long globalPs) {
        List<String> out = new ArrayList<>();
        s.nextWindow(globalPs, (g, horizon, expected) -> out.add(g + "<" + horizon + "#" + expected));
        return out;
    }

    @Test
    void shouldActivateOnlyGroupsWithAnEventBeforeTheirOwnHorizon() {
        // group 0 hears others after 10 ps, group 1 after 100 ps, group 2 after 25 ps
        WindowScheduler s = new WindowScheduler(new long[] {10, 100, 25}, NONE);
        for (int g = 0; g < 3; g++) {
            s.markStarted(g);
        }
        assertFalse(s.done(0, 50, new int[0], new long[0]));
        assertFalse(s.done(1, 120, new int[0], new long[0]));
        assertTrue(s.done(2, 80, new int[0], new long[0]));
        // T = 50: group 0's horizon 60 holds its event at 50; group 2's horizon 75 does not reach 80;
        // group 1's horizon 150 holds its event at 120
        assertEquals(List.of("0<60#0", "1<150#0"), window(s, 0));
        assertEquals(2, s.outstanding());
        assertEquals(1, s.windows());
        assertEquals(2, s.activations());
    }

    @Test
    void shouldCountTheBatchesAGroupMustReceiveAndWakeItForThem() {
        WindowScheduler s = new WindowScheduler(new long[] {10, 10}, NONE);
        s.markStarted(0);
        s.markStarted(1);
        s.done(1, NONE, new int[0], new long[0]);            // group 1 has nothing
        assertTrue(s.done(0, NONE, new int[] {1, 1}, new long[] {300, 200})); // but group 0 sent it two batches
        assertEquals(200, s.nextEventPs());
        assertEquals(List.of("1<210#2"), window(s, 0), "it starts at its earliest incoming event, after 2 batches");
    }

    @Test
    void shouldNotRunPastTheGlobalWindow() {
        WindowScheduler s = new WindowScheduler(new long[] {1_000}, 50);
        s.markStarted(0);
        s.done(0, 40, new int[0], new long[0]);
        assertEquals(List.of("0<50#0"), window(s, 0), "horizon capped at global start + cross lookahead");
        s.done(0, 60, new int[0], new long[0]);
        assertEquals(List.of(), window(s, 0), "60 is in the next global window");
        assertEquals(NONE, s.nextWindow(0, (g, h, e) -> { }));
        assertEquals(List.of("0<100#0"), window(s, 50));
    }

    @Test
    void shouldRunAGroupNothingCanReachToTheEndInOneWindow() {
        // one GPU alone, or a server with no link out: its inbound lookahead is "none"
        WindowScheduler s = new WindowScheduler(new long[] {Long.MAX_VALUE / 4}, NONE);
        s.markStarted(0);
        s.done(0, 100, new int[0], new long[0]);
        assertEquals(List.of("0<" + NONE + "#0"), window(s, 0), "no horizon: it runs everything");
    }
}

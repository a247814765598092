package io.collemu.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both queues remove the least of what they hold, whatever the order of adds, peeks and removals. */
class EventQueueTest {

    record Ev(long t, int dst, int src, long seq, int kind, long aux) {
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (long seed : new long[] {1, 2, 3, 42}) {
            for (int spread : new int[] {1, 50, 1 << 20}) {
                out.add(Arguments.of("heap", (IntFunction<EventQueue>) HeapEventQueue::new, seed, spread));
                out.add(Arguments.of("radix", (IntFunction<EventQueue>) RadixEventQueue::new, seed, spread));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed {2} spread {3}")
    @MethodSource("cases")
    void shouldPopInTimeDstSrcSeqOrderWithInterleavedAddsAndPeeks(String name, IntFunction<EventQueue> make,
            long seed, int spread) {
        SplittableRandom rnd = new SplittableRandom(seed);
        EventQueue q = make.apply(4);
        List<Ev> pending = new ArrayList<>();
        List<Ev> popped = new ArrayList<>();
        Comparator<Ev> order = Comparator.comparingLong(Ev::t).thenComparingInt(Ev::dst).thenComparingInt(Ev::src)
                .thenComparingLong(Ev::seq);
        long seq = 0;
        long floor = 0;
        for (int step = 0; step < 20_000; step++) {
            int what = rnd.nextInt(6);
            if (what == 5 && !q.isEmpty()) {
                q.peekTimePs(); // a peek that is not followed by a removal (an actor group at its window's horizon)
                continue;
            }
            if (what > 1 || q.isEmpty()) {
                Ev e = new Ev(floor + rnd.nextInt(spread), rnd.nextInt(5), rnd.nextInt(5), seq++, rnd.nextInt(9),
                        rnd.nextLong());
                q.add(e.t(), e.dst(), e.src(), e.seq(), e.kind(), e, e.aux());
                pending.add(e);
            } else {
                pending.sort(order);
                Ev expected = pending.remove(0);
                assertEquals(expected.t(), q.peekTimePs());
                assertEquals(expected.dst(), q.peekDstLp());
                assertEquals(expected.src(), q.peekSrcLp());
                assertEquals(expected.kind(), q.peekKind());
                assertEquals(expected.aux(), q.peekAux());
                assertTrue(expected == q.peekPayload());
                q.poll();
                popped.add(expected);
                floor = expected.t();
            }
        }
        assertEquals(pending.size(), q.size());
        assertTrue(popped.size() > 1000, "the test popped too little to mean anything");
    }
}

package io.collemu.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventQueueTest {

    record Ev(long t, int dst, int src, long seq, int kind, long aux) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void shouldPopInTimeDstSrcSeqOrderWithInterleavedAdds(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        EventQueue q = new EventQueue(4);
        List<Ev> pending = new ArrayList<>();
        List<Ev> popped = new ArrayList<>();
        Comparator<Ev> order = Comparator.comparingLong(Ev::t).thenComparingInt(Ev::dst).thenComparingInt(Ev::src)
                .thenComparingLong(Ev::seq);
        long seq = 0;
        long floor = 0;
        for (int step = 0; step < 20_000; step++) {
            if (rnd.nextInt(3) > 0 || q.isEmpty()) {
                Ev e = new Ev(floor + rnd.nextInt(50), rnd.nextInt(5), rnd.nextInt(5), seq++, rnd.nextInt(9),
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

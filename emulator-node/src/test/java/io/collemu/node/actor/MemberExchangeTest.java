package io.collemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches between members: parts, at least one per member and window, and counting what came in. */
class MemberExchangeTest {
    static LpActor.Batch batch() {
        return new LpActor.Batch(0, new int[0], new int[0], new long[0], new long[0], new int[0], new long[0],
                new Object[0]);
    }

    @Test
    void shouldSendAnEmptyPartToEveryOtherMemberAndCutLargeWindowsIntoParts() {
        MemberExchange x = new MemberExchange(0, 3);
        for (int i = 0; i < MemberExchange.BATCHES_PER_PART + 1; i++) {
            x.add(2, i, batch());
        }
        assertEquals(List.of(), x.flush(0), "nothing to itself");
        List<MemberClock.MemberBatch> toOne = x.flush(1);
        assertEquals(1, toOne.size());
        assertEquals(0, toOne.get(0).count());
        List<MemberClock.MemberBatch> toTwo = x.flush(2);
        assertEquals(2, toTwo.size());
        assertEquals(MemberExchange.BATCHES_PER_PART, toTwo.get(0).count());
        assertEquals(1, toTwo.get(1).count());
        assertEquals(512, toTwo.get(1).dsts()[0]);
        assertEquals(MemberExchange.BATCHES_PER_PART + 1, x.crossBatches());
        assertEquals(0, x.flush(2).get(0).count(), "flushing forgets");
    }

    @Test
    void shouldCompleteAnExchangeOnlyWithEveryOtherMembersLastPart() {
        MemberExchange x = new MemberExchange(1, 3);
        assertFalse(x.completeCurrent());
        x.received(new MemberClock.MemberBatch(0, 0, 0, 2, 0, new int[0], new LpActor.Batch[0]));
        x.received(new MemberClock.MemberBatch(0, 2, 0, 1, 0, new int[0], new LpActor.Batch[0]));
        assertFalse(x.completeCurrent(), "member 0 sent 2 parts, only the first is in");
        // a fast peer's part of the next exchange may come first: it counts for that exchange
        x.received(new MemberClock.MemberBatch(1, 2, 0, 1, 0, new int[0], new LpActor.Batch[0]));
        x.received(new MemberClock.MemberBatch(0, 0, 1, 2, 0, new int[0], new LpActor.Batch[0]));
        assertTrue(x.completeCurrent());
        assertFalse(x.completeCurrent(), "exchange 1 still waits for member 0");
        x.received(new MemberClock.MemberBatch(1, 0, 0, 1, 0, new int[0], new LpActor.Batch[0]));
        assertTrue(x.completeCurrent());
    }
}

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

    static MemberClock.MemberBatch part(long exchange, int from, int part, int parts, long nextPs, long sentPs) {
        return new MemberClock.MemberBatch(exchange, from, part, parts, 0, new int[0], new LpActor.Batch[0], nextPs,
                sentPs);
    }

    @Test
    void shouldCompleteAnExchangeOnlyWithEveryOtherMembersLastPartAndItsOwn() {
        MemberExchange x = new MemberExchange(1, 3);
        assertFalse(x.complete(0));
        x.received(part(0, 0, 0, 2, Long.MAX_VALUE, Long.MAX_VALUE));
        x.received(part(0, 2, 0, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        assertFalse(x.complete(0), "member 0 sent 2 parts, only the first is in");
        // a fast peer's part of the next exchange may come first: it counts for that exchange
        x.received(part(1, 2, 0, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        x.received(part(0, 0, 1, 2, Long.MAX_VALUE, Long.MAX_VALUE));
        assertFalse(x.complete(0), "this member has not sent its own part of exchange 0 yet");
        x.begin(Long.MAX_VALUE);
        x.sent();
        assertTrue(x.complete(0));
        x.forget(0, 1);
        x.begin(Long.MAX_VALUE);
        x.sent();
        assertFalse(x.complete(1), "exchange 1 still waits for member 0");
        x.received(part(1, 0, 0, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        assertTrue(x.complete(1));
    }

    @Test
    void shouldAnnounceTheEarliestNextAndSentEventsOfEachExchangeOverAllMembers() {
        MemberExchange x = new MemberExchange(1, 3);
        LpActor.Batch toMember0 = new LpActor.Batch(1, new int[] {0}, new int[] {0}, new long[] {400}, new long[] {1},
                new int[] {0}, new long[] {0}, new Object[] {null});
        x.add(0, 0, toMember0);
        x.begin(700); // its own next event at 700, an event sent at 400: its share is 400, its sent event 400
        MemberClock.MemberBatch mine = x.flush(0).get(0);
        assertEquals(400, mine.senderNextPs());
        assertEquals(400, mine.senderSentPs());
        x.sent();
        x.received(part(0, 0, 0, 1, 500, 900));
        // member 2 is already in the next exchange: its announcement there must not count for this one
        x.received(part(1, 2, 0, 1, 100, 100));
        x.received(part(0, 2, 0, 1, 450, 300));
        assertTrue(x.complete(0));
        assertEquals(400, x.announcedNextPs(0));
        assertEquals(300, x.announcedSentPs(0));
        x.begin(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, x.flush(2).get(0).senderSentPs(), "nothing sent in this window");
        x.sent();
        x.received(part(1, 0, 0, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        assertTrue(x.complete(1));
        assertEquals(100, x.announcedNextPs(1), "exchange 1: member 2's early announcement");
        assertEquals(300, x.announcedSentPs(0), "kept until exchange 1 is forgotten");
        x.forget(1, 1);
        assertEquals(Long.MAX_VALUE, x.announcedSentPs(0));
    }
}

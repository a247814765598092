package io.collemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.node.cluster.Partition;
import io.collemu.node.engine.Job;
import io.collemu.node.engine.Progress;
import io.collemu.node.run.TestJobs;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One member's clock against probes standing for the coordinator and the other member. With three or more members
 * a clock's {@link MemberClock.Peers} (from the leader) and another member's first {@link MemberClock.MemberBatch}
 * (from that member, over another connection) race: nothing orders messages of different senders, so a fast member
 * may start, finish its start window and send its batches before a slower member's clock has heard of the run.
 */
class MemberClockTest {
    static final ActorTestKit KIT = ActorTestKit.create();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String DISPATCHER = "pekko.actor.default-dispatcher";

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldKeepAnotherMembersBatchThatArrivesBeforeItsPeers() {
        Job job = TestJobs.sweepJob("single-switch:gpus=4,link=cpo-800g", 1 << 20);
        Grouping grouping = Grouping.of(job.fabric(), Grouping.Mode.SWITCH);
        Partition p = Partition.of(job.fabric(), 2, grouping, Grouping.Mode.SWITCH, null);
        Placement placement = new Placement(grouping, p.groupMember(), 1);
        assertTrue(placement.localGroups().length > 0, "member 1 hosts groups");
        TestProbe<MemberClock.Command> member0 = KIT.createTestProbe(MemberClock.Command.class);
        TestProbe<Coordinator.Command> coordinator = KIT.createTestProbe(Coordinator.Command.class);
        ActorRef<MemberClock.Command> clock = KIT.spawn(MemberClock.create(new MemberClock.Plan(job.model(),
                placement, p.crossLookaheadPs(), job.startPs(), DISPATCHER, Progress.NONE)));
        // member 0 was told first, ran its start window and sent its (empty) part of exchange 0 ...
        clock.tell(new MemberClock.MemberBatch(0, 0, 0, 1, 0, new int[0], new LpActor.Batch[0], Long.MAX_VALUE,
                Long.MAX_VALUE));
        // ... before the leader's Peers reached this member
        clock.tell(new MemberClock.Peers(new ActorRef[] {member0.getRef(), clock}, coordinator.getRef(), ""));
        MemberClock.MemberBatch sent = member0.expectMessageClass(MemberClock.MemberBatch.class, WAIT);
        assertEquals(0, sent.exchange());
        assertEquals(1, sent.fromMember());
        // pipelined by one window: member 1 runs window 1 while exchange 0 is on the wire, so its next part is for
        // exchange 1 whatever member 0 sent
        MemberClock.MemberBatch next = member0.expectMessageClass(MemberClock.MemberBatch.class, WAIT);
        assertEquals(1, next.exchange());
        assertTrue(next.senderNextPs() < Long.MAX_VALUE, "member 1 still has events");
        // window 2 needs member 0's part of exchange 0: it was kept, so member 1 goes on to exchange 2 ...
        MemberClock.MemberBatch third = member0.expectMessageClass(MemberClock.MemberBatch.class, WAIT);
        assertEquals(2, third.exchange());
        // ... and window 3 waits for member 0's part of exchange 1, which never comes
        member0.expectNoMessage(java.time.Duration.ofMillis(300));
        coordinator.expectNoMessage(java.time.Duration.ofMillis(200));
    }
}

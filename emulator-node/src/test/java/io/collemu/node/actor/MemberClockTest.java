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
        clock.tell(new MemberClock.MemberBatch(0, 0, 0, 1, 0, new int[0], new LpActor.Batch[0], Long.MAX_VALUE));
        // ... before the leader's Peers reached this member
        clock.tell(new MemberClock.Peers(new ActorRef[] {member0.getRef(), clock}, coordinator.getRef(), ""));
        MemberClock.MemberBatch sent = member0.expectMessageClass(MemberClock.MemberBatch.class, WAIT);
        assertEquals(0, sent.exchange());
        assertEquals(1, sent.fromMember());
        // member 0's part counted: exchange 0 is complete, and member 1 goes on to the next global window by itself
        // (its own events are left; member 0 announced none), so its next part is for exchange 1
        MemberClock.MemberBatch next = member0.expectMessageClass(MemberClock.MemberBatch.class, WAIT);
        assertEquals(1, next.exchange());
        assertTrue(next.senderNextPs() < Long.MAX_VALUE, "member 1 still has events");
        coordinator.expectNoMessage(java.time.Duration.ofMillis(200));
    }
}

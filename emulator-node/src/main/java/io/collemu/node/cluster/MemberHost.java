package io.collemu.node.cluster;

import io.collemu.node.actor.ClusterMessage;
import io.collemu.node.actor.CrashPoint;
import io.collemu.node.actor.Grouping;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.actor.Placement;
import io.collemu.node.actor.WindowLinks;
import io.collemu.node.engine.Job;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Model;
import io.collemu.node.lp.WorkEstimate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The host on every member: registered with the receptionist, it builds the model of each run the leader sets up
 * and spawns that run's {@link MemberClock}, which spawns the member's LP actors.
 *
 * <pre>
 *   leader --SetupRun(recipe, placement)--> MemberHost --ClockReady(clock) | SetupFailed(why)--> leader
 * </pre>
 */
public final class MemberHost {
    /** Every member registers its host under this key with the receptionist. */
    public static final ServiceKey<Command> HOST_KEY = ServiceKey.create(Command.class, "collemu-member-host");

    private MemberHost() {
    }

    /** What a member host accepts. */
    public interface Command {
    }

    /** A host's replies. */
    public interface Reply {
    }

    /**
     * Build the job of {@code recipe}, group its LPs as {@code grouping} names, host the groups with
     * {@code groupMember[g] == member}, reply with the clock. A non-zero {@code linkToken} asks for the direct window
     * exchange ({@link WindowLinks}) of that token.
     */
    public record SetupRun(long runId, int member, byte[] recipe, String grouping, int groups, int members,
            int[] groupMember, long crossLookaheadPs, long linkToken, ActorRef<Reply> replyTo)
            implements Command, ClusterMessage {
    }

    /** The member's clock for a run is ready, with its window link endpoint ("" without one). */
    public record ClockReady(long runId, int member, ActorRef<MemberClock.Command> clock, String linkEndpoint)
            implements Reply, ClusterMessage {
    }

    /**
     * Where a member's window links listen and what they advertise, and how long a broken one waits for the cluster
     * to name a lost member.
     */
    public record LinkHosts(String bindHost, String advertiseHost, java.time.Duration grace) {
    }

    /** The member could not set the run up (e.g. the recipe does not build here). */
    public record SetupFailed(long runId, int member, String message) implements Reply, ClusterMessage {
    }

    /** The host, building jobs with {@code factory} and running their actors on {@code dispatcher}. */
    public static Behavior<Command> create(String dispatcher, ModelFactory factory, LinkHosts linkHosts) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(HOST_KEY, ctx.getSelf()));
            return Behaviors.receive(Command.class)
                    .onMessage(SetupRun.class, m -> {
                        m.replyTo().tell(setUp(m, dispatcher, factory, linkHosts, ctx));
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static Reply setUp(SetupRun m, String dispatcher, ModelFactory factory, LinkHosts linkHosts,
            org.apache.pekko.actor.typed.javadsl.ActorContext<Command> ctx) {
        CrashPoint.build();
        WindowLinks links = null;
        try {
            Job job = factory.job(m.recipe());
            Grouping.Mode mode = Grouping.Mode.fromName(m.grouping());
            long[] work = mode == Grouping.Mode.BALANCED
                    ? WorkEstimate.perLp(job.fabric(), job.workload(), job.options()) : null;
            Grouping grouping = Grouping.of(job.fabric(), mode, m.groups(), work, m.members());
            Placement placement = new Placement(grouping, m.groupMember(), m.member());
            // only this member's LPs: the partitioned build (the others' GPUs, programs and port queues stay out)
            Model model = job.model(lp -> placement.isLocal(grouping.groupOf(lp)));
            if (m.linkToken() != 0) {
                links = WindowLinks.listen(ctx.getSystem(), linkHosts.bindHost(), linkHosts.advertiseHost(),
                        m.linkToken());
            }
            MemberClock.Plan plan = new MemberClock.Plan(model, placement, m.crossLookaheadPs(),
                    job.startPs(), dispatcher, Progress.NONE, links, linkHosts.grace());
            ActorRef<MemberClock.Command> clock = ctx.spawnAnonymous(MemberClock.create(plan),
                    DispatcherSelector.fromConfig(dispatcher));
            return new ClockReady(m.runId(), m.member(), clock, links == null ? "" : links.endpoint());
        } catch (RuntimeException | java.io.IOException e) {
            if (links != null) {
                links.close();
            }
            return new SetupFailed(m.runId(), m.member(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}

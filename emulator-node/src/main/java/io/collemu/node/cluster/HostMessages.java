package io.collemu.node.cluster;

import io.collemu.node.actor.LpMessages.ClockCommand;
import io.collemu.node.actor.LpMessages.ClusterMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** The protocol between a run's leader and the member host on every member. */
public final class HostMessages {
    /** Every member registers its host under this key with the receptionist. */
    public static final ServiceKey<Command> HOST_KEY = ServiceKey.create(Command.class, "collemu-member-host");

    private HostMessages() {
    }

    /** What a member host accepts. */
    public interface Command {
    }

    /** A host's replies. */
    public interface Reply {
    }

    /**
     * Build the model of {@code recipe}, group its LPs as {@code grouping} says, host the groups with
     * {@code groupMember[g] == member}, reply with the clock.
     */
    public record SetupRun(long runId, int member, int memberCount, ModelRecipe recipe, String grouping,
            int[] groupMember, long crossLookaheadPs, ActorRef<Reply> replyTo) implements Command, ClusterMessage {
    }

    /** The member's clock for a run is ready. */
    public record ClockReady(long runId, int member, ActorRef<ClockCommand> clock) implements Reply, ClusterMessage {
    }

    /** The member could not set the run up (e.g. the recipe does not build there). */
    public record SetupFailed(long runId, int member, String message) implements Reply, ClusterMessage {
    }
}

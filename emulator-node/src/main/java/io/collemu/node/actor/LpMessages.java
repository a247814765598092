package io.collemu.node.actor;

import io.collemu.node.lp.LpReport;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The messages of the actor engine: to LP actors ({@link Command}), to a member's clock ({@link ClockCommand})
 * and to the run's coordinator ({@link CoordinatorCommand}). Those that cross members are {@link ClusterMessage}s,
 * serialized by Kryo with every class registered.
 */
public final class LpMessages {
    private LpMessages() {
    }

    /** Marks a message that may travel between cluster members (Kryo). */
    public interface ClusterMessage {
    }

    /** What an LP actor accepts. */
    public interface Command {
    }

    /** What a member clock accepts. */
    public interface ClockCommand {
    }

    /** What the coordinator accepts. */
    public interface CoordinatorCommand {
    }

    // ---- clock -> LP ----

    /** Start the LP at the run's start time, then report like a window. */
    public record Begin(long startPs) implements Command {
    }

    /**
     * Process every event due before {@code horizonPs}, once {@code expectedBatches} batches (counted since the
     * run began) have arrived.
     */
    public record StartWindow(long horizonPs, long expectedBatches) implements Command {
    }

    /**
     * Events the LPs of one actor sent the LPs of another during one window, as parallel arrays of {@code count}
     * entries (source and destination LP per event: an actor may host a group of LPs).
     */
    public record Batch(int count, int[] srcLp, int[] dstLp, long[] timePs, long[] seq, int[] kind, long[] aux,
            Object[] payload) implements Command, ClusterMessage {
    }

    /** Send the LP's report to the clock. */
    public record Collect(ActorRef<ClockCommand> replyTo) implements Command {
    }

    // ---- LP -> clock ----

    /**
     * An actor (a group of LPs, often one) finished its window: the time of its earliest remaining event, the local
     * groups it sent a batch to and the earliest event in each, the batches for groups on other members (the clock
     * forwards them), and how many events it handled.
     */
    public record WindowDone(int group, long nextLocalPs, int destCount, int[] dests, long[] destMinPs, long events,
            int remoteCount, int[] remoteDsts, Batch[] remoteBatches) implements ClockCommand {
    }

    /** An LP failed (a model invariant broke): the run ends with this error. */
    public record LpFailed(int lp, Throwable error) implements ClockCommand {
    }

    /** An LP's report, in reply to {@link Collect}. */
    public record Reported(LpReport report) implements ClockCommand {
    }

    // ---- coordinator <-> member clocks (may cross members) ----

    /** The clocks of every member, by member index; starts the run (each LP's {@code start}). */
    public record Peers(ActorRef<ClockCommand>[] clocks, ActorRef<CoordinatorCommand> coordinator)
            implements ClockCommand, ClusterMessage {
    }

    /** Run local windows until nothing before {@code windowPs} + the cross-member lookahead is left. */
    public record GlobalWindow(long windowPs) implements ClockCommand, ClusterMessage {
    }

    /**
     * What one member's LPs sent another member's LPs during one global window (exchange number {@code exchange},
     * counted from 0 for the start): part {@code part} of
     * {@code parts}, each with {@code count} batches for the LPs in {@code dsts}.
     */
    public record MemberBatch(long exchange, int fromMember, int part, int parts, int count, int[] dsts,
            Batch[] batches) implements ClockCommand, ClusterMessage {
    }

    /** Send the reports of every local LP to the coordinator. */
    public record CollectReports() implements ClockCommand, ClusterMessage {
    }

    /** A member is done with a global window: its earliest pending event and what it did. */
    public record MemberDone(int member, long windowPs, long nextPs, long events, long activations, long windows,
            long crossBatches, long barrierWaitNanos) implements CoordinatorCommand, ClusterMessage {
    }

    /** A member's LP reports. */
    public record MemberReports(int member, LpReport[] reports) implements CoordinatorCommand, ClusterMessage {
    }

    /** A member's LP failed. */
    public record MemberFailed(int member, String message) implements CoordinatorCommand, ClusterMessage {
    }

    /** A member was lost (died, unreachable, removed). */
    public record MemberLost(String address) implements CoordinatorCommand {
    }
}

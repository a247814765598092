package io.collemu.node.actor;

import io.collemu.node.lp.LpReport;
import org.apache.pekko.actor.typed.ActorRef;

/** The messages of the actor engine: to LP actors ({@link Command}) and to the window clock ({@link ClockCommand}). */
public final class LpMessages {
    private LpMessages() {
    }

    /** What an LP actor accepts. */
    public interface Command {
    }

    /** What the window clock accepts. */
    public interface ClockCommand {
    }

    /** Start the LP at the run's start time, then report like a window. */
    public record Begin(long startPs) implements Command {
    }

    /**
     * Process every event due before {@code windowStartPs + this LP's lookahead}, once {@code expectedBatches}
     * batches (counted since the run began) have arrived.
     */
    public record StartWindow(long windowStartPs, long expectedBatches) implements Command {
    }

    /** Events one LP sent another during one window, as parallel arrays of {@code count} entries. */
    public record Batch(int srcLp, int count, long[] timePs, long[] seq, int[] kind, long[] aux, Object[] payload)
            implements Command {
    }

    /** Send the LP's report to the clock. */
    public record Collect(ActorRef<ClockCommand> replyTo) implements Command {
    }

    /**
     * An LP finished its window: the time of its earliest remaining event, the LPs it sent a batch to and the
     * earliest event in each, and how many events it handled.
     */
    public record WindowDone(int lp, long nextLocalPs, int destCount, int[] dests, long[] destMinPs, long events)
            implements ClockCommand {
    }

    /** An LP failed (a model invariant broke): the run ends with this error. */
    public record LpFailed(int lp, Throwable error) implements ClockCommand {
    }

    /** An LP's report, in reply to {@link Collect}. */
    public record Reported(LpReport report) implements ClockCommand {
    }
}

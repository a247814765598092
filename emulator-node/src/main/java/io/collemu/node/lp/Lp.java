package io.collemu.node.lp;

/**
 * A logical process: a deterministic state machine behind one GPU or one switch egress port. It reacts to
 * events only through {@link LpContext}; it never reads a wall clock, a global, or an unseeded random source.
 * Events reach it in (timePs, source LP, source sequence) order whatever engine runs it.
 *
 * <p>Thread rule: an LP is touched by one thread at a time (the engine guarantees it).
 */
public interface Lp {
    /** This LP's id, dense from 0. */
    int id();

    /** Called once before any event, with {@code ctx.nowPs()} the run's start time. */
    default void start(LpContext ctx) {
    }

    /**
     * Handles one event or message.
     *
     * @param kind    one of {@link EventKinds}
     * @param payload the event's object (a {@link Segment}), owned by this LP from now on; may be null
     * @param aux     the event's packed integer argument (see {@link EventKinds})
     * @param srcLp   the LP that scheduled or sent it (this LP's id for its own events)
     * @param ctx     the engine's context, valid during this call only
     */
    void handle(int kind, Object payload, long aux, int srcLp, LpContext ctx);

    /** What this LP recorded, as plain data; called once the run has ended. */
    LpReport report();
}

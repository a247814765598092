package io.collemu.node.lp;

/**
 * What an LP may do while it handles one event: read virtual time, schedule an event for itself, and send a
 * message to another LP. Implemented by the engine's event loop. Only valid during the callback it was passed to.
 */
public interface LpContext {
    /** Virtual time of the event being handled, in picoseconds. */
    long nowPs();

    /** An event for the calling LP at {@code atPs >= nowPs()}. */
    void schedule(long atPs, int kind, Object payload, long aux);

    /**
     * A message to another LP, due at least the receiver's inbound lookahead after {@link #nowPs()} (see
     * {@link Fabric#inboundLookaheadPs()}). The payload becomes the receiver's: the sender must not touch it
     * afterwards.
     */
    void send(int dstLp, long atPs, int kind, Object payload, long aux);
}

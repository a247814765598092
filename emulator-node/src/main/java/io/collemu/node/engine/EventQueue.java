package io.collemu.node.engine;

/**
 * A priority queue of events ordered by (timePs, destination LP, source LP, source sequence): the determinism
 * contract of DESIGN.md. Every implementation removes the least event of what it holds, so the order in which events
 * are handled never depends on which one runs. The sequential engine uses one {@link RadixEventQueue} for all LPs
 * (amortized O(1) on monotone times); each actor group one {@link HeapEventQueue} (small, and fed between windows with
 * events before the one it peeked at last). Not thread-safe: one owner.
 */
public interface EventQueue {
    /** Pending events. */
    int size();

    /** Whether no event is pending. */
    boolean isEmpty();

    /** Time of the earliest event; only valid when not empty. */
    long peekTimePs();

    /** Destination LP of the earliest event; only valid when not empty. */
    int peekDstLp();

    /** Source LP of the earliest event; only valid when not empty. */
    int peekSrcLp();

    /** Kind of the earliest event; only valid when not empty. */
    int peekKind();

    /** Packed argument of the earliest event; only valid when not empty. */
    long peekAux();

    /** Payload of the earliest event (may be null); only valid when not empty. */
    Object peekPayload();

    /** Adds an event, no earlier than the last one removed. */
    void add(long atPs, int dstLp, int srcLp, long srcSeq, int eventKind, Object eventPayload, long eventAux);

    /** Removes the earliest event; read it with the peek methods first. */
    void poll();
}

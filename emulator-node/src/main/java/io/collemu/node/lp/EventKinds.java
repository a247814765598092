package io.collemu.node.lp;

/** The event and message kinds of the model. Plain ints so the queues never box. */
public final class EventKinds {
    /** A segment reaches a switch egress port's queue (payload: Segment). */
    public static final int ARRIVE = 1;
    /** A segment reaches its destination GPU (payload: Segment). */
    public static final int DELIVER = 2;
    /** Buffer credit returns to the transmitter of an ingress link (aux: port << 32 | bytes). */
    public static final int CREDIT = 3;
    /** Self: a port finished serializing a segment (payload: Segment, aux: local port index). */
    public static final int TX_DONE = 4;
    /** Self: a GPU task may start (aux: task index). */
    public static final int TASK_START = 5;
    /** Self: a received segment has been reduced (payload: Segment). */
    public static final int RECV_DONE = 6;
    /** Self: a compute task ends (aux: task index). */
    public static final int COMPUTE_DONE = 7;
    /** Self: a stream's per-step software latency elapsed (aux: instance slot << 32 | stream). */
    public static final int STEP_READY = 8;
    /** Fault mode: a lost segment's notice, walking back its path to its sender (payload: Segment). */
    public static final int LOSS = 9;
    /** Fault mode: a receiver's go-back-N NAK travelling to the sender (payload: a control Segment). */
    public static final int NAK = 10;
    /** Fault mode, self: a lost segment's ACK timeout expired at its sender (payload: Segment). */
    public static final int RTX_TIMEOUT = 11;
    /** Fault mode, self: a port's link went down (aux: local port index). */
    public static final int FAULT_TICK = 12;

    private EventKinds() {
    }

    /** The aux of a CREDIT message: the upstream port and the bytes returned. */
    public static long packCredit(int port, int bytes) {
        return ((long) port << 32) | (bytes & 0xffffffffL);
    }

    /** The upstream port of a CREDIT message's aux. */
    public static int creditPort(long aux) {
        return (int) (aux >>> 32);
    }

    /** The bytes of a CREDIT message's aux. */
    public static int creditBytes(long aux) {
        return (int) aux;
    }
}

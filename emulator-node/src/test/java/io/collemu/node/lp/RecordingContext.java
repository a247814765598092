package io.collemu.node.lp;

import java.util.ArrayList;
import java.util.List;

/** An LpContext for unit tests: a settable clock, and every schedule and send written down in order. */
final class RecordingContext implements LpContext {
    /** One scheduled event or sent message. */
    record Call(boolean send, int dstLp, long atPs, int kind, Object payload, long aux) {
    }

    long nowPs;
    final List<Call> calls = new ArrayList<>();

    @Override
    public long nowPs() {
        return nowPs;
    }

    @Override
    public void schedule(long atPs, int kind, Object payload, long aux) {
        calls.add(new Call(false, -1, atPs, kind, payload, aux));
    }

    @Override
    public void send(int dstLp, long atPs, int kind, Object payload, long aux) {
        calls.add(new Call(true, dstLp, atPs, kind, payload, aux));
    }

    /** The calls so far, then forgets them. */
    List<Call> take() {
        List<Call> out = new ArrayList<>(calls);
        calls.clear();
        return out;
    }

    /** The only call since the last take, or fails. */
    Call takeOne() {
        List<Call> c = take();
        if (c.size() != 1) {
            throw new AssertionError("expected one call, got " + c);
        }
        return c.get(0);
    }
}

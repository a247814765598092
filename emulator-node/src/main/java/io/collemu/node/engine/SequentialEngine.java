package io.collemu.node.engine;

/**
 * The oracle: one event queue for all LPs, ordered by (timePs, destination LP, source LP, source sequence).
 * Single-threaded; allocates nothing per event beyond what the LPs allocate.
 */
public final class SequentialEngine {
    private final Lp[] lps;
    private final long lookaheadPs;
    private final EventQueue queue;
    private final long[] nextSeq;
    private final Context ctx = new Context();
    private long events;

    public SequentialEngine(Lp[] lps, long lookaheadPs) {
        this.lps = lps;
        this.lookaheadPs = lookaheadPs;
        this.queue = new EventQueue(Math.max(1024, lps.length * 4));
        this.nextSeq = new long[lps.length];
    }

    /** Runs from {@code startPs} until no event is left. */
    public EngineStats run(long startPs, Progress progress) {
        long wallStart = System.nanoTime();
        ctx.nowPs = startPs;
        for (Lp lp : lps) {
            ctx.lp = lp.id();
            lp.start(ctx);
        }
        long lastPs = startPs;
        while (!queue.isEmpty()) {
            long t = queue.peekTimePs();
            int dst = queue.peekDstLp();
            int src = queue.peekSrcLp();
            int kind = queue.peekKind();
            long aux = queue.peekAux();
            Object payload = queue.peekPayload();
            queue.poll();
            ctx.nowPs = t;
            ctx.lp = dst;
            lps[dst].handle(kind, payload, aux, src, ctx);
            lastPs = t;
            if ((++events & 0xffff) == 0) {
                progress.update(t, events);
            }
        }
        progress.update(lastPs, events);
        return new EngineStats(events, lastPs, System.nanoTime() - wallStart, 0, 0);
    }

    private final class Context implements LpContext {
        long nowPs;
        int lp;

        @Override
        public long nowPs() {
            return nowPs;
        }

        @Override
        public void schedule(long atPs, int kind, Object payload, long aux) {
            if (atPs < nowPs) {
                throw new IllegalStateException("LP " + lp + " scheduled an event in the past: " + atPs + " < "
                        + nowPs);
            }
            queue.add(atPs, lp, lp, nextSeq[lp]++, kind, payload, aux);
        }

        @Override
        public void send(int dstLp, long atPs, int kind, Object payload, long aux) {
            if (atPs < nowPs + lookaheadPs) {
                throw new IllegalStateException("LP " + lp + " sent to LP " + dstLp + " inside the lookahead: "
                        + atPs + " < " + nowPs + " + " + lookaheadPs);
            }
            queue.add(atPs, dstLp, lp, nextSeq[lp]++, kind, payload, aux);
        }
    }
}

package io.collemu.node.actor;

import io.collemu.node.lp.Segment;

/** Window parts between members for tests and benchmarks, shaped like a run's: one batch of segments. */
public final class TestParts {
    private TestParts() {
    }

    /**
     * Part 0 of 1 of exchange {@code exchange} from member 0, with one batch for group 1 of {@code events} events, each
     * carrying a segment with a 5-hop path; every figure derives from the exchange and the event's index.
     */
    public static MemberClock.MemberBatch part(long exchange, int events) {
        int[] src = new int[events];
        int[] dst = new int[events];
        long[] time = new long[events];
        long[] seq = new long[events];
        int[] kind = new int[events];
        long[] aux = new long[events];
        Object[] payload = new Object[events];
        for (int e = 0; e < events; e++) {
            src[e] = 1000 + e;
            dst[e] = 2000 + e;
            time[e] = 17_000_000_000L + 1_000_000L * exchange + 331_000L * e;
            seq[e] = 90_000L + e;
            kind[e] = 1 + e % 3;
            aux[e] = -e;
            Segment s = new Segment();
            s.instance = 1;
            s.srcGpu = 3 * e;
            s.dstGpu = 5 * e + 1;
            s.recvOp = 40 + e;
            s.opOffsetBytes = 65_536L * e;
            s.sizeBytes = 65_536;
            s.wireBytes = 65_536;
            s.creditBytes = 65_536;
            s.flowHash = 0x9e3779b97f4a7c15L * (e + 1) + exchange;
            s.injectPs = time[e] - 2_000_000L;
            s.enqueuePs = time[e] - 400_000L;
            s.upstreamLp = 700 + e;
            s.upstreamPort = 3;
            s.path = new int[] {10 * e, 10 * e + 1, 10 * e + 2, 10 * e + 3, 10 * e + 4};
            s.hops = 2;
            s.op = 7;
            s.sentPs = time[e] - 300_000L;
            payload[e] = s;
        }
        LpActor.Batch b = new LpActor.Batch(events, src, dst, time, seq, kind, aux, payload);
        return new MemberClock.MemberBatch(exchange, 0, 0, 1, 1, new int[] {1}, new LpActor.Batch[] {b},
                exchange * 10, exchange * 20);
    }
}

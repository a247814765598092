package io.collemu.node.lp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.collemu.results.LatencyHistograms;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LpReportTest {

    private static LpReport gpu(int lp, long... latenciesNs) {
        Histogram l = LatencyHistograms.newHistogram();
        Histogram q = LatencyHistograms.newHistogram();
        for (long v : latenciesNs) {
            l.recordValue(v);
            q.recordValue(v / 2);
        }
        l.setStartTimeStamp(100 + lp);
        l.setEndTimeStamp(200 + lp);
        return new LpReport(lp, new long[] {lp}, new long[] {lp + 1}, l, q, new PortStats[0], 1, 2, 3);
    }

    @Test
    void shouldMergeEveryGpuHistogramIntoTheLowestNumberedGpuAndKeepTheRest() {
        LpReport sw = new LpReport(9, null, null, null, null, new PortStats[0], 0, 0, 0);
        List<LpReport> in = List.of(gpu(5, 1_000, 2_000), sw, gpu(3, 3_000), gpu(7, 2_000, 2_000, 9_000_000));
        LpReport[] out = LpReport.withMergedHistograms(in);
        assertEquals(4, out.length);
        assertSame(sw, out[1]);
        Histogram all = LatencyHistograms.merge(in.stream().filter(r -> r.latencyNs() != null)
                .map(LpReport::latencyNs).toList());
        LpReport merged = out[2];
        assertEquals(3, merged.lp());
        assertEquals(all, merged.latencyNs()); // counts bucket by bucket
        assertEquals(6, merged.queueingNs().getTotalCount());
        assertEquals(103, merged.latencyNs().getStartTimeStamp());
        assertEquals(207, merged.latencyNs().getEndTimeStamp());
        for (int i : new int[] {0, 3}) {
            assertNull(out[i].latencyNs());
            assertNull(out[i].queueingNs());
            assertEquals(in.get(i).taskStartPs()[0], out[i].taskStartPs()[0]);
            assertEquals(in.get(i).bytesDelivered(), out[i].bytesDelivered());
        }
    }

    @Test
    void shouldLeaveASingleGpuAlone() {
        List<LpReport> in = List.of(gpu(0, 1_000));
        assertSame(in.get(0), LpReport.withMergedHistograms(in)[0]);
    }
}

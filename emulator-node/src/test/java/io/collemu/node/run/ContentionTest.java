package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;
import io.collemu.collectives.algo.Schedules;

import io.collemu.node.lp.Fabric;
import org.junit.jupiter.api.Test;

/** Contention shows where it must: oversubscribed uplinks and incast. */
class ContentionTest {

    @Test
    void shouldSlowAllToAllOnAFourToOneOversubscribedLeafSpine() {
        Fabric open = TestRuns.fabric("leaf-spine:leaves=8,spines=8,hosts-per-leaf=8,link=pluggable-dsp-800g,"
                + "oversubscription=1");
        Fabric over = TestRuns.fabric("leaf-spine:leaves=8,spines=2,hosts-per-leaf=8,link=pluggable-dsp-800g,"
                + "oversubscription=4");
        long size = 16L << 20;
        SizeRun a = TestRuns.sweepStep(open, CollectiveKind.ALL_TO_ALL, "direct", size, 64 << 10);
        SizeRun b = TestRuns.sweepStep(over, CollectiveKind.ALL_TO_ALL, "direct", size, 64 << 10);
        double ta = a.result().instanceEndPs()[0] - a.result().instanceStartPs()[0];
        double tb = b.result().instanceEndPs()[0] - b.result().instanceStartPs()[0];
        // 7/8 of the bytes leave their leaf over a quarter of the bandwidth: 3.5x at best, ECMP collisions add
        double ratio = tb / ta;
        assertTrue(ratio > 3.0 && ratio < 4.6, "oversubscribed/non-blocking time ratio " + ratio);
        long p99a = a.result().latencyNs().getValueAtPercentile(99);
        long p99b = b.result().latencyNs().getValueAtPercentile(99);
        assertTrue(p99b > 1.5 * p99a, "p99 latency should grow under contention: " + p99a + " -> " + p99b + " ns");
    }

    @Test
    void shouldRunAnIncastAtTheReceiverPortRate() {
        Fabric f = TestRuns.fabric("single-switch:gpus=8,link=pluggable-dsp-800g");
        int n = 8;
        int[] pairs = new int[2 * (n - 1)];
        for (int i = 1; i < n; i++) {
            pairs[2 * (i - 1)] = i;
            pairs[2 * (i - 1) + 1] = 0;
        }
        long size = 32L << 20;
        Schedule s = Schedules.of(new CollectiveRequest(CollectiveKind.SEND_RECV, "auto", size, n, 1, 0, 1,
                null, pairs));
        ExecutionResult r = TestRuns.runSchedule(f, s, 64 << 10, EngineKind.SEQUENTIAL, 1);
        double seconds = (r.instanceEndPs()[0] - r.instanceStartPs()[0]) * 1e-12;
        double receivedGBps = (n - 1) * size / seconds / 1e9;
        double portGBps = f.topology().portRateBps(0) / 8e9;
        assertEquals(portGBps, receivedGBps, portGBps * 0.01, "incast should drain at the receiver port's rate");
    }
}

package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Schedule;
import io.collemu.node.actor.Grouping;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.FaultPlan;
import io.collemu.node.lp.PortStats;
import io.collemu.topology.model.Topology;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Faults inside an emulation: a link that goes down where ECMP has alternatives costs a bounded time and no data, a
 * flow left without a path fails after NCCL's retries, a flap shorter than the timeout costs time only, bit errors
 * drop segments at the rate RS(544,514) gives, and all of it is the same on every engine.
 */
class FaultTest {
    static final String TWO_SPINES = "leaf-spine:leaves=2,spines=2,hosts-per-leaf=4,link=pluggable-dsp-800g";
    static final String ONE_SPINE = "leaf-spine:leaves=2,spines=1,hosts-per-leaf=4,link=pluggable-dsp-800g";
    static final long SEG = 64 << 10;

    static Schedule ring(Fabric f, long size, int channels) {
        return TestRuns.schedule(CollectiveKind.ALL_REDUCE, "ring", size, f.gpuCount(), channels,
                f.topology().gpusPerServer());
    }

    static FaultSettings faults(String... specs) {
        List<FaultSpec> list = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            list.add(FaultSpec.parse(specs[i], "--fault #" + (i + 1)));
        }
        FaultSettings d = FaultSettings.NONE;
        return new FaultSettings(list, 0, d.randomWindowPs(), d.detectPs(), d.localReroutePs(), d.remoteReroutePs(),
                d.ibTimeout(), d.ibRetryCount());
    }

    static Fabric withFaults(Fabric f, FaultSettings s) {
        return f.withFaults(FaultPlans.build(s, f.topology(), 7));
    }

    static ExecutionResult run(Fabric f, Schedule s, long seg, EngineKind kind, int threads) {
        return TestRuns.runSchedule(f, s, seg, kind, threads, Grouping.Mode.SWITCH);
    }

    /** The leaf0 uplink that carries the most bytes in a fault-free run, as "leaf0/spineN". */
    static String busiestUplink(Fabric f, ExecutionResult clean) {
        Topology t = f.topology();
        int leaf = t.nodeByName("leaf0");
        int best = -1;
        for (int i = 0; i < t.portCountOf(leaf); i++) {
            int p = t.portOf(leaf, i);
            if (t.tierName(t.portPeer(p)).equals("spine")
                    && (best < 0 || clean.portsById()[p].bytesSent() > clean.portsById()[best].bytesSent())) {
                best = p;
            }
        }
        return "leaf0/" + t.nodeName(t.portPeer(best));
    }

    static void assertNoDataLost(Schedule s, ExecutionResult r) {
        assertEquals(s.totalBytesSent(), r.bytesDelivered(), "bytes accepted by the receivers");
        for (PortStats p : r.portsById()) {
            assertEquals(0, p == null ? 0 : p.creditDeficitBytes(), "credit not home at port " + p);
        }
        assertEquals(r.segmentsInjected(), r.segmentsDelivered() + r.faults().segmentsDropped()
                + r.faults().segmentsDiscarded());
    }

    @Test
    void shouldRerouteAndRetransmitWhenALinkWithAlternativesGoesDown() {
        Fabric clean = TestRuns.fabric(TWO_SPINES);
        Schedule s = ring(clean, 8 << 20, 4);
        ExecutionResult base = run(clean, s, SEG, EngineKind.SEQUENTIAL, 1);
        long d0 = base.durationPs();
        long t0 = d0 / 4;
        FaultSettings fs = faults("link-down,link=" + busiestUplink(clean, base) + ",at=" + t0 + "ps");
        Fabric f = withFaults(clean, fs);
        ExecutionResult r = run(f, s, SEG, EngineKind.SEQUENTIAL, 1);
        assertFalse(r.faults().failed()[0], "the collective completes over the surviving spine");
        assertTrue(r.faults().retransmittedBytes()[0] > 0, "lost segments are sent again");
        assertNoDataLost(s, r);
        FaultPlan plan = f.faults();
        // by hand: the longest a lost segment waits is its ACK timeout (NAKs are sooner); routes have converged by
        // then (t0 + 301 ms < 4.3 s), so the resend goes through, and at most the whole collective comes after it
        long bound = d0 + t0 + plan.globalLagPs() + plan.ackTimeoutPs();
        assertTrue(r.durationPs() > d0, "a link failure costs time");
        assertTrue(r.durationPs() <= bound, r.durationPs() + " ps > bound " + bound);
        assertTrue(r.faults().interruptions().isEmpty());
    }

    @Test
    void shouldFailAfterNcclsRetriesWhenAFlowHasNoPathLeft() {
        Fabric clean = TestRuns.fabric(TWO_SPINES);
        Schedule s = ring(clean, 8 << 20, 2);
        long d0 = run(clean, s, SEG, EngineKind.SEQUENTIAL, 1).durationPs();
        long t0 = d0 / 4;
        Fabric f = withFaults(clean, faults("link-down,link=gpu0/leaf0,at=" + t0 + "ps"));
        ExecutionResult r = run(f, s, SEG, EngineKind.SEQUENTIAL, 1);
        assertTrue(r.faults().failed()[0]);
        assertFalse(r.faults().interruptions().isEmpty());
        long first = r.faults().interruptions().get(0).timePs();
        long retries = (f.faults().retryCount() + 1L) * f.faults().ackTimeoutPs();
        // the first lost segment was sent in [t0 - its queueing, d0]; it gives up 8 timeouts after that send
        assertTrue(first >= t0 - d0 + retries && first <= d0 + retries + f.faults().ackTimeoutPs(),
                "gave up at " + first + " ps, retries take " + retries + " ps");
        assertEquals(first, r.instanceEndPs()[0], "the instance ends when its first rank gives up");
    }

    @Test
    void shouldCostTimeNeverDataOnAFlapShorterThanTheTimeout() {
        Fabric clean = TestRuns.fabric(ONE_SPINE);
        Schedule s = ring(clean, 8 << 20, 2);
        long d0 = run(clean, s, SEG, EngineKind.SEQUENTIAL, 1).durationPs();
        Fabric f = withFaults(clean, faults("link-flap,link=gpu0/leaf0,at=" + d0 / 3 + "ps,for=1ms"));
        ExecutionResult r = run(f, s, SEG, EngineKind.SEQUENTIAL, 1);
        assertFalse(r.faults().failed()[0]);
        assertTrue(r.faults().retransmittedBytes()[0] > 0);
        assertNoDataLost(s, r);
        assertTrue(r.durationPs() >= f.faults().ackTimeoutPs(), "the tail loss waits for the ACK timeout");
    }

    @Test
    void shouldDropSegmentsAtTheRateRsFecGives() {
        Fabric clean = TestRuns.fabric(ONE_SPINE);
        Schedule s = ring(clean, 48 << 20, 2);
        double ber = 1e-3;
        Fabric f = withFaults(clean, faults("ber,link=leaf0/spine0,ber=" + ber));
        long seg = 4096;
        ExecutionResult r = run(f, s, seg, EngineKind.SEQUENTIAL, 1);
        assertNoDataLost(s, r);
        Topology t = f.topology();
        long sent = 0;
        long drops = 0;
        double p = 0;
        for (int port = 0; port < t.portCount(); port++) {
            double lp = f.faults().packetLoss(port);
            if (lp > 0) {
                p = lp;
                sent += r.portsById()[port].segmentsSent();
                drops += r.portsById()[port].drops();
            }
        }
        // one 4 KiB packet per segment: drops ~ Binomial(sent, p); within 4 standard deviations
        double mean = sent * p;
        double sd = Math.sqrt(sent * p * (1 - p));
        assertTrue(sent > 20_000, "enough segments: " + sent);
        assertTrue(Math.abs(drops - mean) <= 4 * sd, drops + " drops of " + sent + ", expected " + mean + " +- " + sd);
        assertEquals(FaultPlan.frameLoss(ber, (long) Math.ceil(4096 / t.portDataEfficiency(0))), p, 1e-15);
    }

    @Test
    void shouldEqualNoFaultsAtBerZero() {
        Fabric clean = TestRuns.fabric(ONE_SPINE);
        Schedule s = ring(clean, 4 << 20, 2);
        ExecutionResult a = run(clean, s, SEG, EngineKind.SEQUENTIAL, 1);
        ExecutionResult b = run(withFaults(clean, faults("ber,all,ber=0")), s, SEG, EngineKind.SEQUENTIAL, 1);
        assertArrayEquals(a.instanceEndPs(), b.instanceEndPs());
        assertEquals(a.latencyNs(), b.latencyNs());
        for (int p = 0; p < a.portsById().length; p++) {
            assertEquals(a.portsById()[p], b.portsById()[p]);
        }
    }

    @Test
    void shouldBeTheSameOnEveryEngineAndThreadCount() {
        Fabric clean = TestRuns.fabric(TWO_SPINES);
        Schedule s = ring(clean, 8 << 20, 4);
        ExecutionResult base = run(clean, s, SEG, EngineKind.SEQUENTIAL, 1);
        Fabric f = withFaults(clean, faults("link-flap,link=" + busiestUplink(clean, base) + ",at="
                + base.durationPs() / 4 + "ps,for=500us", "ber,link=leaf1/spine1,ber=7e-4"));
        ExecutionResult seq = run(f, s, 16 << 10, EngineKind.SEQUENTIAL, 1);
        for (int k = 0; k < 4; k++) {
            int threads = 1 + k % 2;
            Grouping.Mode mode = k < 2 ? Grouping.Mode.SWITCH : Grouping.Mode.BALANCED;
            ExecutionResult act = TestRuns.runSchedule(f, s, 16 << 10, EngineKind.ACTORS, threads, mode);
            assertArrayEquals(seq.instanceEndPs(), act.instanceEndPs(), threads + " threads, " + mode);
            assertArrayEquals(seq.faults().retransmittedBytes(), act.faults().retransmittedBytes());
            assertEquals(seq.latencyNs(), act.latencyNs());
            for (int p = 0; p < seq.portsById().length; p++) {
                assertEquals(seq.portsById()[p], act.portsById()[p], "port " + p);
            }
        }
    }

    @Test
    void shouldComputeTheCodewordFailureOfRs544() {
        // values from the independent-error model, checked exactly with rational arithmetic
        assertEquals(1.36e-18, FaultPlan.codewordFailure(1e-4), 0.01e-18);
        assertEquals(8.15e-13, FaultPlan.codewordFailure(2.4e-4), 0.01e-13);
        assertEquals(2.79e-8, FaultPlan.codewordFailure(5e-4), 0.01e-8);
        assertEquals(1.53e-4, FaultPlan.codewordFailure(1e-3), 0.01e-4);
        assertEquals(2.14e-34, FaultPlan.codewordFailure(1e-5), 0.01e-34);
        assertEquals(0, FaultPlan.codewordFailure(0));
        assertEquals(1, FaultPlan.codewordFailure(1));
    }
}

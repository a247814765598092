package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.RankSchedule;
import io.collemu.collectives.Schedule;

import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.PortStats;
import io.collemu.topology.route.Router;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every segment injected is delivered once, every byte crosses exactly the ports of its route, and every credit
 * is back home at the end (none lost, none negative: EgressPort refuses both).
 */
class ConservationTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g",
                        CollectiveKind.ALL_REDUCE, "ring", 3L << 20),
                Arguments.of("rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t",
                        CollectiveKind.ALL_REDUCE, "hierarchical", 5L << 20),
                Arguments.of("leaf-spine:leaves=4,spines=2,hosts-per-leaf=8,link=lpo-800g,oversubscription=4",
                        CollectiveKind.ALL_TO_ALL, "direct", (2L << 20) + 96),
                Arguments.of("fat-tree:k=4,link=pluggable-dsp-400g", CollectiveKind.ALL_REDUCE, "tree", 1L << 20),
                Arguments.of("fat-tree:k=4,link=pluggable-dsp-400g", CollectiveKind.ALL_GATHER, "ring", 777_777L));
    }

    @ParameterizedTest(name = "{1} {2} on {0}")
    @MethodSource("cases")
    void shouldDeliverEveryByteOverItsRouteExactlyOnce(String spec, CollectiveKind kind, String algorithm,
            long size) {
        Fabric f = TestRuns.fabric(spec);
        int n = f.gpuCount();
        Schedule s = TestRuns.schedule(kind, algorithm, size, n, 2, f.topology().gpusPerServer());
        long seg = 64 << 10;
        ExecutionResult r = TestRuns.runSchedule(f, s, seg, EngineKind.SEQUENTIAL, 1);
        assertEquals(r.segmentsInjected(), r.segmentsDelivered());
        assertEquals(s.totalBytesSent(), r.bytesDelivered());
        long[] expected = expectedPortBytes(f, s, r);
        for (int p = 0; p < expected.length; p++) {
            PortStats st = r.portsById()[p];
            assertEquals(expected[p], st == null ? 0 : st.bytesSent(), "bytes through port " + p);
            assertEquals(0, st == null ? 0 : st.creditDeficitBytes(), "credit not returned to port " + p);
        }
    }

    /**
     * A flap shorter than the ACK timeout costs time, never data: with a GPU's only link down for a millisecond in the
     * middle of each case, every byte of the schedule is still accepted once, and every credit comes home.
     */
    @ParameterizedTest(name = "a flap: {1} {2} on {0}")
    @MethodSource("cases")
    void shouldDeliverEveryByteOnceThroughAFlap(String spec, CollectiveKind kind, String algorithm, long size) {
        Fabric clean = TestRuns.fabric(spec);
        int n = clean.gpuCount();
        Schedule s = TestRuns.schedule(kind, algorithm, size, n, 2, clean.topology().gpusPerServer());
        long seg = 64 << 10;
        long d0 = TestRuns.runSchedule(clean, s, seg, EngineKind.SEQUENTIAL, 1).durationPs();
        var t = clean.topology();
        int gpu0 = t.gpuNode(0);
        String link = t.nodeName(gpu0) + "/" + t.nodeName(t.portPeer(t.portOf(gpu0, 0)));
        Fabric f = FaultTest.withFaults(clean, FaultTest.faults("link-flap,link=" + link + ",at=" + d0 / 2
                + "ps,for=1ms"));
        ExecutionResult r = TestRuns.runSchedule(f, s, seg, EngineKind.SEQUENTIAL, 1);
        assertEquals(false, r.faults().failed()[0]);
        assertEquals(s.totalBytesSent(), r.bytesDelivered());
        FaultTest.assertNoDataLost(s, r);
    }

    /** Bytes per port from the routes: the flow hash of each send op is recomputed exactly as the GPU LP does. */
    static long[] expectedPortBytes(Fabric f, Schedule s, ExecutionResult r) {
        long[] out = new long[f.topology().portCount()];
        Router router = f.router();
        int[] path = new int[32];
        for (int rank = 0; rank < s.ranks(); rank++) {
            RankSchedule rs = s.rank(rank);
            for (int op = 0; op < rs.opCount(); op++) {
                if (!rs.isSend(op)) {
                    continue;
                }
                int dst = rs.peer(op);
                long flowId = io.collemu.node.lp.GpuLpTestAccess.flowId(7, 0, rs.stream(op));
                int hops = router.path(rank, dst, flowId, path);
                for (int h = 0; h < hops; h++) {
                    out[path[h]] += rs.bytes(op);
                }
            }
        }
        return out;
    }
}

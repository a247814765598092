package io.collemu.node.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.collemu.node.actor.ClusterMessage;
import io.collemu.node.actor.LpActor;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.PortStats;
import io.collemu.node.lp.Segment;
import io.collemu.results.LatencyHistograms;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Every message that may cross members is registered with Kryo; anything else fails loudly, in the tests. */
class KryoSerializerTest {

    static Object roundTrip(Kryo kryo, Object o) {
        Output out = new Output(256, -1);
        kryo.writeClassAndObject(out, o);
        return kryo.readClassAndObject(new Input(out.toBytes()));
    }

    @Test
    void shouldRegisterEveryClusterMessageClass() {
        List<Class<?>> missing = new ArrayList<>();
        int found = 0;
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.collemu.node")) {
            if (c.isAssignableTo(ClusterMessage.class) && !c.isInterface()) {
                found++;
                if (!KryoSerializer.REGISTERED.contains(c.reflect())) {
                    missing.add(c.reflect());
                }
            }
        }
        assertTrue(found >= 10, "found only " + found + " cluster message classes");
        assertTrue(missing.isEmpty(), "cluster messages not registered with Kryo: " + missing);
    }

    @Test
    void shouldFailOnAClassThatIsNotRegistered() {
        Kryo kryo = KryoSerializer.newKryo(null);
        record Unregistered(int x) {
        }
        RuntimeException e = assertThrows(RuntimeException.class, () -> roundTrip(kryo, new Unregistered(1)));
        assertTrue(e.getMessage().contains("not registered"), e.getMessage());
    }

    @Test
    void shouldRoundTripABatchOfSegmentsAndAReportWithItsHistogram() {
        Kryo kryo = KryoSerializer.newKryo(null);
        Segment s = new Segment();
        s.instance = 3;
        s.srcGpu = 1;
        s.dstGpu = 9;
        s.sizeBytes = 65536;
        s.path = new int[] {4, 17, 33};
        s.hops = 1;
        s.flowHash = -42L;
        LpActor.Batch b = new LpActor.Batch(2, new int[] {7, 8}, new int[] {12, 13}, new long[] {10, 20},
                new long[] {1, 2}, new int[] {1, 3}, new long[] {0, 99}, new Object[] {s, null});
        MemberClock.MemberBatch mb = new MemberClock.MemberBatch(5, 1, 0, 1, 1, new int[] {12},
                new LpActor.Batch[] {b}, 123_456L, 99_000L);
        MemberClock.MemberBatch back = (MemberClock.MemberBatch) roundTrip(kryo, mb);
        assertEquals(123_456L, back.senderNextPs());
        assertEquals(99_000L, back.senderSentPs());
        Segment s2 = (Segment) back.batches()[0].payload()[0];
        assertEquals(9, s2.dstGpu);
        assertArrayEquals(new int[] {4, 17, 33}, s2.path);
        assertEquals(-42L, s2.flowHash);
        assertArrayEquals(new long[] {10, 20}, back.batches()[0].timePs());

        Histogram h = LatencyHistograms.newHistogram();
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(i * 7L);
        }
        LpReport r = new LpReport(4, new long[] {0}, new long[] {5}, h, h.copy(),
                new PortStats[] {new PortStats(2, 100, 200, 300, 4, 0, 0)}, 4, 4, 100);
        LpReport r2 = (LpReport) roundTrip(kryo, r);
        assertEquals(h.getTotalCount(), r2.latencyNs().getTotalCount());
        assertEquals(h.getValueAtPercentile(99.9), r2.latencyNs().getValueAtPercentile(99.9));
        assertEquals(r.ports()[0], r2.ports()[0]);
    }
}

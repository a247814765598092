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

    /** Sets every instance field of a segment to a value of its own (by reflection, so a new field is included). */
    private static Segment everyFieldSet(int salt) throws IllegalAccessException {
        Segment s = new Segment();
        int k = 0;
        for (java.lang.reflect.Field f : Segment.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            k++;
            Class<?> t = f.getType();
            if (t == int.class) {
                f.setInt(s, (k % 3 == 0 ? -1 : 1) * (1000 * k + salt));
            } else if (t == long.class) {
                f.setLong(s, (k % 2 == 0 ? -1L : 1L) * (3_000_000_000_000L * k + salt));
            } else if (t == int[].class) {
                f.set(s, new int[] {k, -k, salt});
            } else if (t != Segment[].class) {
                throw new AssertionError("Segment." + f.getName() + " is a " + t + ": teach its serializer and this"
                        + " test the type");
            }
        }
        return s;
    }

    private static void assertSameFields(Segment want, Segment got) throws IllegalAccessException {
        for (java.lang.reflect.Field f : Segment.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType() == Segment[].class) {
                continue;
            }
            Object a = f.get(want);
            Object b = f.get(got);
            if (a instanceof int[] ia) {
                assertArrayEquals(ia, (int[]) b, "Segment." + f.getName());
            } else {
                assertEquals(a, b, "Segment." + f.getName());
            }
        }
    }

    @Test
    void shouldRoundTripEveryFieldOfASegmentWithItsSiblings() throws Exception {
        Kryo kryo = KryoSerializer.newKryo(null);
        Segment s = everyFieldSet(7);
        s.siblings = new Segment[] {everyFieldSet(8), null, everyFieldSet(9)};
        Segment nulls = new Segment(); // path and siblings null, every number 0
        LpActor.Batch b = new LpActor.Batch(4, new int[] {1, 2, 3, 4}, new int[] {5, 6, 7, 8},
                new long[] {0, 1, Long.MAX_VALUE / 2, 7}, new long[] {-1, 0, 9, 10}, new int[] {-2, 0, 1, 2},
                new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, new Object[] {s, null, nulls, new long[] {3}});
        LpActor.Batch back = (LpActor.Batch) roundTrip(kryo, b);
        assertEquals(4, back.count());
        assertArrayEquals(b.srcLp(), back.srcLp());
        assertArrayEquals(b.dstLp(), back.dstLp());
        assertArrayEquals(b.timePs(), back.timePs());
        assertArrayEquals(b.seq(), back.seq());
        assertArrayEquals(b.kind(), back.kind());
        assertArrayEquals(b.aux(), back.aux());
        Segment got = (Segment) back.payload()[0];
        assertSameFields(s, got);
        assertEquals(3, got.siblings.length);
        assertSameFields(s.siblings[0], got.siblings[0]);
        assertEquals(null, got.siblings[1]);
        assertSameFields(s.siblings[2], got.siblings[2]);
        assertEquals(null, back.payload()[1]);
        Segment gotNulls = (Segment) back.payload()[2];
        assertSameFields(nulls, gotNulls);
        assertEquals(null, gotNulls.path);
        assertEquals(null, gotNulls.siblings);
        assertArrayEquals(new long[] {3}, (long[]) back.payload()[3], "a payload that is not a segment");
    }
}

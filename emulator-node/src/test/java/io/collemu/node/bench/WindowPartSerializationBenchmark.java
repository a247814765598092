package io.collemu.node.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.collemu.node.actor.LpActor;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.cluster.KryoSerializer;
import io.collemu.node.lp.Segment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One global window's part between members, written and read back with the members' Kryo: the hand-written batch
 * and segment serializers against Kryo's generic ones (the record and field serializers they replaced). The part
 * is shaped like the 512-GPU run's (one batch of about 30 segments, each with a 5-hop path). Reports microseconds per part.
 *
 * <p>Run: see README, "Benchmarks".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WindowPartSerializationBenchmark {
    @Param({"handWritten", "generic"})
    String codec;

    @Param({"30"})
    int events;

    /** The output buffer's first size ({@link KryoSerializer#toBinary} starts at 256 bytes and grows). */
    @Param({"256", "4096"})
    int bufferBytes;

    private Kryo kryo;
    private MemberClock.MemberBatch part;
    private byte[] bytes;

    @Setup
    public void setUp() {
        kryo = KryoSerializer.newKryo(null);
        if (codec.equals("generic")) {
            for (Class<?> c : new Class<?>[] {Segment.class, LpActor.Batch.class}) {
                int id = kryo.getRegistration(c).getId();
                kryo.register(c, kryo.getDefaultSerializer(c), id);
            }
        }
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
            time[e] = 17_000_000_000L + 331_000L * e;
            seq[e] = 90_000L + e;
            kind[e] = 1;
            Segment s = new Segment();
            s.instance = 1;
            s.srcGpu = 3 * e;
            s.dstGpu = 5 * e + 1;
            s.recvOp = 40 + e;
            s.opOffsetBytes = 65_536L * e;
            s.sizeBytes = 65_536;
            s.wireBytes = 65_536;
            s.creditBytes = 65_536;
            s.flowHash = 0x9e3779b97f4a7c15L * (e + 1);
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
        part = new MemberClock.MemberBatch(1234, 0, 0, 1, 1, new int[] {1}, new LpActor.Batch[] {b},
                17_000_000_000L, 17_000_100_000L);
        bytes = write();
    }

    private byte[] write() {
        Output out = new Output(bufferBytes, -1);
        kryo.writeClassAndObject(out, part);
        return out.toBytes();
    }

    @Benchmark
    public byte[] writePart() {
        return write();
    }

    @Benchmark
    public Object readPart() {
        return kryo.readClassAndObject(new Input(bytes));
    }
}

package io.collemu.node.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.collemu.node.actor.LpActor;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.actor.TestParts;
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
 * is shaped like the 512-GPU run's (one batch of about 30 segments, each with a 5-hop path). Reports microseconds
 * per part.
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

    /** The output buffer's first size ({@link KryoSerializer#toBinary} starts at 4 KiB; it used to be 256 bytes). */
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
        part = TestParts.part(1234, events);
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

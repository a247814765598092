package io.collemu.node.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import io.collemu.node.actor.Coordinator;
import io.collemu.node.actor.LpActor;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.PortStats;
import io.collemu.node.lp.Segment;
import io.collemu.results.LatencyHistograms;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;

/**
 * The Pekko serializer of every message that crosses members: Kryo with every class registered under a fixed id
 * (the same list on every member; an unregistered class fails at once, never silently through Java
 * serialization, which is off). Kryo is not thread-safe, so instances come from a pool. Histograms travel in
 * HdrHistogram's compressed form; actor references as their serialization format, resolved on arrival.
 */
public final class KryoSerializer extends JSerializer {
    /** Pekko serializer id; any stable number not used by Pekko itself. */
    public static final int IDENTIFIER = 727_401;

    /** The registered classes, in id order from {@link #FIRST_ID}. Append only: ids must not move. */
    public static final List<Class<?>> REGISTERED = List.of(
            byte[].class, int[].class, long[].class, double[].class, Object[].class, String.class,
            Segment.class,
            LpActor.Batch.class, LpActor.Batch[].class,
            MemberClock.Peers.class, Void.class /* was GlobalWindow: ids must not move */, MemberClock.MemberBatch.class,
            MemberClock.CollectReports.class, Coordinator.MemberDone.class, Coordinator.MemberReports.class,
            Coordinator.MemberFailed.class,
            LpReport.class, LpReport[].class, PortStats.class, PortStats[].class, Histogram.class,
            MemberHost.SetupRun.class, MemberHost.ClockReady.class, MemberHost.SetupFailed.class,
            ActorRef[].class, LpReport.FaultReport.class, Segment[].class);
    static final int FIRST_ID = 100;
    /** Id of the concrete typed ActorRef class (registered by name: it is Pekko-internal). */
    static final int ACTOR_REF_ID = 99;

    private final Pool<Kryo> pool;

    /** Created by Pekko from the configuration, once per actor system. */
    public KryoSerializer(ExtendedActorSystem system) {
        ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
        this.pool = new Pool<>(true, false, 16) {
            @Override
            protected Kryo create() {
                return newKryo(resolver);
            }
        };
    }

    /** A Kryo configured as every member configures it; {@code resolver} may be null when no refs travel. */
    public static Kryo newKryo(ActorRefResolver resolver) {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        int id = FIRST_ID;
        for (Class<?> c : REGISTERED) {
            if (c == Histogram.class) {
                kryo.register(c, new HistogramSerializer(), id++);
            } else if (c == Segment.class) {
                kryo.register(c, new SegmentSerializer(), id++);
            } else if (c == LpActor.Batch.class) {
                kryo.register(c, new BatchSerializer(), id++);
            } else {
                kryo.register(c, id++);
            }
        }
        try {
            Class<?> adapter = Class.forName("org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter");
            kryo.register(adapter, new ActorRefSerializer(resolver), ACTOR_REF_ID);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Pekko's typed ActorRef adapter class is missing", e);
        }
        return kryo;
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object o) {
        Kryo kryo = pool.obtain();
        try {
            // 4 KiB to start: a window's part is about 1.7 kB, and growing from 256 bytes took a third of its
            // write (WindowPartSerializationBenchmark: 3.9 against 6.1 us)
            Output out = new Output(4096, -1);
            kryo.writeClassAndObject(out, o);
            return out.toBytes();
        } finally {
            pool.free(kryo);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        Kryo kryo = pool.obtain();
        try {
            return kryo.readClassAndObject(new Input(bytes));
        } finally {
            pool.free(kryo);
        }
    }

    /** HdrHistogram's compressed encoding. */
    static final class HistogramSerializer extends Serializer<Histogram> {
        @Override
        public void write(Kryo kryo, Output output, Histogram h) {
            byte[] b = LatencyHistograms.encode(h);
            output.writeVarInt(b.length, true);
            output.writeBytes(b);
        }

        @Override
        public Histogram read(Kryo kryo, Input input, Class<? extends Histogram> type) {
            int n = input.readVarInt(true);
            return LatencyHistograms.decode(input.readBytes(n));
        }
    }

    /**
     * A segment field by field, in declaration order, as variable-length numbers. Hand-written because segments are
     * most of the bytes between members in every global window: measured on the 512-GPU run (2 members, about 30
     * segments a part), Kryo's generic serializers took 14 us to write a part and 9 us to read one, on the path of
     * every window. {@code KryoSerializerTest} sets every field of {@link Segment} by reflection and checks the round
     * trip, so a new field cannot be left out unnoticed.
     */
    static final class SegmentSerializer extends Serializer<Segment> {
        @Override
        public void write(Kryo kryo, Output o, Segment s) {
            o.writeVarInt(s.instance, true);
            o.writeVarInt(s.srcGpu, true);
            o.writeVarInt(s.dstGpu, true);
            o.writeVarInt(s.recvOp, false);
            o.writeVarLong(s.opOffsetBytes, true);
            o.writeVarInt(s.sizeBytes, true);
            o.writeVarInt(s.protocolBytes, true);
            o.writeVarInt(s.wireBytes, true);
            o.writeVarInt(s.creditBytes, true);
            o.writeVarInt(s.stream, false);
            o.writeLong(s.flowHash);
            o.writeVarLong(s.injectPs, false);
            o.writeVarLong(s.enqueuePs, false);
            o.writeVarLong(s.queuedPs, false);
            o.writeVarInt(s.upstreamLp, false);
            o.writeVarInt(s.upstreamPort, false);
            writeInts(o, s.path);
            o.writeVarInt(s.hops, false);
            o.writeVarInt(s.op, false);
            o.writeVarLong(s.sentPs, false);
            o.writeVarInt(s.pathEpoch, false);
            o.writeVarInt(s.combine, false);
            o.writeVarLong(s.combineGroup, false);
            o.writeVarInt(s.combineSize, false);
            if (s.siblings == null) {
                o.writeVarInt(0, true);
            } else {
                o.writeVarInt(s.siblings.length + 1, true);
                for (Segment sibling : s.siblings) {
                    kryo.writeObjectOrNull(o, sibling, Segment.class);
                }
            }
        }

        @Override
        public Segment read(Kryo kryo, Input in, Class<? extends Segment> type) {
            Segment s = new Segment();
            s.instance = in.readVarInt(true);
            s.srcGpu = in.readVarInt(true);
            s.dstGpu = in.readVarInt(true);
            s.recvOp = in.readVarInt(false);
            s.opOffsetBytes = in.readVarLong(true);
            s.sizeBytes = in.readVarInt(true);
            s.protocolBytes = in.readVarInt(true);
            s.wireBytes = in.readVarInt(true);
            s.creditBytes = in.readVarInt(true);
            s.stream = in.readVarInt(false);
            s.flowHash = in.readLong();
            s.injectPs = in.readVarLong(false);
            s.enqueuePs = in.readVarLong(false);
            s.queuedPs = in.readVarLong(false);
            s.upstreamLp = in.readVarInt(false);
            s.upstreamPort = in.readVarInt(false);
            s.path = readInts(in);
            s.hops = in.readVarInt(false);
            s.op = in.readVarInt(false);
            s.sentPs = in.readVarLong(false);
            s.pathEpoch = in.readVarInt(false);
            s.combine = in.readVarInt(false);
            s.combineGroup = in.readVarLong(false);
            s.combineSize = in.readVarInt(false);
            int siblings = in.readVarInt(true);
            if (siblings > 0) {
                s.siblings = new Segment[siblings - 1];
                for (int i = 0; i < s.siblings.length; i++) {
                    s.siblings[i] = kryo.readObjectOrNull(in, Segment.class);
                }
            }
            return s;
        }
    }

    /** A batch event by event, its first {@code count} entries only; a payload that is not a segment goes generic. */
    static final class BatchSerializer extends Serializer<LpActor.Batch> {
        private static final int NONE = 0;
        private static final int SEGMENT = 1;
        private static final int OTHER = 2;

        @Override
        public void write(Kryo kryo, Output o, LpActor.Batch b) {
            int n = b.count();
            o.writeVarInt(n, true);
            for (int e = 0; e < n; e++) {
                o.writeVarInt(b.srcLp()[e], true);
                o.writeVarInt(b.dstLp()[e], true);
                o.writeVarLong(b.timePs()[e], true);
                o.writeVarLong(b.seq()[e], false);
                o.writeVarInt(b.kind()[e], false);
                o.writeVarLong(b.aux()[e], false);
                Object p = b.payload()[e];
                if (p == null) {
                    o.writeByte(NONE);
                } else if (p instanceof Segment s) {
                    o.writeByte(SEGMENT);
                    kryo.writeObject(o, s);
                } else {
                    o.writeByte(OTHER);
                    kryo.writeClassAndObject(o, p);
                }
            }
        }

        @Override
        public LpActor.Batch read(Kryo kryo, Input in, Class<? extends LpActor.Batch> type) {
            int n = in.readVarInt(true);
            int[] src = new int[n];
            int[] dst = new int[n];
            long[] time = new long[n];
            long[] seq = new long[n];
            int[] kind = new int[n];
            long[] aux = new long[n];
            Object[] payload = new Object[n];
            for (int e = 0; e < n; e++) {
                src[e] = in.readVarInt(true);
                dst[e] = in.readVarInt(true);
                time[e] = in.readVarLong(true);
                seq[e] = in.readVarLong(false);
                kind[e] = in.readVarInt(false);
                aux[e] = in.readVarLong(false);
                int tag = in.readByte();
                payload[e] = switch (tag) {
                    case NONE -> null;
                    case SEGMENT -> kryo.readObject(in, Segment.class);
                    case OTHER -> kryo.readClassAndObject(in);
                    default -> throw new com.esotericsoftware.kryo.KryoException("batch payload tag " + tag);
                };
            }
            return new LpActor.Batch(n, src, dst, time, seq, kind, aux, payload);
        }
    }

    private static void writeInts(Output o, int[] a) {
        if (a == null) {
            o.writeVarInt(0, true);
            return;
        }
        o.writeVarInt(a.length + 1, true);
        for (int v : a) {
            o.writeVarInt(v, false);
        }
    }

    private static int[] readInts(Input in) {
        int n = in.readVarInt(true);
        if (n == 0) {
            return null;
        }
        int[] a = new int[n - 1];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readVarInt(false);
        }
        return a;
    }

    /** Typed actor references as their serialization format. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class ActorRefSerializer extends Serializer<ActorRef> {
        private final ActorRefResolver resolver;

        ActorRefSerializer(ActorRefResolver resolver) {
            this.resolver = resolver;
        }

        @Override
        public void write(Kryo kryo, Output output, ActorRef ref) {
            output.writeString(resolver.toSerializationFormat(ref));
        }

        @Override
        public ActorRef read(Kryo kryo, Input input, Class<? extends ActorRef> type) {
            return resolver.resolveActorRef(input.readString());
        }
    }
}

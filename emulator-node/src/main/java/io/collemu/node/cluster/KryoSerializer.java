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
            Output out = new Output(256, -1);
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

package io.collemu.node.actor;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;

/**
 * The direct path of one run's window exchange: the {@link MemberClock.MemberBatch}es between members over one plain
 * TCP connection per ordered pair of members (the sender's), with Nagle off, instead of through Artery. Measured on
 * this project's 2-core VM: a 16-byte round trip takes 16-27 us on a plain socket and 500-700 us through Artery TCP
 * (its stream stages, lanes and dispatchers hand every message across several threads), and every global window
 * waits for one such one-way trip. Everything else (membership, set-up, failure detection, reports) stays on Pekko.
 *
 * <p>Each member listens on an ephemeral port of its bind address before it answers the set-up, and advertises
 * {@code host:port}; on {@code Peers} it connects to every other member. A connection opens with a hello (magic,
 * the run's random token that came with the set-up over Pekko, the sender's member index) read within 5 s; anything
 * else is closed. Frames are a length (at most {@link #MAX_FRAME_BYTES}) and the batch in the members' Kryo
 * serialization.
 *
 * <p><b>The clock reads its links itself</b> ({@link #poll}), on its own thread, when it waits for the other
 * members' parts: the bytes are often in the kernel's buffer by then, and are read without any thread handing them
 * over. A reader thread per connection cost a wake-up of that thread and then one of the clock's: measured on the
 * 512-GPU run (2 members on this 2-core VM, both cores busy with the members' work), the clock went on a median
 * 52 us after the later of its own window's end and the other member's send.
 *
 * <p>A broken or closed connection is reported to the {@link Sink}: the run ends with an error instead of waiting;
 * a member that died is named by the cluster engine's member watch as before.
 *
 * <p>Sends write non-blocking channels; a send the peer cannot take yet reads the links meanwhile.
 *
 * <p>Thread-safety: {@link #connect}, {@link #send} and {@link #poll} are called by the clock only; the acceptor
 * and the hello readers are daemon threads that hand accepted connections over through a queue; {@link #close} may
 * come from any thread.
 */
public final class WindowLinks implements AutoCloseable {
    /** First int of a hello: "CWL1". */
    static final int MAGIC = 0x43574c31;
    /** The largest frame accepted (a batch part is at most Artery's 4 MiB frame; this leaves room). */
    public static final int MAX_FRAME_BYTES = 64 << 20;
    private static final int HELLO_TIMEOUT_MS = 5000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_BUFFER_BYTES = 1 << 16;
    /**
     * How long a send waits for a connection that takes no byte before it fails: past twice the longest
     * {@code --failure-timeout} a test uses plus gossip, a member that stopped reading is lost, not busy.
     */
    static final long STALL_MS = 30_000;

    /** What {@link #poll} reads. */
    interface Sink {
        /** A batch part, in the order its sender sent it. */
        void batch(MemberClock.MemberBatch batch);

        /** The link from {@code member} closed or failed. */
        void failed(int member, String message);
    }

    /** An inbound connection past its hello, and the bytes of a frame not yet complete. */
    private static final class Inbound {
        final SocketChannel channel;
        final int from;
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);

        Inbound(SocketChannel channel, int from) {
            this.channel = channel;
            this.from = from;
        }
    }

    /** An outbound connection past its hello: non-blocking, registered with no interest until a send waits. */
    private static final class Outbound {
        final SocketChannel channel;
        SelectionKey key;

        Outbound(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final String endpoint;
    private final long token;
    private final Serializer serializer;
    /** Connections past their hello, not yet registered with the selector (the clock registers them). */
    private final ConcurrentLinkedQueue<Inbound> accepted = new ConcurrentLinkedQueue<>();
    private final List<SocketChannel> inbound = new ArrayList<>();
    private final ConcurrentHashMap<Integer, Outbound> outbound = new ConcurrentHashMap<>();
    private final List<SocketChannel> outboundChannels = new ArrayList<>();
    private volatile boolean closed;

    private WindowLinks(ServerSocketChannel server, Selector selector, String advertiseHost, int port, long token,
            Serializer serializer) {
        this.server = server;
        this.selector = selector;
        this.endpoint = advertiseHost + ":" + port;
        this.token = token;
        this.serializer = serializer;
    }

    /**
     * Listens on an ephemeral port of {@code bindHost}, advertised as {@code advertiseHost:port}, for the run of
     * {@code token}.
     *
     * @throws IOException if the port cannot be opened
     */
    public static WindowLinks listen(ActorSystem<?> system, String bindHost, String advertiseHost, long token)
            throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        Selector selector;
        try {
            s.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0), 64);
            selector = Selector.open();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        Serialization serialization = SerializationExtension.get(system);
        Serializer serializer = serialization.serializerFor(MemberClock.MemberBatch.class);
        int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
        WindowLinks links = new WindowLinks(s, selector, advertiseHost, port, token, serializer);
        Thread t = new Thread(links::acceptLoop, "collemu-window-accept-" + port);
        t.setDaemon(true);
        t.start();
        return links;
    }

    /** {@code host:port} the other members connect to. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Connects to member {@code m} at {@code endpoint} and says hello, as member {@code self}.
     *
     * @throws IOException if it cannot be reached within 10 s
     */
    void connect(int self, int m, String endpoint) throws IOException {
        int colon = endpoint.lastIndexOf(':');
        SocketChannel c = SocketChannel.open();
        synchronized (outboundChannels) {
            outboundChannels.add(c);
        }
        c.socket().setTcpNoDelay(true);
        c.socket().connect(new InetSocketAddress(endpoint.substring(0, colon),
                Integer.parseInt(endpoint.substring(colon + 1))), CONNECT_TIMEOUT_MS);
        ByteBuffer hello = ByteBuffer.allocate(16).putInt(MAGIC).putLong(token).putInt(self).flip();
        while (hello.hasRemaining()) {
            c.write(hello);
        }
        c.configureBlocking(false);
        Outbound o = new Outbound(c);
        o.key = c.register(selector, 0, o);
        outbound.put(m, o);
    }

    /**
     * Sends one batch part to member {@code member}. While that member's connection takes no more bytes (its
     * buffers are full: it is busy, or sending to this member too), reads the links into {@code sink}: two members
     * that both write large parts would otherwise wait on each other for good.
     *
     * @throws IOException if the connection is broken, or took no byte for {@link #STALL_MS}
     */
    void send(int member, MemberClock.MemberBatch batch, Sink sink) throws IOException {
        Outbound o = outbound.get(member);
        if (o == null) {
            throw new IOException("no connection to member " + member);
        }
        byte[] bytes = serializer.toBinary(batch);
        ByteBuffer[] frame = {ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).flip(), ByteBuffer.wrap(bytes)};
        long progressNanos = System.nanoTime();
        while (true) {
            if (o.channel.write(frame) > 0) {
                progressNanos = System.nanoTime();
            }
            if (!frame[1].hasRemaining()) {
                return;
            }
            if (closed) {
                throw new IOException("closed");
            }
            if (System.nanoTime() - progressNanos > STALL_MS * 1_000_000L) {
                throw new IOException("member " + member + " took no byte for " + STALL_MS / 1000 + " s");
            }
            o.key.interestOps(SelectionKey.OP_WRITE);
            try {
                poll(50, sink);
            } finally {
                if (o.key.isValid()) {
                    o.key.interestOps(0);
                }
            }
        }
    }

    /**
     * Reads what the links have: waits up to {@code timeoutMs} for the first bytes (0: only what is there), then
     * hands every complete frame to {@code sink}, in order per connection. A connection the acceptor hands over
     * meanwhile wakes the wait and is read from the next poll on.
     */
    void poll(long timeoutMs, Sink sink) {
        if (closed) {
            return;
        }
        try {
            for (Inbound in; (in = accepted.poll()) != null; ) {
                in.channel.register(selector, SelectionKey.OP_READ, in);
            }
            if (timeoutMs <= 0) {
                selector.selectNow();
            } else {
                selector.select(timeoutMs);
            }
            for (java.util.Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                if (key.attachment() instanceof Inbound in) {
                    drain(key, in, sink);
                } // else an outbound connection that can take bytes again: its send goes on
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed under the clock: the run is ending
        }
    }

    /** Reads one connection until it has nothing more; every complete frame goes to the sink. */
    private void drain(SelectionKey key, Inbound in, Sink sink) {
        try {
            while (true) {
                int read = in.channel.read(in.buffer);
                if (read < 0) {
                    key.cancel();
                    closeQuietly(in.channel);
                    sink.failed(in.from, "the window link from member " + in.from + " closed");
                    return;
                }
                in.buffer.flip();
                int needed = frames(in.buffer, sink);
                if (needed > in.buffer.capacity()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, 2 * in.buffer.capacity()));
                    bigger.put(in.buffer);
                    in.buffer = bigger;
                } else {
                    in.buffer.compact();
                }
                if (read == 0) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            key.cancel();
            closeQuietly(in.channel);
            sink.failed(in.from, "the window link from member " + in.from + " failed: " + e.getMessage());
        }
    }

    /**
     * Hands every complete frame in {@code buffer} (flipped) to the sink and leaves the rest.
     *
     * @return the bytes the next frame needs, header included (0 if its header is not in yet)
     * @throws IOException on a frame longer than {@link #MAX_FRAME_BYTES}
     */
    private int frames(ByteBuffer buffer, Sink sink) throws IOException {
        while (buffer.remaining() >= Integer.BYTES) {
            int length = buffer.getInt(buffer.position());
            if (length < 0 || length > MAX_FRAME_BYTES) {
                throw new IOException("frame of " + length + " bytes");
            }
            if (buffer.remaining() < Integer.BYTES + length) {
                return Integer.BYTES + length;
            }
            buffer.getInt();
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            sink.batch((MemberClock.MemberBatch) serializer.fromBinary(bytes, MemberClock.MemberBatch.class));
        }
        return 0;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            synchronized (inbound) {
                if (closed) {
                    closeQuietly(s);
                    return;
                }
                inbound.add(s);
            }
            Thread t = new Thread(() -> hello(s), "collemu-window-hello-" + s.socket().getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    /** Reads a connection's hello within 5 s and hands it to the clock; a stranger's is closed. */
    private void hello(SocketChannel s) {
        try {
            s.socket().setTcpNoDelay(true);
            s.socket().setSoTimeout(HELLO_TIMEOUT_MS);
            // unbuffered: not one byte past the hello may be taken from the channel
            DataInputStream in = new DataInputStream(s.socket().getInputStream());
            if (in.readInt() != MAGIC || in.readLong() != token) {
                closeQuietly(s); // a stranger, or another run's member
                return;
            }
            int from = in.readInt();
            s.configureBlocking(false);
            accepted.add(new Inbound(s, from));
            selector.wakeup();
        } catch (IOException | RuntimeException e) {
            closeQuietly(s); // no hello in time, or closed
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        closeQuietly(selector);
        synchronized (inbound) {
            for (SocketChannel s : inbound) {
                closeQuietly(s);
            }
        }
        synchronized (outboundChannels) {
            for (SocketChannel s : outboundChannels) {
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing
        }
    }
}

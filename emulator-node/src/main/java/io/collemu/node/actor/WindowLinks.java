package io.collemu.node.actor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
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
 * serialization. A reader thread per inbound connection hands each batch to the member's clock, in order. A broken
 * connection is reported to the clock ({@link MemberClock.LinkFailed}): the run ends with an error instead of
 * waiting; a member that died is named by the cluster engine's member watch as before.
 *
 * <p>Thread-safe: {@link #send} is called by the clock only; readers and the acceptor are daemon threads that end
 * with {@link #close()}.
 */
public final class WindowLinks implements AutoCloseable {
    /** First int of a hello: "CWL1". */
    static final int MAGIC = 0x43574c31;
    /** The largest frame accepted (a batch part is at most Artery's 4 MiB frame; this leaves room). */
    public static final int MAX_FRAME_BYTES = 64 << 20;
    private static final int HELLO_TIMEOUT_MS = 5000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final ServerSocket server;
    private final String endpoint;
    private final long token;
    private final Serializer serializer;
    private final List<Socket> inbound = new ArrayList<>();
    private final ConcurrentHashMap<Integer, DataOutputStream> outbound = new ConcurrentHashMap<>();
    private final List<Socket> outboundSockets = new ArrayList<>();
    private volatile ActorRef<MemberClock.Command> clock;
    private volatile boolean closed;

    private WindowLinks(ServerSocket server, String advertiseHost, long token, Serializer serializer) {
        this.server = server;
        this.endpoint = advertiseHost + ":" + server.getLocalPort();
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
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0), 64);
        Serialization serialization = SerializationExtension.get(system);
        Serializer serializer = serialization.serializerFor(MemberClock.MemberBatch.class);
        WindowLinks links = new WindowLinks(s, advertiseHost, token, serializer);
        Thread t = new Thread(links::acceptLoop, "collemu-window-accept-" + s.getLocalPort());
        t.setDaemon(true);
        t.start();
        return links;
    }

    /** {@code host:port} the other members connect to. */
    public String endpoint() {
        return endpoint;
    }

    /** The clock that receives the batches; set before the endpoint is handed out. */
    public void deliverTo(ActorRef<MemberClock.Command> receiver) {
        this.clock = receiver;
    }

    /**
     * Connects to member {@code m} at {@code endpoint} and says hello, as member {@code self}.
     *
     * @throws IOException if it cannot be reached within 10 s
     */
    void connect(int self, int m, String endpoint) throws IOException {
        int colon = endpoint.lastIndexOf(':');
        Socket s = new Socket();
        synchronized (outboundSockets) {
            outboundSockets.add(s);
        }
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1))),
                CONNECT_TIMEOUT_MS);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
        out.writeInt(MAGIC);
        out.writeLong(token);
        out.writeInt(self);
        out.flush();
        outbound.put(m, out);
    }

    /**
     * Sends one batch part to member {@code member}.
     *
     * @throws IOException if the connection is broken
     */
    void send(int member, MemberClock.MemberBatch batch) throws IOException {
        byte[] bytes = serializer.toBinary(batch);
        DataOutputStream out = outbound.get(member);
        if (out == null) {
            throw new IOException("no connection to member " + member);
        }
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
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
            Thread t = new Thread(() -> read(s), "collemu-window-read-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void read(Socket s) {
        int from = -1;
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(HELLO_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            if (in.readInt() != MAGIC || in.readLong() != token) {
                closeQuietly(s); // a stranger, or another run's member
                return;
            }
            from = in.readInt();
            s.setSoTimeout(0);
            while (!closed) {
                int length = in.readInt();
                if (length < 0 || length > MAX_FRAME_BYTES) {
                    throw new IOException("frame of " + length + " bytes");
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                clock.tell((MemberClock.MemberBatch) serializer.fromBinary(bytes, MemberClock.MemberBatch.class));
            }
        } catch (SocketTimeoutException e) {
            closeQuietly(s); // no hello in time
        } catch (EOFException e) {
            if (!closed && from >= 0) {
                clock.tell(new MemberClock.LinkFailed(from, "the window link from member " + from + " closed"));
            }
        } catch (IOException | RuntimeException e) {
            if (!closed && from >= 0) {
                clock.tell(new MemberClock.LinkFailed(from, "the window link from member " + from + " failed: "
                        + e.getMessage()));
            }
        } finally {
            closeQuietly(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        synchronized (inbound) {
            for (Socket s : inbound) {
                closeQuietly(s);
            }
        }
        synchronized (outboundSockets) {
            for (Socket s : outboundSockets) {
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

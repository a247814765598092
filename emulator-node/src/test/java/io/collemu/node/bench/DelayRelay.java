package io.collemu.node.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on 127.0.0.1 that delays every byte by a fixed one-way time, in both directions: the kernel here has
 * no netem qdisc, so the delay a cluster member sees is added in user space. A member binds on its own port
 * ({@code --bind 127.0.0.1:B}) and advertises the relay's ({@code --port R}: Artery's canonical address); everything
 * other members send it then crosses the relay. Each chunk read is stamped and written no earlier than
 * {@code stamp + delay} (a per-direction FIFO, so order is kept and the bandwidth is not limited).
 *
 * <p>Bounded: it serves at most {@link #MAX_CONNECTIONS} connections, each pump's queue holds at most 4,096
 * chunks (a full queue blocks the reader: TCP backpressure), and {@link #close} stops every thread. Benchmark
 * code, not shipped.
 */
public final class DelayRelay implements AutoCloseable {
    static final int MAX_CONNECTIONS = 256;
    private static final byte[] EOF = new byte[0];

    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /** Listens on 127.0.0.1:{@code listenPort} and forwards to 127.0.0.1:{@code targetPort}. */
    public DelayRelay(int listenPort, int targetPort, long delayMicros) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
        start("relay-accept-" + listenPort, this::acceptLoop);
    }

    private void acceptLoop() {
        int served = 0;
        while (!closed && served < MAX_CONNECTIONS) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket out = new Socket();
                try {
                    out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                } catch (IOException e) {
                    // the member behind is not listening yet (it binds after its peers start dialling): refuse
                    // this one connection, as the member itself would, and serve the next
                    closeQuietly(in);
                    served++;
                    continue;
                }
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(in);
                    sockets.add(out);
                }
                pump(in, out, "relay-" + served + "-fwd");
                pump(out, in, "relay-" + served + "-back");
                served++;
            } catch (IOException e) {
                closeQuietly(in);
            }
        }
    }

    /** One direction: a reader that stamps chunks and a writer that sends each once its delay has passed. */
    private void pump(Socket from, Socket to, String name) {
        BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4096);
        BlockingQueue<Long> stamps = new ArrayBlockingQueue<>(4096);
        start(name + "-read", () -> {
            byte[] buf = new byte[64 << 10];
            try (InputStream is = from.getInputStream()) {
                int n;
                while (!closed && (n = is.read(buf)) > 0) {
                    stamps.put(System.nanoTime());
                    chunks.put(Arrays.copyOf(buf, n));
                }
            } catch (IOException | InterruptedException e) {
                // the peer closed, or the relay is closing
            }
            try {
                stamps.put(System.nanoTime());
                chunks.put(EOF);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        start(name + "-write", () -> {
            try (OutputStream os = to.getOutputStream()) {
                while (!closed) {
                    byte[] chunk = chunks.poll(1, TimeUnit.SECONDS);
                    if (chunk == null) {
                        continue;
                    }
                    long due = stamps.take() + delayNanos;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        // no spinning: on 2 cores it would take the members' CPU (the timer slack, about 60 us
                        // here, adds to small delays: the benchmark measures the round trip it really got)
                        LockSupport.parkNanos(wait);
                    }
                    if (chunk == EOF) {
                        break;
                    }
                    os.write(chunk);
                    os.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closing
            }
            closeQuietly(from);
            closeQuietly(to);
        });
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        synchronized (threads) {
            threads.add(t);
        }
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (sockets) {
            sockets.forEach(DelayRelay::closeQuietly);
        }
        synchronized (threads) {
            threads.forEach(Thread::interrupt);
        }
    }
}

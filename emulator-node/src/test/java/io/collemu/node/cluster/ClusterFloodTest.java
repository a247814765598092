package io.collemu.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.Grouping;
import io.collemu.node.cli.CollemuCommand;
import io.collemu.node.engine.Engine;
import io.collemu.node.engine.Progress;
import io.collemu.node.run.TestJobs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad peer on 127.0.0.1: a real {@code collemu node} process takes hundreds of 1 KiB connections of garbage
 * (random bytes, an HTTP request, stock Pekko framing with a negative frame length that makes Pekko 1.7.0's parser
 * loop for good, and collemu framing with empty frames that its decoder drops one warning at a time). The node must
 * keep a short log, go back to idle once the flood ends (its CPU time over a quiet second, from /proc), and still
 * join a real leader and serve a run.
 */
class ClusterFloodTest {
    /** Lines the node may write in all: a few per logger and interval, then summaries. */
    static final int MAX_LOG_LINES = 200;
    /** Idle: under 30% of one core over a second (the loop it used to fall into takes a core or two). */
    static final double IDLE_CORE_FRACTION = 0.30;
    /** Linux reports process times in USER_HZ ticks, 100 per second on every architecture it runs on. */
    static final double TICKS_PER_SECOND = 100;

    @TempDir
    Path tmp;

    private Process node;

    @AfterEach
    void stopNode() throws InterruptedException {
        if (node != null) {
            try {
                node.getOutputStream().close();
            } catch (IOException e) {
                // gone
            }
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    @Test
    @Timeout(240)
    void shouldStayQuietIdleAndServingUnderAFloodOfGarbageConnections() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc to read a process's CPU time");
        int seed = ClusterProcessTest.freePort();
        int nodePort = ClusterProcessTest.freePort();
        Path log = tmp.resolve("node.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        node = new ProcessBuilder(javaBin, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CollemuCommand.class.getName(), "node", "--seed-nodes", "127.0.0.1:" + seed, "--port",
                String.valueOf(nodePort), "--threads", "1", "--failure-timeout", "5", "--exit-on-stdin-close")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitLine(log, "joining", Duration.ofSeconds(60));

        // while it looks for its seed
        Flood early = flood(nodePort, 100, Duration.ofSeconds(20));

        ActorEngine.Settings engine = ActorEngine.Settings.of(1, Grouping.Mode.SWITCH);
        try (ClusterEngine leader = new ClusterEngine(ClusterSettings.loopback(seed, List.of(), 5), 2,
                Duration.ofSeconds(60), engine)) {
            awaitLine(log, "up:", Duration.ofSeconds(30));
            // while it is up in a cluster, its actor system for good
            Flood flood = flood(nodePort, 200, Duration.ofSeconds(20));
            double[] idle = awaitIdle(node.pid(), 6);
            String figures = String.format("flood: %d + %d connections sent in %.1f + %.1f s; node CPU over quiet "
                    + "seconds after it: %s of a core; node log so far: %d lines, %d bytes", early.sent(),
                    flood.sent(), early.seconds(), flood.seconds(), Arrays.stream(idle).mapToObj(f ->
                            String.format(java.util.Locale.ROOT, "%.3f", f)).toList(), countLines(log),
                    Files.size(log));
            System.out.println(figures);
            assertEquals(200, flood.sent(), "every connection of the flood was accepted; " + figures);
            assertTrue(idle[idle.length - 1] < IDLE_CORE_FRACTION, "the node never went back to idle: " + figures);
            assertTrue(countLines(log) < MAX_LOG_LINES, figures + "\n" + head(log, 40));

            Engine.Outcome outcome = leader.run(TestJobs.sweepJob("single-switch:gpus=4,link=cpo-800g", 1 << 20),
                    Progress.NONE);
            assertTrue(outcome.stats().wallNanos() > 0);
            // a summary says what was dropped, once the limiter's interval has ended
            awaitLine(log, "LogRateLimit", Duration.ofSeconds(25));
            long lines = countLines(log);
            System.out.println("node log with the summaries: " + lines + " lines");
            assertTrue(lines < MAX_LOG_LINES, lines + " lines:\n" + head(log, 60));
        }
    }

    /** What a flood did: connections written, and how long it took. */
    record Flood(int sent, double seconds) {
    }

    /** {@code connections} of 1 KiB garbage each to 127.0.0.1:{@code port}, 4 at a time, within {@code limit}. */
    static Flood flood(int port, int connections, Duration limit) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int kind = i;
                done.add(pool.submit(() -> {
                    if (System.nanoTime() > deadline) {
                        return;
                    }
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                        s.setSoTimeout(2000);
                        OutputStream out = s.getOutputStream();
                        out.write(garbage(kind));
                        out.flush();
                        sent.incrementAndGet();
                    } catch (IOException e) {
                        // refused while the node restarts its actor system, or reset: that is the node's right
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(limit.toMillis() + 5000, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Flood(sent.get(), (System.nanoTime() - t0) / 1e9);
    }

    /** 1 KiB of one of six kinds of garbage. */
    static byte[] garbage(int kind) {
        byte[] b = new byte[1024];
        switch (kind % 6) {
            case 0 -> new SplittableRandom(kind).nextBytes(b);
            case 1 -> frames(b, "AKKA", 2, -4); // Pekko 1.7.0's parser rewinds on a negative length: for good
            case 2 -> frames(b, "PEKK", 1, -4);
            case 3 -> frames(b, ClusterSettings.TCP_MAGIC, 2, 0); // ours, empty frames: a warning each
            case 4 -> frames(b, ClusterSettings.TCP_MAGIC, 3, 0); // the large-message stream, which is off
            default -> {
                byte[] http = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(http, 0, b, 0, http.length);
            }
        }
        return b;
    }

    /** Artery TCP framing: magic, stream id, then frames of {@code length} as 4-byte little-endian headers. */
    static void frames(byte[] b, String magic, int streamId, int length) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(m, 0, b, 0, 4);
        b[4] = (byte) streamId;
        for (int off = 5; off + 4 <= b.length; off += 4) {
            b[off] = (byte) length;
            b[off + 1] = (byte) (length >> 8);
            b[off + 2] = (byte) (length >> 16);
            b[off + 3] = (byte) (length >> 24);
        }
    }

    /**
     * The process's CPU over successive quiet seconds, as a fraction of one core, until one is idle or
     * {@code seconds} have been measured; the last is the one that counts.
     */
    static double[] awaitIdle(long pid, int seconds) throws Exception {
        List<Double> fractions = new ArrayList<>();
        long ticks = cpuTicks(pid);
        long t = System.nanoTime();
        for (int i = 0; i < seconds; i++) {
            Thread.sleep(1000); // the measuring interval itself, not a wait for an actor
            long nowTicks = cpuTicks(pid);
            long now = System.nanoTime();
            double fraction = (nowTicks - ticks) / TICKS_PER_SECOND / ((now - t) / 1e9);
            // raw, not rounded: the loop below and the caller's assertion must compare the same number (a rounded
            // 0.296 printed as 0.3 ended the loop as idle and then failed the assertion as not idle)
            fractions.add(fraction);
            ticks = nowTicks;
            t = now;
            if (fraction < IDLE_CORE_FRACTION) {
                break;
            }
        }
        return fractions.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** utime + stime of {@code pid} in clock ticks, from /proc/PID/stat (fields 14 and 15). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3, the state
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Polls (bounded) until the file holds a line containing {@code text}; reads it as a stream (it may be huge). */
    static void awaitLine(Path file, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
                    if (lines.anyMatch(l -> l.contains(text))) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line with '" + text + "' within " + limit.toSeconds() + " s:\n" + head(file, 40));
    }

    static long countLines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return lines.count();
        }
    }

    static String head(Path file, int n) throws IOException {
        if (!Files.exists(file)) {
            return "(no file)";
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return lines.limit(n).collect(Collectors.joining("\n"));
        }
    }
}

package io.collemu.node.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wall time and barrier cost of a cluster run against the round-trip time between its members, on this machine:
 * N member JVMs on 127.0.0.1, each behind a {@link DelayRelay} that it advertises as its canonical address, for each
 * one-way delay given. Prints one line per (members, delay): the round trip measured through a relay, the wall
 * time, the global windows and the barrier share the leader printed, and the wall time per window.
 *
 * <pre>
 *   java -cp emulator-node/target/test-classes:emulator-node/target/collemu-node.jar:emulator-node/target/lib/* \
 *       io.collemu.node.bench.ClusterRttBench --members 2,3 --delays-us 0,10,50,250 -- \
 *       --topology fat-tree:k=8,link=pluggable-dsp-400g --collective all-reduce --sizes 16M
 * </pre>
 *
 * Every process is bounded (10 minutes a run); the members exit when their standard input closes. Benchmark code,
 * not shipped.
 */
public final class ClusterRttBench {
    /** The window exchange through Artery, whose connections the delaying relays sit on. */
    private static final String PEKKO_EXCHANGE = "-Dcollemu.window-exchange=pekko";

    private static final Pattern CLUSTER = Pattern.compile("# cluster: (\\d+) global windows, ([\\d.]+) us wall per "
            + "window.*?waited at barriers (\\d+)%");
    private static final Pattern EVENTS = Pattern.compile("# (\\d+) events in ([\\d.]+) s wall");

    private ClusterRttBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] memberCounts = {2, 3};
        long[] delaysUs = {0, 10, 50, 250};
        // the relays delay Artery's connections; the direct window links would bypass them, so keep the batches on
        // Artery (the table measures that path)
        String heap = "-Xmx3g";
        List<String> runArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--members" -> memberCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                case "--delays-us" -> delaysUs = Arrays.stream(args[++i].split(",")).mapToLong(Long::parseLong)
                        .toArray();
                case "--heap" -> heap = args[++i];
                case "--" -> {
                    runArgs.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        String jar = new File("emulator-node/target/collemu-node.jar").getAbsolutePath();
        System.out.printf("%-8s %10s %10s %12s %10s %10s %9s %14s%n", "members", "delay(us)", "rtt(us)", "process(s)",
                "emul(s)", "windows", "barrier%", "wall/window(us)");
        for (int members : memberCounts) {
            for (long delay : delaysUs) {
                double rttUs = measureRttUs(delay);
                Result r = runOnce(jar, heap, members, delay, runArgs);
                System.out.printf(Locale.ROOT, "%-8d %10d %10.1f %12.2f %10.2f %10d %9d %14.1f%n", members, delay,
                        rttUs, r.processSeconds, r.emulationSeconds, r.windows, r.barrierPercent, r.usPerWindow);
            }
        }
    }

    /**
     * @param processSeconds   the leader process, start to exit (JVM start, cluster formation, build, run, files)
     * @param emulationSeconds the emulation alone, as the leader printed it
     * @param usPerWindow      the cluster's wall time per global window, as the leader printed it
     */
    private record Result(double processSeconds, double emulationSeconds, long windows, double usPerWindow,
            int barrierPercent) {
    }

    /** Mean round trip of one byte through a relay of this delay to an echo server, microseconds (200 tries). */
    static double measureRttUs(long delayUs) throws IOException {
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = echo.accept(); InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream()) {
                    s.setTcpNoDelay(true);
                    int b;
                    while ((b = in.read()) >= 0) {
                        out.write(b);
                        out.flush();
                    }
                } catch (IOException e) {
                    // done
                }
            }, "echo");
            t.setDaemon(true);
            t.start();
            int relayPort = freePort();
            try (DelayRelay relay = new DelayRelay(relayPort, echo.getLocalPort(), delayUs);
                    Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), relayPort), 5000);
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                long total = 0;
                int tries = 200;
                for (int i = 0; i < tries + 20; i++) {
                    long t0 = System.nanoTime();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                    if (s.getInputStream().read() < 0) {
                        throw new IOException("echo closed");
                    }
                    if (i >= 20) {
                        total += System.nanoTime() - t0;
                    }
                }
                return total / 1e3 / tries;
            }
        }
    }

    private static Result runOnce(String jar, String heap, int members, long delayUs, List<String> runArgs)
            throws Exception {
        int[] canonical = new int[members];
        int[] bind = new int[members];
        List<DelayRelay> relays = new ArrayList<>();
        List<Process> nodes = new ArrayList<>();
        Path out = Files.createTempDirectory("collemu-rtt");
        try {
            for (int m = 0; m < members; m++) {
                canonical[m] = freePort();
                bind[m] = freePort();
                relays.add(new DelayRelay(canonical[m], bind[m], delayUs));
            }
            String seed = "127.0.0.1:" + canonical[0];
            for (int m = 1; m < members; m++) {
                ProcessBuilder pb = new ProcessBuilder("java", heap, PEKKO_EXCHANGE, "-jar", jar, "node",
                        "--seed-nodes", seed,
                        "--host", "127.0.0.1", "--port", String.valueOf(canonical[m]), "--bind",
                        "127.0.0.1:" + bind[m], "--exit-on-stdin-close");
                pb.redirectErrorStream(true);
                pb.redirectOutput(out.resolve("node-" + m + ".log").toFile());
                nodes.add(pb.start());
            }
            List<String> cmd = new ArrayList<>(List.of("java", heap, PEKKO_EXCHANGE, "-jar", jar, "run", "--members",
                    String.valueOf(members), "--host", "127.0.0.1", "--port", String.valueOf(canonical[0]),
                    "--bind", "127.0.0.1:" + bind[0], "--no-progress", "--out", out.toString()));
            cmd.addAll(runArgs);
            long t0 = System.nanoTime();
            Process leader = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            StringBuilder text = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(leader.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    text.append(line).append('\n');
                }
            }
            if (!leader.waitFor(10, TimeUnit.MINUTES) || leader.exitValue() != 0) {
                leader.destroyForcibly();
                throw new IllegalStateException("the leader failed:\n" + text);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            Matcher m = CLUSTER.matcher(text);
            Matcher e = EVENTS.matcher(text);
            if (!m.find() || !e.find()) {
                throw new IllegalStateException("no cluster or events line in:\n" + text);
            }
            return new Result(wall, Double.parseDouble(e.group(2)), Long.parseLong(m.group(1)),
                    Double.parseDouble(m.group(2)), Integer.parseInt(m.group(3)));
        } finally {
            for (Process p : nodes) {
                p.getOutputStream().close();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            for (DelayRelay r : relays) {
                r.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

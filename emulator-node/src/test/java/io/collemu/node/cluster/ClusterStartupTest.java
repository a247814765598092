package io.collemu.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.node.actor.ActorEngine;
import io.collemu.node.actor.Grouping;
import io.collemu.node.cli.CliTest;
import io.collemu.node.cli.CliTest.Result;
import io.collemu.node.cli.CollemuCommand;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Starting a member: every flag the machine or the values refuse is one line naming the flag and exit code 2, before
 * any actor system starts (so no Pekko log); a node stops cleanly when told to at once; a node reports "up" only next
 * to its seed, and gives up on a seed that never comes after its bounded attempts.
 */
class ClusterStartupTest {
    static final String PASSWORD = ClusterTlsTest.PASSWORD;

    @TempDir
    static Path stores;

    @TempDir
    Path tmp;

    static Stream<Arguments> refusedFlags() throws Exception {
        Path keys = keyStore(stores, "keys");
        Path text = Files.writeString(stores.resolve("notes.txt"), "this is not a key store\n");
        Path trustOnly = stores.resolve("trust.p12");
        if (!Files.exists(trustOnly)) {
            Path cert = stores.resolve("keys.cer");
            keytool("-exportcert", "-alias", "collemu", "-keystore", keys.toString(), "-storepass", PASSWORD, "-file",
                    cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "peer", "-file", cert.toString(), "-keystore",
                    trustOnly.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        String seed = "--seed-nodes=127.0.0.1:25999";
        return Stream.of(
                Arguments.of(List.of("node", seed, "--port", "70000"), "--port"),
                Arguments.of(List.of("node", "--seed-nodes", "127.0.0.1:99999"), "--seed-nodes"),
                Arguments.of(List.of("node", "--seed-nodes", "127.0.0.1"), "--seed-nodes"),
                Arguments.of(List.of("node", "--seed-nodes", "0.0.0.0:25520"), "--seed-nodes"),
                Arguments.of(List.of("node", seed, "--failure-timeout", "NaN"), "--failure-timeout"),
                Arguments.of(List.of("node", seed, "--join-attempts", "-1"), "--join-attempts"),
                Arguments.of(List.of("run", "--members", "2", "--member-wait", "NaN"), "--member-wait"),
                Arguments.of(List.of("run", "--members", "2", "--port", "-1"), "--port"),
                Arguments.of(List.of("node", seed, "--host", "0.0.0.0"), "--host"),
                Arguments.of(List.of("run", "--members", "2", "--host", "::"), "--host"),
                Arguments.of(List.of("node", seed, "--host", "no-such-host.invalid"), "--host"),
                Arguments.of(List.of("node", seed, "--bind", "no-such-host.invalid"), "--bind"),
                Arguments.of(List.of("node", seed, "--host", "192.0.2.1"), "--tls-keystore"),
                Arguments.of(List.of("node", seed, "--bind", "0.0.0.0"), "--insecure"),
                Arguments.of(List.of("node", seed, "--host", "192.0.2.1", "--insecure"), "not an address of this"),
                Arguments.of(List.of("node", seed, "--bind", "127.0.0.1:99999"), "--bind"),
                Arguments.of(List.of("node", "--seed-nodes", "127.0.0.1:25531", "--port", "25531"), "own address"),
                Arguments.of(List.of("node", "--seed-nodes", "localhost:25532", "--port", "25532"), "own address"),
                Arguments.of(List.of("node", seed, "--tls-keystore", text.toString(), "--tls-password", PASSWORD),
                        "--tls-keystore " + text + ": not a PKCS12 key store"),
                Arguments.of(List.of("node", seed, "--tls-keystore", keys.toString(), "--tls-password", "wrong"),
                        "--tls-keystore " + keys + ": wrong password"),
                Arguments.of(List.of("node", seed, "--tls-keystore", stores.resolve("none.p12").toString(),
                        "--tls-password", PASSWORD), "--tls-keystore " + stores.resolve("none.p12")),
                Arguments.of(List.of("node", seed, "--tls-keystore", stores.toString(), "--tls-password", PASSWORD),
                        "is a directory"),
                Arguments.of(List.of("node", seed, "--tls-keystore", trustOnly.toString(), "--tls-password",
                        PASSWORD), "holds no private key"),
                Arguments.of(List.of("run", "--members", "2", "--tls-keystore", text.toString(), "--tls-password",
                        PASSWORD), "--tls-keystore"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFlags")
    void shouldRefuseABadClusterFlagWithOneLineNamingIt(List<String> args, String mentions) {
        List<String> all = new ArrayList<>(args);
        if (args.get(0).equals("run")) {
            all.addAll(List.of("--out", tmp.toString(), "--no-progress", "--sizes", "1M"));
        }
        Result r = CliTest.run(all.toArray(String[]::new));
        assertOneLineExitTwo(r, mentions);
    }

    @Test
    @Timeout(60)
    void shouldRefuseAPortInUseWithOneLineAndNoPekkoLog() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            Process node = collemu(tmp.resolve("node.log"), "node", "--seed-nodes", "127.0.0.1:25999", "--port", port);
            assertTrue(node.waitFor(40, TimeUnit.SECONDS));
            String out = Files.readString(tmp.resolve("node.log"));
            assertEquals(2, node.exitValue(), out);
            assertEquals(1, out.strip().lines().count(), out);
            assertTrue(out.contains("--port " + port + ": already in use on 127.0.0.1"), out);

            Result run = CliTest.run("run", "--members", "2", "--port", port, "--out", tmp.toString(),
                    "--no-progress", "--sizes", "1M");
            assertOneLineExitTwo(run, "--port " + port + ": already in use");
        }
    }

    /** Taken between the up-front check and Artery's bind: still one line naming the flag. */
    @Test
    @Timeout(60)
    void shouldNameThePortWhenArteryCannotBindIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ClusterSettings s = ClusterSettings.loopback(taken.getLocalPort(), List.of(), 2);
            ClusterStartException e = assertThrows(ClusterStartException.class, () -> MemberSystem.start(s,
                    Behaviors.empty(), ActorEngine.Settings.of(1, Grouping.Mode.SWITCH).config()));
            assertEquals("--port " + taken.getLocalPort() + ": already in use on 127.0.0.1 (another member or "
                    + "program listens there)", e.getMessage());
        }
    }

    @Test
    @Timeout(60)
    void shouldStopCleanlyWhenStdinIsClosedFromTheStart() throws Exception {
        Path log = tmp.resolve("node.log");
        Process node = collemu(log, "node", "--seed-nodes", "127.0.0.1:" + ClusterProcessTest.freePort(), "--port",
                String.valueOf(ClusterProcessTest.freePort()), "--exit-on-stdin-close");
        assertTrue(node.waitFor(40, TimeUnit.SECONDS), "the node did not stop");
        String out = Files.readString(log);
        assertEquals(0, node.exitValue(), out);
        assertTrue(out.strip().endsWith("collemu node: stopped"), out);
        assertFalse(out.contains("ERROR") || out.contains("Exception") || out.contains("\tat "), out);
        assertFalse(out.contains(": up"), out);
    }

    @Test
    @Timeout(90)
    void shouldNotReportUpWithoutItsSeedAndGiveUpAfterItsAttempts() throws Exception {
        int seed = ClusterProcessTest.freePort();
        Path log = tmp.resolve("node.log");
        Process node = collemu(log, "node", "--seed-nodes", "127.0.0.1:" + seed, "--port",
                String.valueOf(ClusterProcessTest.freePort()), "--join-attempts", "2");
        assertTrue(node.waitFor(70, TimeUnit.SECONDS), "the node did not give up");
        String out = Files.readString(log);
        assertEquals(3, node.exitValue(), out);
        assertFalse(out.contains(": up"), out);
        assertTrue(out.contains("no cluster at seed 127.0.0.1:" + seed + " yet (attempt 1 of 2, "
                + MemberNode.JOIN_ATTEMPT_SECONDS + " s each); trying again"), out);
        List<String> lines = out.strip().lines().toList();
        assertEquals("collemu node: no cluster at seed 127.0.0.1:" + seed + " after 2 attempts of "
                + MemberNode.JOIN_ATTEMPT_SECONDS + " s; giving up (--join-attempts 2)", lines.get(lines.size() - 1));
        assertFalse(out.contains("ERROR") || out.contains("Exception"), out);
    }

    /** Listens on every interface (--bind 0.0.0.0), advertises 127.0.0.1 (--host): what peers get is reachable. */
    @Test
    @Timeout(60)
    void shouldAdvertiseHostAndListenOnBind() throws Exception {
        int port = ClusterProcessTest.freePort();
        ClusterSettings s = new ClusterSettings("127.0.0.1", port, new ClusterSettings.Endpoint("0.0.0.0", port),
                List.of(), 1, 2, 0, null, true);
        s.probe();
        ActorSystem<Void> system = MemberSystem.start(s, Behaviors.empty(),
                ActorEngine.Settings.of(1, Grouping.Mode.SWITCH).config());
        try {
            assertEquals("pekko://collemu@127.0.0.1:" + port, Cluster.get(system).selfMember().address().toString());
            try (Socket other = new Socket()) { // another loopback address: only a wildcard bind answers there
                other.connect(new InetSocketAddress("127.0.0.2", port), 2000);
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    static void assertOneLineExitTwo(Result r, String mentions) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line on stderr, got:\n" + err);
        assertTrue(err.contains(mentions), "the error should name '" + mentions + "': " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    /** A {@code collemu} process with stdin closed from the start, stdout and stderr into {@code log}. */
    static Process collemu(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), CollemuCommand.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /** A PKCS12 key store with one key pair, as README's keytool command makes it (made once per class). */
    static Path keyStore(Path dir, String name) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        if (!Files.exists(ks)) {
            keytool("-genkeypair", "-alias", "collemu", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                    "-dname", "CN=collemu-" + name, "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass",
                    PASSWORD, "-keypass", PASSWORD);
        }
        return ks;
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }
}

package io.collemu.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.collemu.node.cli.CollemuCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artery over TLS with mutual authentication: a member with the cluster's keys joins and runs; a process with
 * other keys cannot join, and the leader's bounded wait ends with its one-line message.
 */
class ClusterTlsTest {
    static final String PASSWORD = "collemu-test";

    @TempDir
    Path tmp;

    private final List<Process> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : nodes) {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                // gone
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** A PKCS12 key store with one self-signed key pair, as README's keytool commands make it. */
    Path keyStore(String name) throws Exception {
        Path ks = tmp.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "collemu", "-keyalg", "RSA", "-keysize",
                "2048", "-validity", "30", "-dname", "CN=collemu-" + name, "-keystore", ks.toString(), "-storetype",
                "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
        return ks;
    }

    Process node(int seed, Path ks, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CollemuCommand.class.getName(), "node", "--seed-nodes", "127.0.0.1:" + seed, "--port",
                String.valueOf(ClusterProcessTest.freePort()), "--threads", "1", "--tls-keystore", ks.toString(),
                "--tls-password", PASSWORD, "--exit-on-stdin-close").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        nodes.add(p);
        return p;
    }

    @Test
    @Timeout(150)
    void shouldRunOverTlsAndKeepOutAProcessWithOtherKeys() throws Exception {
        Path cluster = keyStore("cluster");
        Path stranger = keyStore("stranger");
        int seed = ClusterProcessTest.freePort();
        node(seed, cluster, tmp.resolve("friend.log"));
        io.collemu.node.cli.CliTest.Result ok = ClusterProcessTest.collemu("run", "--engine", "actors", "--topology",
                "single-switch:gpus=8,link=cpo-1.6t", "--sizes", "1M", "--no-progress", "--out",
                Files.createDirectories(tmp.resolve("ok")).toString(), "--members", "2", "--port",
                String.valueOf(seed), "--member-wait", "60", "--tls-keystore", cluster.toString(), "--tls-password",
                PASSWORD);
        assertEquals(0, ok.code(), ok.err() + Files.readString(tmp.resolve("friend.log")));
        stop();
        nodes.clear();

        int seed2 = ClusterProcessTest.freePort();
        node(seed2, stranger, tmp.resolve("stranger.log"));
        io.collemu.node.cli.CliTest.Result refused = ClusterProcessTest.collemu("run", "--engine", "actors", "--topology",
                "single-switch:gpus=8,link=cpo-1.6t", "--sizes", "1M", "--no-progress", "--out",
                Files.createDirectories(tmp.resolve("refused")).toString(), "--members", "2", "--port",
                String.valueOf(seed2), "--member-wait", "12", "--tls-keystore", cluster.toString(), "--tls-password",
                PASSWORD);
        assertEquals(3, refused.code(), refused.err());
        assertTrue(refused.err().contains("waited 12 s for 2 cluster members"), refused.err());
    }
}

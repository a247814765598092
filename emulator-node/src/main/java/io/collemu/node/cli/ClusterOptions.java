package io.collemu.node.cli;

import io.collemu.node.cluster.ClusterSettings;
import io.collemu.node.run.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Cluster flags shared by {@code run --members} and {@code node}. */
public final class ClusterOptions {
    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address this member binds to and announces (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "25520",
            description = "Port of this member, 0 = any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--seed-nodes", paramLabel = "HOST:PORT[,HOST:PORT]", split = ",",
            description = "Seed members to join (default for run: this member is the seed).")
    List<String> seedNodes = new ArrayList<>();

    @Option(names = "--member-wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long run waits for all members to be up (default: ${DEFAULT-VALUE}).")
    double memberWaitSeconds;

    @Option(names = "--failure-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long a silent member may stay silent before the run ends with exit code 3 "
                + "(default: ${DEFAULT-VALUE}).")
    double failureSeconds;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "PKCS12 key store: turns on TLS (Artery tls-tcp, mutual authentication).")
    Path keyStore;

    @Option(names = "--tls-truststore", paramLabel = "FILE", description = "Trust store (default: the key store).")
    Path trustStore;

    @Option(names = "--tls-password", paramLabel = "PASSWORD",
            description = "Password of the stores (default: the COLLEMU_TLS_PASSWORD environment variable).")
    String password;

    /** The member's settings, every bound checked; {@code threads} sizes the dispatcher. */
    public ClusterSettings settings(int threads) {
        if (port < 0 || port > 65535) {
            throw new UserError("--port: " + port + " is out of range 0..65535");
        }
        if (!(failureSeconds >= 0.5 && failureSeconds <= 600)) {
            throw new UserError("--failure-timeout: " + failureSeconds + " is out of range 0.5..600 seconds");
        }
        if (!(memberWaitSeconds >= 1 && memberWaitSeconds <= 3600)) {
            throw new UserError("--member-wait: " + memberWaitSeconds + " is out of range 1..3600 seconds");
        }
        for (String s : seedNodes) {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || !s.substring(colon + 1).matches("\\d{1,5}")
                    || Integer.parseInt(s.substring(colon + 1)) > 65535) {
                throw new UserError("--seed-nodes: '" + s + "' is not HOST:PORT (port 0..65535)");
            }
        }
        String pw = password != null ? password : System.getenv("COLLEMU_TLS_PASSWORD");
        if (keyStore != null) {
            if (!Files.isReadable(keyStore)) {
                throw new UserError("--tls-keystore: cannot read " + keyStore);
            }
            if (trustStore != null && !Files.isReadable(trustStore)) {
                throw new UserError("--tls-truststore: cannot read " + trustStore);
            }
            if (pw == null || pw.isEmpty()) {
                throw new UserError("--tls-password (or COLLEMU_TLS_PASSWORD) is needed with --tls-keystore");
            }
        }
        return new ClusterSettings(host, port, List.copyOf(seedNodes), threads, failureSeconds, keyStore,
                trustStore, pw);
    }

    /** How long a leader waits for its members. */
    public Duration memberWait() {
        return Duration.ofMillis(Math.round(memberWaitSeconds * 1000));
    }
}

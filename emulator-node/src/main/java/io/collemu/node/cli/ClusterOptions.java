package io.collemu.node.cli;

import io.collemu.node.cluster.ClusterEngine;
import io.collemu.node.cluster.ClusterSettings;
import io.collemu.node.run.UserError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Cluster flags shared by {@code run --members} and {@code node}. */
public final class ClusterOptions {
    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address the other members reach this one at; never a wildcard (default: ${DEFAULT-VALUE}). "
                + "Off loopback it needs --tls-keystore, or --insecure.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "25520",
            description = "Port of this member, 0 = any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "HOST[:PORT]",
            description = "Address (and port) to listen on when it differs from --host and --port, e.g. 0.0.0.0 in "
                + "a container or behind NAT (default: --host and --port).")
    String bind;

    @Option(names = "--insecure", description = "Allow plain TCP on a non-loopback --host or --bind: anyone who "
            + "reaches the port can join the cluster.")
    boolean insecure;

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

    /**
     * The member's settings, every bound checked and the machine probed (names resolve, the address is ours, the
     * port is free, the key stores open) before any actor system starts; {@code threads} sizes the dispatcher.
     */
    public ClusterSettings settings(int threads) {
        return settings(threads, 0, true);
    }

    /**
     * The flags checked, but not this machine: no port is bound to see that it is free. For a run in one JVM,
     * which listens nowhere (a member serving runs on this machine holds the default port).
     */
    public ClusterSettings settingsUnprobed(int threads) {
        return settings(threads, 0, false);
    }

    /** As {@link #settings(int)}, for a node that gives up joining after {@code joinAttempts} (0 = never). */
    ClusterSettings settings(int threads, int joinAttempts) {
        return settings(threads, joinAttempts, true);
    }

    private ClusterSettings settings(int threads, int joinAttempts, boolean probe) {
        if (!(memberWaitSeconds >= 1 && memberWaitSeconds <= 3600)) {
            throw new UserError("--member-wait: " + memberWaitSeconds + " is out of range 1..3600 seconds");
        }
        if (keyStore == null && trustStore != null) {
            throw new UserError("--tls-truststore needs --tls-keystore (the key pair of this member)");
        }
        String pw = password != null ? password : System.getenv("COLLEMU_TLS_PASSWORD");
        ClusterSettings.Tls tls = keyStore == null ? null : new ClusterSettings.Tls(keyStore, trustStore, pw);
        ClusterSettings.Endpoint bindTo = bind == null ? null : ClusterSettings.Endpoint.parse("--bind", bind, port);
        // -Dcollemu.window-exchange=pekko keeps the window exchange on Artery (comparisons, the RTT bench)
        boolean direct = !"pekko".equals(System.getProperty(ClusterEngine.EXCHANGE_PROPERTY));
        ClusterSettings s = new ClusterSettings(host, port, bindTo, seedNodes, threads, failureSeconds, joinAttempts,
                tls, insecure, direct);
        if (probe) {
            s.probe();
        }
        return s;
    }

    /** Whether plain TCP was accepted off loopback with --insecure (worth one line of warning). */
    boolean insecureInUse() {
        return insecure && keyStore == null;
    }

    /** How long a leader waits for its members. */
    public Duration memberWait() {
        return Duration.ofMillis(Math.round(memberWaitSeconds * 1000));
    }
}

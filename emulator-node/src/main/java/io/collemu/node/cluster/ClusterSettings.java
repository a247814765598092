package io.collemu.node.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a member joins the cluster, validated once: the address it advertises, the address it listens on, the seed
 * nodes, TLS, and the bounds on waiting. The constructor checks what the values alone decide;
 * {@link #probe()} checks, before any actor system starts, what this machine decides (names resolve, the bind
 * address is ours, the port is free, the key stores open). Both throw {@link IllegalArgumentException} with one
 * line naming the flag. Immutable.
 *
 * @param host           the address peers reach this member at (Artery's canonical hostname); never a wildcard
 * @param port           the port peers reach this member at, 0 = any free port
 * @param bind           where to listen, when it differs from host:port (Artery's bind hostname and port, e.g.
 *                       0.0.0.0 in a container); null = host:port
 * @param seedNodes      host:port of the seeds; empty = this member is the first seed
 * @param failureSeconds how long a silent member may stay silent before it counts as lost
 * @param joinAttempts   how many attempts of {@link MemberNode#JOIN_ATTEMPT_SECONDS} a node makes to join its seed
 *                       before it gives up; 0 = no limit
 * @param tls            key material for Artery tls-tcp, null = plain TCP
 * @param insecure       plain TCP on a non-loopback address was asked for explicitly
 * @param directWindows  the window exchange over direct TCP links between members ({@code WindowLinks}) where
 *                       TLS is off; false keeps it on Artery
 */
public record ClusterSettings(String host, int port, Endpoint bind, List<String> seedNodes, int threads,
        double failureSeconds, int joinAttempts, Tls tls, boolean insecure, boolean directWindows) {

    /** The settings with the direct window exchange (where TLS is off). */
    public ClusterSettings(String host, int port, Endpoint bind, List<String> seedNodes, int threads,
            double failureSeconds, int joinAttempts, Tls tls, boolean insecure) {
        this(host, port, bind, seedNodes, threads, failureSeconds, joinAttempts, tls, insecure, true);
    }

    public static final String SYSTEM = "collemu";
    /**
     * The 4 bytes every Artery TCP connection starts with. Not Pekko's default ("AKKA", "PEKK"): a connection that
     * does not start with ours is closed at its fifth byte, before any frame is parsed and silently. Pekko 1.7.0
     * trusts the frame lengths that follow the magic (a negative one makes its parser loop for good: apache/pekko
     * #3492, fixed after 1.7.0), so this keeps every client but collemu's own out of that code.
     */
    static final String TCP_MAGIC = "CLM1";
    private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");

    /** Where a member listens: host and port. */
    public record Endpoint(String host, int port) {
        /** {@code HOST} or {@code HOST:PORT} (port {@code defaultPort} when absent); {@code flag} names it. */
        public static Endpoint parse(String flag, String text, int defaultPort) {
            Matcher m = HOST_PORT.matcher(text);
            String h = m.matches() ? m.group(1) : "";
            boolean bracketed = h.startsWith("[") && h.endsWith("]");
            if (m.matches() && (bracketed || !h.contains(":"))) {
                int p = Integer.parseInt(m.group(2));
                if (p > 65535) {
                    throw new IllegalArgumentException(flag + ": port " + p + " of '" + text
                            + "' is out of range 0..65535");
                }
                return new Endpoint(bracketed ? h.substring(1, h.length() - 1) : h, p);
            }
            return new Endpoint(text, defaultPort);
        }
    }

    /** Key and trust stores of Artery tls-tcp; both opened with {@code password}. */
    public record Tls(java.nio.file.Path keyStore, java.nio.file.Path trustStore, String password) {
    }

    /** Checks what the values alone decide. */
    public ClusterSettings {
        seedNodes = List.copyOf(seedNodes);
        requireHost("--host", host);
        requirePort("--port", port);
        if (bind != null) {
            requireHost("--bind", bind.host());
            requirePort("--bind", bind.port());
        }
        if (!(failureSeconds >= 0.5 && failureSeconds <= 600)) {
            throw new IllegalArgumentException("--failure-timeout: " + failureSeconds
                    + " is out of range 0.5..600 seconds");
        }
        if (joinAttempts < 0) {
            throw new IllegalArgumentException("--join-attempts: " + joinAttempts + " is negative (0 = no limit)");
        }
        for (String s : seedNodes) {
            Matcher m = HOST_PORT.matcher(s);
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
                throw new IllegalArgumentException("--seed-nodes: '" + s + "' is not HOST:PORT (port 1..65535)");
            }
            if (isWildcard(m.group(1))) {
                throw new IllegalArgumentException("--seed-nodes: '" + s + "' is a wildcard address; give the "
                        + "seed's own address");
            }
        }
        if (isWildcard(host)) {
            throw new IllegalArgumentException("--host: " + host + " is a wildcard that peers cannot reach; give "
                    + "this machine's address (and --bind " + host + " to listen on every interface)");
        }
    }

    /** Plain TCP on loopback: a member of a cluster on one machine (tests). */
    public static ClusterSettings loopback(int port, List<String> seedNodes, double failureSeconds) {
        return new ClusterSettings("127.0.0.1", port, null, seedNodes, 1, failureSeconds, 0, null, false);
    }

    /** Whether members talk TLS (a key store is given). */
    public boolean tlsOn() {
        return tls != null;
    }

    /** Where Artery listens: {@link #bind} or else host:port. */
    public Endpoint bindEndpoint() {
        return bind != null ? bind : new Endpoint(host, port);
    }

    /** This member's Pekko address, e.g. {@code pekko://collemu@127.0.0.1:25520}. */
    public String selfAddress() {
        return "pekko://" + SYSTEM + "@" + host + ":" + port;
    }

    /** The Pekko addresses of the seeds. */
    public List<String> seedAddresses() {
        return seedNodes.stream().map(s -> "pekko://" + SYSTEM + "@" + s).toList();
    }

    /**
     * Checks, before an actor system starts, what only this machine can tell: every name resolves; plain TCP stays
     * on loopback unless {@link #insecure}; the key stores open with the password; and the bind address is one of
     * this machine's with its port free (a server socket is bound there and closed again).
     */
    public void probe() {
        Endpoint b = bindEndpoint();
        InetAddress advertised = resolve("--host", host);
        InetAddress listen = bind != null ? resolve("--bind", b.host()) : advertised;
        if (tls == null && !insecure) {
            if (!advertised.isLoopbackAddress()) {
                throw plainTcp("--host " + host);
            }
            if (!listen.isLoopbackAddress()) {
                throw plainTcp("--bind " + b.host());
            }
        }
        if (tls != null) {
            TlsStores.check(tls);
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(listen, b.port()));
        } catch (IOException e) {
            throw bindRefused(e);
        }
    }

    /** One line naming the flag for a failed bind, from the OS's reason. */
    IllegalArgumentException bindRefused(Exception e) {
        Endpoint b = bindEndpoint();
        String bindFlag = bind != null ? "--bind" : "--host";
        String portFlag = bind != null && bind.port() != port ? "--bind" : "--port";
        String why = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (why.contains("in use")) {
            return new IllegalArgumentException(portFlag + " " + b.port() + ": already in use on " + b.host()
                    + " (another member or program listens there)");
        }
        if (why.contains("assign")) {
            return new IllegalArgumentException(bindFlag + " " + b.host() + ": not an address of this machine"
                    + (bindFlag.equals("--host") ? " (to advertise it but listen elsewhere, add --bind)" : ""));
        }
        if (why.contains("permission")) {
            return new IllegalArgumentException(portFlag + " " + b.port() + ": permission denied on " + b.host()
                    + " (ports below 1024 need privileges)");
        }
        return new IllegalArgumentException(bindFlag + " " + b.host() + ": cannot listen on port " + b.port()
                + " (" + e.getMessage() + ")");
    }

    private static IllegalArgumentException plainTcp(String what) {
        return new IllegalArgumentException(what + ": plain TCP off loopback lets anyone who reaches the port join "
                + "the cluster; add --tls-keystore (see README), or --insecure to accept that");
    }

    private static InetAddress resolve(String flag, String name) {
        try {
            return InetAddress.getByName(name);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(flag + " " + name + ": cannot resolve this name");
        }
    }

    private static void requireHost(String flag, String host) {
        if (host == null || host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\'
                || c == '/' || c == '@')) {
            throw new IllegalArgumentException(flag + ": '" + host + "' is not a host name or address");
        }
    }

    private static void requirePort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + ": port " + port + " is out of range 0..65535");
        }
    }

    /** Whether {@code host} is the any-address literal (0.0.0.0, ::), which binds everything and reaches nothing. */
    static boolean isWildcard(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = h.matches("[0-9.]+") || h.contains(":");
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isAnyLocalAddress(); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The Pekko configuration of a member. */
    public Config config(Config engineConfig) {
        List<String> seeds = seedNodes.isEmpty() ? List.of(host + ":" + port) : seedNodes;
        String seedList = seeds.stream().map(s -> "\"pekko://" + SYSTEM + "@" + s + "\"")
                .collect(Collectors.joining(", "));
        String pause = Math.max(1, Math.round(failureSeconds * 1000)) + "ms";
        Endpoint b = bindEndpoint();
        StringBuilder c = new StringBuilder();
        c.append("pekko.actor.provider = cluster\n")
                .append("pekko.actor.allow-java-serialization = off\n")
                .append("pekko.actor.serializers.kryo = \"").append(KryoSerializer.class.getName()).append("\"\n")
                .append("pekko.actor.serialization-bindings {\n")
                .append("  \"io.collemu.node.actor.ClusterMessage\" = kryo\n}\n")
                .append("pekko.remote.artery.transport = ").append(tlsOn() ? "tls-tcp" : "tcp").append('\n')
                .append("pekko.remote.artery.canonical.hostname = \"").append(host).append("\"\n")
                .append("pekko.remote.artery.canonical.port = ").append(port).append('\n')
                .append("pekko.remote.artery.bind.hostname = \"").append(b.host()).append("\"\n")
                .append("pekko.remote.artery.bind.port = ").append(b.port()).append('\n')
                .append("pekko.remote.artery.advanced.tcp-magic = [\"").append(TCP_MAGIC).append("\"]\n")
                .append("pekko.remote.artery.advanced.maximum-frame-size = 4 MiB\n")
                .append("pekko.remote.artery.advanced.buffer-pool-size = 256\n")
                .append("pekko.remote.artery.advanced.outbound-message-queue-size = 100000\n")
                .append("pekko.cluster.seed-nodes = [").append(seedList).append("]\n")
                .append("pekko.cluster.downing-provider-class = ")
                .append("\"org.apache.pekko.cluster.sbr.SplitBrainResolverProvider\"\n")
                .append("pekko.cluster.split-brain-resolver.active-strategy = keep-majority\n")
                .append("pekko.cluster.split-brain-resolver.stable-after = ").append(pause).append('\n')
                .append("pekko.cluster.failure-detector.acceptable-heartbeat-pause = ").append(pause).append('\n')
                .append("pekko.cluster.failure-detector.heartbeat-interval = 500ms\n")
                .append("pekko.cluster.gossip-interval = 200ms\n")
                .append("pekko.cluster.leader-actions-interval = 200ms\n")
                .append("pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n")
                .append("pekko.cluster.log-info = off\n")
                .append("pekko.coordinated-shutdown.exit-jvm = off\n");
        if (tlsOn()) {
            String ks = quote(tls.keyStore());
            String ts = quote(tls.trustStore() == null ? tls.keyStore() : tls.trustStore());
            String pw = tls.password().replace("\\", "\\\\").replace("\"", "\\\"");
            c.append("pekko.remote.artery.ssl.config-ssl-engine {\n")
                    .append("  key-store = \"").append(ks).append("\"\n")
                    .append("  trust-store = \"").append(ts).append("\"\n")
                    .append("  key-store-password = \"").append(pw).append("\"\n")
                    .append("  key-password = \"").append(pw).append("\"\n")
                    .append("  trust-store-password = \"").append(pw).append("\"\n")
                    .append("  protocol = \"TLSv1.3\"\n")
                    .append("  enabled-algorithms = [TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256]\n")
                    .append("  require-mutual-authentication = on\n")
                    .append("}\n");
        }
        return ConfigFactory.parseString(c.toString()).withFallback(engineConfig);
    }

    private static String quote(java.nio.file.Path p) {
        return p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

package io.collemu.node.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a member joins the cluster, validated once: its address, the seed nodes, TLS, and the bounds on waiting.
 *
 * @param seedNodes      host:port of the seeds; empty = this member is the first seed
 * @param failureSeconds how long a silent member may stay silent before it counts as lost
 * @param keyStore       TLS key store (PKCS12/JKS), null = plain TCP
 */
public record ClusterSettings(String host, int port, List<String> seedNodes, int threads, double failureSeconds,
        Path keyStore, Path trustStore, String storePassword) {

    public static final String SYSTEM = "collemu";

    /** Whether members talk TLS (a key store is given). */
    public boolean tls() {
        return keyStore != null;
    }

    /** This member's Pekko address, e.g. {@code pekko://collemu@127.0.0.1:25520}. */
    public String selfAddress() {
        return "pekko://" + SYSTEM + "@" + host + ":" + port;
    }

    /** The Pekko configuration of a member. */
    public Config config(Config engineConfig) {
        List<String> seeds = seedNodes.isEmpty() ? List.of(host + ":" + port) : seedNodes;
        String seedList = seeds.stream().map(s -> "\"pekko://" + SYSTEM + "@" + s + "\"")
                .collect(Collectors.joining(", "));
        String pause = Math.max(1, Math.round(failureSeconds * 1000)) + "ms";
        StringBuilder c = new StringBuilder();
        c.append("pekko.actor.provider = cluster\n")
                .append("pekko.actor.allow-java-serialization = off\n")
                .append("pekko.actor.serializers.kryo = \"").append(KryoSerializer.class.getName()).append("\"\n")
                .append("pekko.actor.serialization-bindings {\n")
                .append("  \"io.collemu.node.actor.ClusterMessage\" = kryo\n}\n")
                .append("pekko.remote.artery.transport = ").append(tls() ? "tls-tcp" : "tcp").append('\n')
                .append("pekko.remote.artery.canonical.hostname = \"").append(host).append("\"\n")
                .append("pekko.remote.artery.canonical.port = ").append(port).append('\n')
                .append("pekko.remote.artery.bind.hostname = \"").append(host).append("\"\n")
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
        if (tls()) {
            String ks = keyStore.toAbsolutePath().toString().replace("\\", "\\\\");
            String ts = (trustStore == null ? keyStore : trustStore).toAbsolutePath().toString()
                    .replace("\\", "\\\\");
            c.append("pekko.remote.artery.ssl.config-ssl-engine {\n")
                    .append("  key-store = \"").append(ks).append("\"\n")
                    .append("  trust-store = \"").append(ts).append("\"\n")
                    .append("  key-store-password = \"").append(storePassword).append("\"\n")
                    .append("  key-password = \"").append(storePassword).append("\"\n")
                    .append("  trust-store-password = \"").append(storePassword).append("\"\n")
                    .append("  protocol = \"TLSv1.3\"\n")
                    .append("  enabled-algorithms = [TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256]\n")
                    .append("  require-mutual-authentication = on\n")
                    .append("}\n");
        }
        return ConfigFactory.parseString(c.toString()).withFallback(engineConfig);
    }
}

package io.collemu.node.cluster;

import io.collemu.node.actor.LpMessages.ClusterMessage;

/**
 * Everything a member needs to build the same model as every other member: where the topology comes from (a
 * spec, or a YAML file's text so that members need not share a file system), the routing, the workload and the
 * model options. Members build the model deterministically, then host only their partition of it.
 *
 * @param topologyYaml the YAML text when the topology is a file, else null
 * @param link         the --link override, or null
 */
public record ModelRecipe(String topologySpec, String topologyYaml, String link, String routing, String kind,
        String algorithm, long sizeBytes, int channels, int iterations, int root, long segmentBytes,
        double reducePsPerByte, long stepLatencyPs, int maxWaitingPerStream, long seed, long startPs)
        implements ClusterMessage {
}

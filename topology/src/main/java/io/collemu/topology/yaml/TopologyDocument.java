package io.collemu.topology.yaml;

import java.util.List;
import java.util.Map;

/**
 * The shape of a topology YAML file, as Jackson reads it (unknown fields are errors). Either a builder with
 * parameters:
 * <pre>
 * builder: leaf-spine
 * params: {leaves: 16, hosts-per-leaf: 32, link: my-cpo, oversubscription: 4}
 * linkModels:
 *   my-cpo: {base: cpo-1.6t, phyLatencyNs: 3}
 * switches: {radix: 64, latencyNs: 250, bufferBytes: 2097152}
 * </pre>
 * or an explicit graph for what the builders do not cover (a DGX-1 hybrid cube mesh, a heterogeneous cluster):
 * <pre>
 * nodes:
 *   - {id: gpu0, kind: gpu, server: 0}
 *   - {id: sw0, kind: switch, tier: 1, tierName: leaf, radix: 64, latencyNs: 300, bufferBytes: 1048576}
 * links:
 *   - {a: gpu0, b: sw0, model: cpo-1.6t, cableMetres: 3, count: 1}      # NIC end becomes pluggable-dsp-1.6t
 *   - {a: gpu0, b: gpu1, aModel: nvlink4, bModel: nvlink4}
 * </pre>
 * Plain data; validation happens in {@link TopologyYamlLoader}.
 */
public record TopologyDocument(String name, String builder, Map<String, Object> params,
        Map<String, LinkModelDoc> linkModels, SwitchesDoc switches, List<NodeDoc> nodes, List<LinkDoc> links) {

    /**
     * A link model: {@code base} (a preset; defaults to the preset of the same name, if any) with any field
     * overridden, or a new model with at least {@code technology} and a rate. Times may be given in ps or ns,
     * the rate in bps or Gb/s (one of each pair).
     */
    public record LinkModelDoc(String base, String technology, Double rateBps, Double rateGbps, Double phyLatencyPs,
            Double phyLatencyNs, Double fecLatencyPs, Double fecLatencyNs, Double propagationPsPerMetre,
            Double propagationNsPerMetre, Double cableMetres, Double pjPerBit, Double idleWatts, Double preFecBer,
            Double hardFailuresPerEndHour, Double dataEfficiency) {
    }

    /** Switch parameters applied to every switch a builder makes (or default for explicit-graph switches). */
    public record SwitchesDoc(Integer radix, Double latencyNs, Long bufferBytes, Double nvswitchLatencyNs) {
    }

    /** A node of an explicit graph; switch fields are rejected on GPUs. */
    public record NodeDoc(String id, String kind, Integer server, Integer tier, String tierName, Integer radix,
            Double latencyNs, Long bufferBytes) {
    }

    /** A cable (two one-way links) of an explicit graph: {@code model} for both ends, or {@code aModel}+{@code bModel}. */
    public record LinkDoc(String a, String b, String model, String aModel, String bModel, Double cableMetres,
            Integer count) {
    }
}

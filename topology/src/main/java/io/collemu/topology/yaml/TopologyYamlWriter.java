package io.collemu.topology.yaml;

import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.Topology;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes any {@link Topology} as an explicit-graph YAML file that {@link TopologyYamlLoader} reads back to the same
 * fabric: every link model used, in full (so custom and overridden models survive), every node with its switch
 * parameters, every cable with both ends' models (parallel cables merged into {@code count}). Stateless.
 */
public final class TopologyYamlWriter {
    private TopologyYamlWriter() {
    }

    public static String write(Topology t) {
        StringBuilder sb = new StringBuilder();
        sb.append("# explicit graph written by collemu from ").append(t.spec()).append('\n');
        Map<String, LinkModel> models = new LinkedHashMap<>();
        for (int p = 0; p < t.portCount(); p++) {
            models.putIfAbsent(t.portNearEnd(p).name(), t.portNearEnd(p));
        }
        sb.append("linkModels:\n");
        for (LinkModel m : models.values()) {
            sb.append("  ").append(q(m.name())).append(": {technology: ")
                    .append(m.technology().name().toLowerCase(Locale.ROOT)).append(", rateBps: ").append(m.rateBps())
                    .append(", phyLatencyPs: ").append(m.phyLatencyPs()).append(", fecLatencyPs: ")
                    .append(m.fecLatencyPs()).append(", propagationPsPerMetre: ").append(m.propagationPsPerMetre())
                    .append(", cableMetres: ").append(d(m.cableMetres())).append(", pjPerBit: ").append(d(m.pjPerBit()))
                    .append(", idleWatts: ").append(d(m.idleWatts())).append(", preFecBer: ").append(d(m.preFecBer()))
                    .append(", hardFailuresPerEndHour: ").append(d(m.hardFailuresPerEndHour()))
                    .append(", dataEfficiency: ").append(d(m.dataEfficiency())).append("}\n");
        }
        sb.append("nodes:\n");
        for (int n = 0; n < t.nodeCount(); n++) {
            sb.append("  - {id: ").append(q(t.nodeName(n)));
            int gpu = t.gpuOfNode(n);
            if (gpu >= 0) {
                sb.append(", kind: gpu");
                if (t.serverOfGpu(gpu) >= 0) {
                    sb.append(", server: ").append(t.serverOfGpu(gpu));
                }
            } else {
                sb.append(", kind: switch, tier: ").append(t.tier(n)).append(", tierName: ").append(q(t.tierName(n)))
                        .append(", radix: ").append(t.radix(n)).append(", latencyNs: ")
                        .append(d(t.switchLatencyPs(n) / 1000.0)).append(", bufferBytes: ")
                        .append(t.ingressBufferBytes(n));
            }
            sb.append("}\n");
        }
        sb.append("links:\n");
        int p = 0;
        while (p < t.portCount()) {
            if (t.portReverse(p) < p) {
                p++;
                continue;
            }
            int count = 1;
            int next = p + 1;
            while (next < t.portCount() && sameCable(t, p, next)) {
                count++;
                next++;
            }
            sb.append("  - {a: ").append(q(t.nodeName(t.portOwner(p)))).append(", b: ")
                    .append(q(t.nodeName(t.portPeer(p)))).append(", aModel: ").append(q(t.portNearEnd(p).name()))
                    .append(", bModel: ").append(q(t.portFarEnd(p).name())).append(", cableMetres: ")
                    .append(d(t.portCableMetres(p)));
            if (count > 1) {
                sb.append(", count: ").append(count);
            }
            sb.append("}\n");
            p = next;
        }
        return sb.toString();
    }

    private static boolean sameCable(Topology t, int p, int o) {
        return t.portReverse(o) > o && t.portOwner(o) == t.portOwner(p) && t.portPeer(o) == t.portPeer(p)
                && t.portNearEnd(o) == t.portNearEnd(p) && t.portFarEnd(o) == t.portFarEnd(p)
                && t.portCableMetres(o) == t.portCableMetres(p);
    }

    private static String q(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String d(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) + ".0" : Double.toString(v);
    }
}

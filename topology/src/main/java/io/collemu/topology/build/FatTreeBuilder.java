package io.collemu.topology.build;

import io.collemu.topology.model.SwitchParams;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import java.util.List;

/**
 * {@code fat-tree:k=16,link=...}: the 3-tier k-ary fat-tree of k-port switches (Al-Fares et al., SIGCOMM 2008):
 * k pods of k/2 edge and k/2 aggregation switches, (k/2)^2 core switches, k^3/4 hosts, full bisection.
 * Aggregation switch j of every pod connects to cores j*k/2 .. j*k/2+k/2-1. Cables: host-edge {@code cable-m}
 * (3 m), edge-aggregation {@code agg-cable-m} (30 m), aggregation-core {@code core-cable-m} (100 m), assumed.
 */
final class FatTreeBuilder implements FabricBuilder {
    private static final List<String> PARAMS = List.of("k", "link", "nic-link", "switch-latency-ns", "buffer-bytes",
            "cable-m", "agg-cable-m", "core-cable-m");

    @Override
    public String name() {
        return "fat-tree";
    }

    @Override
    public List<String> parameters() {
        return PARAMS;
    }

    @Override
    public String usage() {
        return "fat-tree:k=K (even)[,link=pluggable-dsp-800g][,nic-link=M][,switch-latency-ns=300]"
                + "[,buffer-bytes=1048576][,cable-m=3][,agg-cable-m=30][,core-cable-m=100]  3-tier k-ary fat-tree,"
                + " k^3/4 hosts";
    }

    @Override
    public Topology build(BuildParams p, String spec) {
        p.requireKnown(PARAMS);
        int k = p.integer("k", null, 2, 128);
        if (k % 2 != 0) {
            throw new TopologyException("parameter 'k' must be even, got " + k, "k");
        }
        LinkPlan plan = LinkPlan.of(p, "pluggable-dsp-800g");
        SwitchParams sw = p.switchParams(SwitchParams.packet(k), "switch-latency-ns");
        double hostMetres = p.number("cable-m", 3.0, 0, 1e6);
        double aggMetres = p.number("agg-cable-m", 30.0, 0, 1e6);
        double coreMetres = p.number("core-cable-m", 100.0, 0, 1e6);
        int half = k / 2;
        int hosts = k * k * k / 4;

        Topology.Builder b = new Topology.Builder(spec);
        for (int h = 0; h < hosts; h++) {
            b.addGpu("gpu" + h, -1);
        }
        int[] edge = new int[k * half];
        int[] agg = new int[k * half];
        for (int pod = 0; pod < k; pod++) {
            for (int i = 0; i < half; i++) {
                edge[pod * half + i] = b.addSwitch("pod" + pod + "-edge" + i, 1, "edge", sw);
            }
        }
        for (int pod = 0; pod < k; pod++) {
            for (int i = 0; i < half; i++) {
                agg[pod * half + i] = b.addSwitch("pod" + pod + "-agg" + i, 2, "aggregation", sw);
            }
        }
        int[] core = new int[half * half];
        for (int c = 0; c < core.length; c++) {
            core[c] = b.addSwitch("core" + c, 3, "core", sw);
        }
        for (int h = 0; h < hosts; h++) {
            b.connect(h, edge[h / half], plan.nicEnd(), plan.fabric(), hostMetres, 1);
        }
        for (int pod = 0; pod < k; pod++) {
            for (int e = 0; e < half; e++) {
                for (int a = 0; a < half; a++) {
                    b.connect(edge[pod * half + e], agg[pod * half + a], plan.fabric(), plan.fabric(), aggMetres, 1);
                }
            }
            for (int a = 0; a < half; a++) {
                for (int c = 0; c < half; c++) {
                    b.connect(agg[pod * half + a], core[a * half + c], plan.fabric(), plan.fabric(), coreMetres, 1);
                }
            }
        }
        return b.build();
    }
}

package io.collemu.topology.build;

import io.collemu.topology.model.FabricCost;
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
    /**
     * Largest k. The real cap is memory: k=128 is 524,288 hosts and 3.1 M ports, about 560 MiB of heap with its
     * routing tables ({@link FabricCost}), so it needs a maximum heap of at least 1.1 GiB
     * ({@link io.collemu.topology.model.FabricLimits}: the fabric may take half); smaller heaps refuse it.
     */
    static final int MAX_K = 128;
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
                + " k^3/4 hosts, k<=" + MAX_K + " (k=128 needs a 1.1 GiB heap)";
    }

    @Override
    public FabricPlan plan(BuildParams p) {
        p.requireKnown(PARAMS);
        int k = p.integer("k", null, 2, MAX_K);
        if (k % 2 != 0) {
            throw new TopologyException("parameter 'k' must be even, got " + k, "k");
        }
        LinkPlan links = LinkPlan.of(p, "pluggable-dsp-800g");
        SwitchParams sw = p.switchParams(SwitchParams.packet(k), "switch-latency-ns");
        return new Plan(k, links, sw, p.number("cable-m", 3.0, 0, BuildParams.MAX_CABLE_METRES),
                p.number("agg-cable-m", 30.0, 0, BuildParams.MAX_CABLE_METRES),
                p.number("core-cable-m", 100.0, 0, BuildParams.MAX_CABLE_METRES));
    }

    /** A k-ary fat-tree: k^3/4 hosts, k^2/2 edge and aggregation switches each, k^2/4 cores. */
    private record Plan(int k, LinkPlan links, SwitchParams sw, double hostMetres, double aggMetres,
            double coreMetres) implements FabricPlan {

        @Override
        public FabricCost cost() {
            long half = k / 2;
            long hosts = FabricCost.product(k, half, half);
            long edges = FabricCost.product(k, half);
            long switches = FabricCost.sum(edges, edges, FabricCost.product(half, half));
            long cables = FabricCost.sum(hosts, FabricCost.product(2, k, half, half));
            return new FabricCost(hosts, switches, cables, Math.max(k, sw.radix()), edges);
        }

        @Override
        public List<String> sizeParameters() {
            return List.of("k");
        }

        @Override
        public Topology build(String spec) {
            int half = k / 2;
            int hosts = k * half * half;
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
                b.connect(h, edge[h / half], links.nicEnd(), links.fabric(), hostMetres, 1);
            }
            for (int pod = 0; pod < k; pod++) {
                wirePod(b, pod, half, edge, agg, core);
            }
            return b.build();
        }

        private void wirePod(Topology.Builder b, int pod, int half, int[] edge, int[] agg, int[] core) {
            for (int e = 0; e < half; e++) {
                for (int a = 0; a < half; a++) {
                    b.connect(edge[pod * half + e], agg[pod * half + a], links.fabric(), links.fabric(), aggMetres, 1);
                }
            }
            for (int a = 0; a < half; a++) {
                for (int c = 0; c < half; c++) {
                    b.connect(agg[pod * half + a], core[a * half + c], links.fabric(), links.fabric(), coreMetres, 1);
                }
            }
        }
    }
}

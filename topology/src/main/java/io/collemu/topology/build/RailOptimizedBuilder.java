package io.collemu.topology.build;

import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.FabricLimits;
import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.SwitchParams;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import java.util.List;

/**
 * {@code rail-optimized:gpus=1024,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t}: a rail-optimized fabric as
 * in NVIDIA DGX SuperPOD reference designs.
 *
 * <pre>
 *   core        [c0 .. ]                       (only when the leaves outgrow one spine's radix)
 *                 |  spine j of every pod -> core group j
 *   spine   [pod0: s0..s(u-1)]  [pod1: ...]    pod = as many SUs as fill half a spine's radix
 *                 |  every leaf of the pod -> every spine of the pod (2 tiers: every leaf of the fabric)
 *   leaf    [su0-leaf0 .. su0-leaf(G-1)] [su1-leaf0 ..]   leaf r of an SU = rail r: one down port per server
 *                 |  NIC of GPU r of each server of the SU
 *   gpu     [server: gpu0..gpu(G-1)] -- NVLink -- [nvs(server)]   (scale-up=none: no NVSwitch)
 * </pre>
 *
 * A scalable unit (SU) is {@code servers-per-su} servers (default 32, fewer if the radix is small); leaf r of
 * each SU has one down port per server and (servers per SU)/o up ports ({@code oversubscription}, default 1,
 * non-blocking). Two tiers while every leaf of the fabric fits on a spine's radix: u/q spines, each with q
 * parallel links to every leaf (q the largest divisor of u that fits, so the fewest spines). Beyond that, three
 * tiers: pods of whole SUs whose leaves fill half a spine radix, u spines per pod (one link per leaf, half the
 * radix down and half up, non-blocking), and a core tier where spine j of every pod meets core group j.
 * Default radix 64 (see {@link LinkPlan#defaultRadix(long)}), 32,768 GPUs of 8-GPU servers need 3 tiers
 * (128 SUs, 1024 leaves, 1024 spines, 512 cores). Cables (assumed): NIC-leaf 3 m, leaf-spine 30 m,
 * spine-core 100 m, NVLink the scale-up model's length (1 m).
 */
final class RailOptimizedBuilder implements FabricBuilder {
    private static final List<String> PARAMS = List.of("gpus", "gpus-per-server", "scale-up", "link", "nic-link",
            "servers-per-su", "oversubscription", "radix", "switch-latency-ns", "nvswitch-latency-ns",
            "buffer-bytes", "cable-m", "spine-cable-m", "core-cable-m");

    @Override
    public String name() {
        return "rail-optimized";
    }

    @Override
    public List<String> parameters() {
        return PARAMS;
    }

    @Override
    public String usage() {
        return "rail-optimized:gpus=N[,gpus-per-server=8][,scale-up=nvlink4|nvlink5|none][,link=pluggable-dsp-800g]"
                + "[,nic-link=M][,servers-per-su=32][,oversubscription=1][,radix=64 (32 for 3.2T)]"
                + "[,switch-latency-ns=300][,nvswitch-latency-ns=100][,buffer-bytes=1048576][,cable-m=3]"
                + "[,spine-cable-m=30][,core-cable-m=100]  DGX SuperPOD-style rails, 2 or 3 tiers";
    }

    @Override
    public FabricPlan plan(BuildParams p) {
        p.requireKnown(PARAMS);
        int gpus = p.integer("gpus", null, 1, (int) FabricLimits.MAX_GPUS);
        int perServer = p.integer("gpus-per-server", 8, 1, 1024);
        if (gpus % perServer != 0) {
            throw new TopologyException("parameter 'gpus': " + gpus + " is not a multiple of gpus-per-server "
                    + perServer, "gpus");
        }
        String scaleUpName = p.string("scale-up", "nvlink4");
        LinkModel scaleUp = "none".equals(scaleUpName) ? null : p.link("scale-up", scaleUpName);
        LinkPlan links = LinkPlan.of(p, "pluggable-dsp-800g");
        SwitchParams sw = p.switchParams(SwitchParams.packet(LinkPlan.defaultRadix(links.fabric().rateBps())),
                "switch-latency-ns");
        int radix = sw.radix();
        double o = p.number("oversubscription", 1.0, 1e-9, 1e6);
        int defaultSu = (int) Math.max(1, Math.min(32, Math.floor(radix * o / (o + 1))));
        int serversPerSu = p.integer("servers-per-su", defaultSu, 1, FabricLimits.MAX_RADIX);
        int servers = gpus / perServer;
        int suServers = Math.min(serversPerSu, servers);
        int up = uplinks(suServers, o);
        if (suServers + up > radix) {
            throw new TopologyException("parameter 'servers-per-su': a leaf needs " + suServers + " down + " + up
                    + " up ports, more than radix " + radix, "servers-per-su");
        }
        int sus = (servers + suServers - 1) / suServers;
        int leaves = sus * perServer;
        Layout layout = leaves <= radix ? twoTier(sus, leaves, up, radix) : threeTier(sus, perServer, up, radix, gpus);
        SwitchParams nvs = scaleUp == null ? null : new SwitchParams(perServer, Math.round(p.number(
                "nvswitch-latency-ns", SwitchParams.NVSWITCH_LATENCY_PS / 1000.0, 0, BuildParams.MAX_LATENCY_NS)
                * 1000), SwitchParams.NVSWITCH_BUFFER_BYTES);
        double[] metres = {p.number("cable-m", 3.0, 0, BuildParams.MAX_CABLE_METRES),
            p.number("spine-cable-m", 30.0, 0, BuildParams.MAX_CABLE_METRES),
            p.number("core-cable-m", 100.0, 0, BuildParams.MAX_CABLE_METRES)};
        return new Plan(gpus, perServer, suServers, sus, scaleUp, nvs, links, sw, layout, metres);
    }

    /**
     * The fabric's shape: G GPUs in servers of {@code perServer}, SUs of {@code suServers} servers, the upper tiers'
     * {@link Layout}; {@code metres} = NIC-leaf, leaf-spine, spine-core cable lengths.
     */
    private record Plan(int gpus, int perServer, int suServers, int sus, LinkModel scaleUp, SwitchParams nvs,
            LinkPlan links, SwitchParams sw, Layout layout, double[] metres) implements FabricPlan {

        @Override
        public FabricCost cost() {
            Layout l = layout;
            long servers = gpus / perServer;
            long leaves = FabricCost.product(sus, perServer);
            long spines = FabricCost.product(l.pods, l.spinesPerPod);
            long cores = FabricCost.product(l.spinesPerPod, l.coresPerGroup);
            long switches = FabricCost.sum(scaleUp == null ? 0 : servers, leaves, spines, cores);
            long cables = FabricCost.sum(scaleUp == null ? 0 : gpus, gpus,
                    FabricCost.product(leaves, l.spinesPerPod, l.leafSpineParallel),
                    FabricCost.product(l.pods, l.spinesPerPod, l.coresPerGroup, l.spineCoreParallel));
            return new FabricCost(gpus, switches, cables, Math.max(sw.radix(), perServer), leaves);
        }

        @Override
        public List<String> sizeParameters() {
            return List.of("gpus");
        }

        @Override
        public Topology build(String spec) {
            int servers = gpus / perServer;
            Topology.Builder b = new Topology.Builder(spec);
            for (int g = 0; g < gpus; g++) {
                b.addGpu("gpu" + g, g / perServer);
            }
            if (scaleUp != null) {
                for (int s = 0; s < servers; s++) {
                    int node = b.addSwitch("nvs" + s, 1, "nvswitch", nvs);
                    for (int r = 0; r < perServer; r++) {
                        b.connect(s * perServer + r, node, scaleUp, scaleUp, scaleUp.cableMetres(), 1);
                    }
                }
            }
            int firstLeaf = b.nodeCount();
            for (int su = 0; su < sus; su++) {
                for (int r = 0; r < perServer; r++) {
                    b.addSwitch("su" + su + "-leaf" + r, 1, "leaf", sw);
                }
            }
            for (int g = 0; g < gpus; g++) {
                int server = g / perServer;
                b.connect(g, firstLeaf + (server / suServers) * perServer + g % perServer, links.nicEnd(),
                        links.fabric(), metres[0], 1);
            }
            wireUpperTiers(b, firstLeaf, sus * perServer);
            return b.build();
        }

        private void wireUpperTiers(Topology.Builder b, int firstLeaf, int leaves) {
            Layout l = layout;
            LinkModel fabric = links.fabric();
            int firstSpine = b.nodeCount();
            for (int pod = 0; pod < l.pods; pod++) {
                for (int s = 0; s < l.spinesPerPod; s++) {
                    b.addSwitch(l.pods == 1 ? "spine" + s : "pod" + pod + "-spine" + s, 2, "spine", sw);
                }
            }
            int leavesPerPod = l.susPerPod * perServer;
            for (int leaf = 0; leaf < leaves; leaf++) {
                int pod = l.pods == 1 ? 0 : leaf / leavesPerPod;
                for (int s = 0; s < l.spinesPerPod; s++) {
                    b.connect(firstLeaf + leaf, firstSpine + pod * l.spinesPerPod + s, fabric, fabric, metres[1],
                            l.leafSpineParallel);
                }
            }
            if (l.coresPerGroup == 0) {
                return;
            }
            int firstCore = b.nodeCount();
            for (int c = 0; c < l.spinesPerPod * l.coresPerGroup; c++) {
                b.addSwitch("core" + c, 3, "core", sw);
            }
            for (int pod = 0; pod < l.pods; pod++) {
                for (int s = 0; s < l.spinesPerPod; s++) {
                    for (int c = 0; c < l.coresPerGroup; c++) {
                        b.connect(firstSpine + pod * l.spinesPerPod + s, firstCore + s * l.coresPerGroup + c, fabric,
                                fabric, metres[2], l.spineCoreParallel);
                    }
                }
            }
        }
    }

    /** Shape of the tiers above the leaves; coresPerGroup 0 means two tiers. */
    private record Layout(int pods, int susPerPod, int spinesPerPod, int leafSpineParallel, int coresPerGroup,
            int spineCoreParallel) {
    }

    private static Layout twoTier(int sus, int leaves, int up, int radix) {
        int q = largestDivisorAtMost(up, radix / leaves);
        return new Layout(1, sus, up / q, q, 0, 0);
    }

    private static Layout threeTier(int sus, int perServer, int up, int radix, int gpus) {
        int susPerPod = (radix / 2) / perServer;
        if (susPerPod < 1) {
            throw new TopologyException("parameter 'radix': " + perServer + " rails do not fit on half the radix "
                    + radix + " of a spine; a fabric of " + gpus + " GPUs needs 3 tiers", "radix");
        }
        int pods = (sus + susPerPod - 1) / susPerPod;
        if (pods > radix) {
            throw new TopologyException("parameter 'gpus': " + gpus + " GPUs need " + pods
                    + " pods, more than a core switch's radix " + radix + " (3 tiers at most); raise radix", "gpus");
        }
        int spineUp = susPerPod * perServer;
        int q = largestDivisorAtMost(spineUp, radix / pods);
        return new Layout(pods, susPerPod, up, 1, spineUp / q, q);
    }

    private static int largestDivisorAtMost(int n, int max) {
        for (int d = Math.min(n, max); d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }

    private static int uplinks(int suServers, double o) {
        double up = suServers / o;
        long rounded = Math.round(up);
        if (rounded > FabricLimits.MAX_RADIX) {
            throw new TopologyException("parameter 'oversubscription': " + suServers + " servers per SU / "
                    + BuildParams.fmt(o) + " would need " + FabricLimits.count(rounded) + " up ports per leaf, more"
                    + " than any radix (at most " + FabricLimits.MAX_RADIX + "): raise oversubscription",
                    "oversubscription");
        }
        if (rounded < 1 || Math.abs(up - rounded) > 1e-9 * Math.max(1, up)) {
            throw new TopologyException("parameter 'oversubscription': " + suServers
                    + " servers per SU / oversubscription " + BuildParams.fmt(o) + " = " + String.format("%.3g", up)
                    + " leaf up ports, which is not a positive integer", "oversubscription");
        }
        return (int) rounded;
    }
}

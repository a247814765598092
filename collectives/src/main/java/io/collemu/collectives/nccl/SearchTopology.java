package io.collemu.collectives.nccl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The reduced topology of one node that {@link GraphSearch} searches, standing in for NCCL's
 * {@code ncclTopoSystem} after path computation (NVIDIA/nccl v2.30.7-1, src/graph/paths.cc). Nodes: GPUs,
 * PCIe switches, NICs and an NVSwitch; every link is a one-way bandwidth budget in NCCL's GB/s:
 * <pre>
 *   NET --netIn--> NIC --nicDown--> PCIe switch --gpuDown--> GPU --nvsUp--> NVSwitch --nvsDown--> GPU
 *   NET <-netOut-- NIC <--nicUp---- PCIe switch <--gpuUp---- GPU            (or GPU --pair--> GPU, no NVSwitch)
 * </pre>
 * Paths and their types:
 * <ul>
 *   <li>GPU to GPU: itself LOC (no links, like NCCL's zero-hop self path); over NVLink NVL; over PCIe PIX
 *       on the same switch, PHB otherwise (the host bridge's own links are not modelled).</li>
 *   <li>GPU to NIC: PIX on the same switch; otherwise PXN through the NIC's local GPU when both are on
 *       NVLink (paths.cc:812-843, only in this direction); otherwise PHB.</li>
 *   <li>NIC to GPU: PIX on the same switch, PHB otherwise ("no PXN on receive").</li>
 * </ul>
 * A path's bandwidth is the minimum of its links; PHB paths starting at a GPU on an Intel CPU charge the
 * PCIe links 6/5 of the bandwidth ({@code INTEL_P2P_OVERHEAD}, src/graph/topo.h:39, search.cc:81-93).
 *
 * <p>Immutable after construction; {@link Budget} objects carry the mutable state of one search.
 */
final class SearchTopology {

    /** {@code LOC_BW}: src/graph/topo.h:17. */
    static final float LOC_BW = 5000.0f;

    /** One precomputed path: its type, bandwidth, and the links it charges. */
    record Path(PathType type, float bw, int[] links, boolean[] pci) {
    }

    final int gpus;
    final int nics;
    final boolean inter;
    final boolean nvSwitch;
    final int compCap;
    final CpuVendor cpu;
    final float pcieGBps;
    final float nicGBps;
    final float nvlinkGBps;
    final int[] gpuSwitch;
    final int[] nicSwitch;
    final int[] nicLocalGpu;
    final Path[][] gpuGpu;
    final Path[][] gpuNet;
    final Path[][] netGpu;
    private final float[] initialLinks;

    SearchTopology(NcclMachine m) {
        gpus = m.gpusPerNode();
        nics = m.nicsPerNode();
        inter = m.nNodes() > 1;
        nvSwitch = m.nvSwitch();
        compCap = m.compCap();
        cpu = m.cpu();
        pcieGBps = (float) m.pcieGBps();
        nicGBps = (float) m.nicGBps();
        nvlinkGBps = (float) m.nvlinkGBpsPerGpu();
        int switches = nics > 0 ? Math.min(gpus, nics) : gpus;
        gpuSwitch = new int[gpus];
        for (int g = 0; g < gpus; g++) {
            gpuSwitch[g] = g * switches / gpus;
        }
        nicSwitch = new int[nics];
        nicLocalGpu = new int[nics];
        for (int n = 0; n < nics; n++) {
            nicSwitch[n] = n * switches / nics;
            nicLocalGpu[n] = firstGpuOnSwitch(nicSwitch[n]);
        }
        initialLinks = initialLinks();
        gpuGpu = new Path[gpus][gpus];
        gpuNet = new Path[gpus][nics];
        netGpu = new Path[nics][gpus];
        for (int a = 0; a < gpus; a++) {
            for (int b = 0; b < gpus; b++) {
                gpuGpu[a][b] = gpuToGpu(a, b);
            }
        }
        for (int g = 0; g < gpus; g++) {
            for (int n = 0; n < nics; n++) {
                gpuNet[g][n] = gpuToNet(g, n);
                netGpu[n][g] = netToGpu(n, g);
            }
        }
    }

    private int firstGpuOnSwitch(int sw) {
        for (int g = 0; g < gpus; g++) {
            if (gpuSwitch[g] == sw) {
                return g;
            }
        }
        return -1;
    }

    // Link indices: four per GPU, four per NIC, then the GPU pairs of a switchless NVLink mesh.
    int gpuUp(int g) {
        return g;
    }

    int gpuDown(int g) {
        return gpus + g;
    }

    int nvsUp(int g) {
        return 2 * gpus + g;
    }

    int nvsDown(int g) {
        return 3 * gpus + g;
    }

    private int nicUp(int n) {
        return 4 * gpus + n;
    }

    private int nicDown(int n) {
        return 4 * gpus + nics + n;
    }

    private int netOut(int n) {
        return 4 * gpus + 2 * nics + n;
    }

    private int netIn(int n) {
        return 4 * gpus + 3 * nics + n;
    }

    private int pair(int a, int b) {
        return 4 * gpus + 4 * nics + a * gpus + b;
    }

    /** @return true when GPUs talk over NVLink (through the NVSwitch or a direct mesh) */
    boolean nvlinkConnected() {
        return gpus > 1 && nvlinkGBps > 0;
    }

    /** @return the bandwidth of one GPU's link to one peer in a switchless mesh */
    private float pairGBps() {
        return nvlinkGBps / (gpus - 1);
    }

    private float[] initialLinks() {
        float[] links = new float[4 * gpus + 4 * nics + gpus * gpus];
        for (int g = 0; g < gpus; g++) {
            links[gpuUp(g)] = pcieGBps;
            links[gpuDown(g)] = pcieGBps;
            links[nvsUp(g)] = nvSwitch ? nvlinkGBps : 0;
            links[nvsDown(g)] = nvSwitch ? nvlinkGBps : 0;
            for (int h = 0; h < gpus; h++) {
                links[pair(g, h)] = !nvSwitch && nvlinkConnected() && g != h ? pairGBps() : 0;
            }
        }
        for (int n = 0; n < nics; n++) {
            links[nicUp(n)] = pcieGBps;
            links[nicDown(n)] = pcieGBps;
            links[netOut(n)] = nicGBps;
            links[netIn(n)] = nicGBps;
        }
        return links;
    }

    private static Path path(PathType type, float bw, int[] links, boolean... pci) {
        return new Path(type, bw, links, pci);
    }

    private Path gpuToGpu(int a, int b) {
        if (a == b) {
            return path(PathType.LOC, LOC_BW, new int[0]);
        }
        if (nvSwitch) {
            return path(PathType.NVL, nvlinkGBps, new int[] {nvsUp(a), nvsDown(b)}, false, false);
        }
        if (nvlinkConnected()) {
            return path(PathType.NVL, pairGBps(), new int[] {pair(a, b)}, false);
        }
        PathType type = gpuSwitch[a] == gpuSwitch[b] ? PathType.PIX : PathType.PHB;
        return path(type, pcieGBps, new int[] {gpuUp(a), gpuDown(b)}, true, true);
    }

    private Path gpuToNet(int g, int n) {
        float bw = Math.min(pcieGBps, nicGBps);
        int local = nicLocalGpu[n];
        if (gpuSwitch[g] == nicSwitch[n]) {
            return path(PathType.PIX, bw, new int[] {gpuUp(g), nicUp(n), netOut(n)}, true, true, false);
        }
        if (local >= 0 && nvlinkConnected()) {
            Path hop = gpuToGpu(g, local);
            int[] links = Arrays.copyOf(hop.links(), hop.links().length + 3);
            boolean[] pci = Arrays.copyOf(hop.pci(), links.length);
            links[links.length - 3] = gpuUp(local);
            links[links.length - 2] = nicUp(n);
            links[links.length - 1] = netOut(n);
            pci[links.length - 3] = true;
            pci[links.length - 2] = true;
            return new Path(PathType.PXN, Math.min(hop.bw(), bw), links, pci);
        }
        return path(PathType.PHB, bw, new int[] {gpuUp(g), nicUp(n), netOut(n)}, true, true, false);
    }

    private Path netToGpu(int n, int g) {
        PathType type = gpuSwitch[g] == nicSwitch[n] ? PathType.PIX : PathType.PHB;
        return path(type, Math.min(pcieGBps, nicGBps), new int[] {netIn(n), nicDown(n), gpuDown(g)}, false, true,
                true);
    }

    /** @return a fresh budget: every link at full bandwidth, every NIC's {@code net.bw} at its speed */
    Budget fullBudget() {
        float[] net = new float[nics];
        Arrays.fill(net, nicGBps);
        return new Budget(initialLinks.clone(), net);
    }

    /**
     * The NICs to try, {@code ncclTopoSelectNets} (src/graph/search.cc:541-589) for one host: first the
     * preferred (local) NICs of each GPU in GPU order, then every other NIC whose path type from one of those
     * GPUs is at most {@code typeInter}, by type then GPU then NIC index.
     *
     * @param gpu -1 for all GPUs (the start of a channel), or the GPU going back to the network
     */
    int[] selectNets(PathType typeInter, int gpu) {
        List<Integer> nets = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
            if (gpu != -1 && gpu != g) {
                continue;
            }
            for (int n = 0; n < nics; n++) {
                if (nicSwitch[n] == gpuSwitch[g] && !nets.contains(n)) {
                    nets.add(n);
                }
            }
        }
        for (int t = 0; t <= typeInter.id(); t++) {
            for (int g = 0; g < gpus; g++) {
                for (int n = 0; n < nics; n++) {
                    if ((gpu == -1 || gpu == g) && gpuNet[g][n].type().id() == t && !nets.contains(n)) {
                        nets.add(n);
                    }
                }
            }
        }
        return nets.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the GPUs closest to NIC {@code n} ({@code ncclTopoGetLocal(NET, n, GPU)}), by index */
    int[] localGpus(int n) {
        int best = PathType.DIS.id();
        for (int g = 0; g < gpus; g++) {
            best = Math.min(best, netGpu[n][g].type().id());
        }
        int finalBest = best;
        return IntStream.range(0, gpus).filter(g -> netGpu[n][g].type().id() == finalBest).toArray();
    }

    /**
     * {@code system->maxBw} (src/graph/search.cc:18-54): the best GPU-to-NIC path bandwidth across nodes, the
     * best GPU-to-GPU one inside a node, {@code LOC_BW} for a lone GPU.
     */
    float maxBw() {
        float max = 0;
        if (inter) {
            for (Path[] row : gpuNet) {
                for (Path p : row) {
                    max = Math.max(max, p.bw());
                }
            }
            return max;
        }
        if (gpus == 1) {
            return LOC_BW;
        }
        for (int a = 0; a < gpus; a++) {
            for (int b = 0; b < gpus; b++) {
                max = a == b ? max : Math.max(max, gpuGpu[a][b].bw());
            }
        }
        return max;
    }

    /** {@code system->totalBw} (search.cc:30-54): max of a GPU's PCIe link and the sum of its NVLinks. */
    float totalBw() {
        if (!inter && gpus == 1) {
            return LOC_BW;
        }
        return Math.max(pcieGBps, nvlinkGBps > 0 && (nvSwitch || gpus > 1) ? nvlinkGBps : 0);
    }

    /**
     * Charges {@code bw} on every link of {@code path}, as {@code followPath} (src/graph/search.cc:79-123):
     * fails if a link has less left, and rounds what remains to 1/1000 ({@code SUB_ROUND}).
     *
     * @return false if a link had too little bandwidth (the budget is then partly charged: discard it)
     */
    boolean follow(Budget budget, Path path, float bw, boolean fromGpu) {
        float pciBw = path.type() == PathType.PHB && fromGpu && cpu == CpuVendor.INTEL ? bw * 6 / 5 : bw;
        int[] links = path.links();
        for (int i = 0; i < links.length; i++) {
            float fw = path.pci()[i] ? pciBw : bw;
            if (!budget.take(links[i], fw)) {
                return false;
            }
        }
        return true;
    }

    /** The mutable bandwidth left during one search: per link, and each NIC's {@code net.bw}. */
    static final class Budget {
        private final float[] links;
        final float[] net;

        Budget(float[] links, float[] net) {
            this.links = links;
            this.net = net;
        }

        Budget copy() {
            return new Budget(links.clone(), net.clone());
        }

        /** {@code SUB_ROUND(a, b)}: {@code a = roundf((a - b) * 1000) / 1000}, search.cc:79. */
        boolean take(int link, float bw) {
            if (links[link] < bw) {
                return false;
            }
            links[link] = Math.round((links[link] - bw) * 1000) / 1000.0f;
            return true;
        }
    }
}

package io.collemu.collectives.nccl;

import static io.collemu.collectives.nccl.NcclAlgorithm.COLLNET_CHAIN;
import static io.collemu.collectives.nccl.NcclAlgorithm.COLLNET_DIRECT;
import static io.collemu.collectives.nccl.NcclAlgorithm.NVLS;
import static io.collemu.collectives.nccl.NcclAlgorithm.NVLS_TREE;
import static io.collemu.collectives.nccl.NcclAlgorithm.PAT;
import static io.collemu.collectives.nccl.NcclAlgorithm.RING;
import static io.collemu.collectives.nccl.NcclAlgorithm.TREE;
import static io.collemu.collectives.nccl.NcclFunction.ALL_REDUCE;
import static io.collemu.collectives.nccl.NcclFunction.BROADCAST;
import static io.collemu.collectives.nccl.NcclFunction.REDUCE;
import static io.collemu.collectives.nccl.NcclProtocol.LL;
import static io.collemu.collectives.nccl.NcclProtocol.LL128;
import static io.collemu.collectives.nccl.NcclProtocol.SIMPLE;
import static io.collemu.collectives.nccl.NcclTables.HW_NET;
import static io.collemu.collectives.nccl.NcclTables.HW_NVLINK;
import static io.collemu.collectives.nccl.NcclTables.HW_PCI;

import io.collemu.collectives.CollectiveKind;
import java.util.Objects;
import java.util.Optional;

/**
 * NCCL's own time model and its (algorithm, protocol, channels, threads) choice for one communicator, as
 * NVIDIA/nccl v2.30.7-1 computes them:
 * <pre>
 *   NcclSystem --ncclTopoTuneModel (tuning.cc:243-616)--> bandwidth / latency per (function, algo, proto)
 *        nBytes --ncclTopoGetAlgoTime (tuning.cc:630-655)--> time = lat + nBytes / (1000 * bw)   [us]
 *                 --updateCollCostTable + topoGetAlgoInfo (enqueue.cc:1989-2117)--> strict minimum,
 *                   channel and thread reduction --scheduleCollTasksToPlan (enqueue.cc:576-760)--> channels used
 * </pre>
 * Arithmetic follows NCCL's types: the model's bandwidths, latencies and times are {@code float}, the
 * tuner constants {@code double}, so results agree with NCCL's prints to float precision.
 *
 * <p>Fixed assumptions, all NCCL defaults: no NCCL_ALGO / NCCL_PROTO / NCCL_NTHREADS / NCCL_THREAD_THRESHOLDS
 * overrides, no tuner plugin, one collective per launch ({@code numPipeOps} 1), a sum reduction on a datatype
 * NVLS supports (not fp8, not PreMulSum), CUDA 12 (the CUDA 11.8 LL128 exception does not apply), an x86 or
 * Arm host (not IBM Power), and no CollNet.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class NcclTuner {

    private static final int NF = NcclFunction.values().length;
    private static final int NA = NcclAlgorithm.values().length;
    private static final int NP = NcclProtocol.values().length;

    private final NcclSystem sys;
    private final float[][][] algBw = new float[NF][NA][NP];
    private final float[][][] busBw = new float[NF][NA][NP];
    private final float[][][] lat = new float[NF][NA][NP];
    private final int[][] maxThreads = new int[NA][NP];
    private final long[][] threadThresholds = new long[NA][NP];

    /** Runs the tuning model over {@code system}. */
    public NcclTuner(NcclSystem system) {
        this.sys = Objects.requireNonNull(system, "system");
        setMaxThreads();
        if (sys.nRanks() <= 1) {
            return; // tuning.cc:261: no model for a single rank; thresholds stay 0
        }
        for (NcclFunction f : NcclFunction.values()) {
            for (NcclAlgorithm a : NcclAlgorithm.values()) {
                for (NcclProtocol p : NcclProtocol.values()) {
                    if (modelled(f, a, p)) {
                        tuneBandwidth(f, a, p);
                        tuneLatency(f, a, p);
                    }
                }
            }
        }
        applyEnableRules();
        setThreadThresholds();
    }

    /** @return the system this tuner models */
    public NcclSystem system() {
        return sys;
    }

    /** The graph each algorithm is tuned on (src/init.cc:980-981); CollNet graphs are not modelled. */
    private NcclGraph graph(NcclAlgorithm a) {
        return switch (a) {
            case TREE, PAT -> sys.tree();
            case RING -> sys.ring();
            case NVLS, NVLS_TREE -> sys.nvls();
            case COLLNET_DIRECT, COLLNET_CHAIN -> NcclGraph.empty(NcclGraph.PATTERN_COLLNET_DIRECT);
        };
    }

    /** Thread counts set at the top of ncclTopoTuneModel: src/graph/tuning.cc:244-257. */
    private void setMaxThreads() {
        NcclGraph ring = sys.ring();
        maxThreads[RING.id()][SIMPLE.id()] = (float) ring.bwIntra() * ring.nChannels() <= NcclTables.PCI_BW
                ? 256 : NcclTables.SIMPLE_MAX_NTHREADS;
        maxThreads[TREE.id()][SIMPLE.id()] = NcclTables.SIMPLE_MAX_NTHREADS;
        for (NcclAlgorithm a : new NcclAlgorithm[] {COLLNET_DIRECT, COLLNET_CHAIN, NVLS, NVLS_TREE}) {
            maxThreads[a.id()][SIMPLE.id()] = NcclTables.MAX_NTHREADS;
        }
        maxThreads[RING.id()][LL.id()] = maxThreads[TREE.id()][LL.id()] = NcclTables.LL_MAX_NTHREADS;
        maxThreads[RING.id()][LL128.id()] = maxThreads[TREE.id()][LL128.id()] = NcclTables.LL128_MAX_NTHREADS;
    }

    /** Thread thresholds: src/graph/tuning.cc:587-596 (NCCL_THREAD_THRESHOLDS unset). */
    private void setThreadThresholds() {
        for (NcclAlgorithm a : NcclAlgorithm.values()) {
            threadThresholds[a.id()][LL.id()] = NcclTables.LL_THREAD_THRESHOLD;
            threadThresholds[a.id()][LL128.id()] = NcclTables.LL_THREAD_THRESHOLD;
            threadThresholds[a.id()][SIMPLE.id()] = NcclTables.SIMPLE_THREAD_THRESHOLD;
        }
        threadThresholds[RING.id()][LL.id()] *= sys.nRanks();
        threadThresholds[COLLNET_DIRECT.id()][SIMPLE.id()] = 512;
        threadThresholds[COLLNET_CHAIN.id()][SIMPLE.id()] = 512;
    }

    /**
     * Which (function, algorithm, protocol) the model loop computes at all (the {@code continue}s of
     * tuning.cc:293-310): Broadcast and Reduce only Ring; AllGather and ReduceScatter only PAT, Ring, NVLS,
     * CollNetDirect; AllReduce all but PAT; NVLS and NVLSTree Simple only, with an NVLS graph of 2+ channels;
     * PAT only Simple and only when {@code ncclPatEnable} (tuning.cc:215-223: 1 GPU per node).
     */
    private boolean modelled(NcclFunction f, NcclAlgorithm a, NcclProtocol p) {
        if ((f == BROADCAST || f == REDUCE) && a != RING) {
            return false;
        }
        if (f.isGatherOrScatter() && a != PAT && a != RING && a != NVLS && a != COLLNET_DIRECT) {
            return false;
        }
        if (f == ALL_REDUCE && a == PAT) {
            return false;
        }
        if (a.isNvls() && p != SIMPLE) {
            return false;
        }
        if (f.isGatherOrScatter() && a == PAT && (p != SIMPLE || !patEnabled())) {
            return false;
        }
        return !a.isNvls() || graph(a).nChannels() >= 2;
    }

    /** {@code ncclPatEnable} with NCCL_PAT_ENABLE=2 (auto): SM60+, 1 GPU per node, host networking. */
    private boolean patEnabled() {
        return sys.compCap() >= 60 && sys.nNodes() == sys.nRanks();
    }

    /**
     * NCCL's NVLS efficiency for this GPU, {@code nvlsEfficiency[compCapIndex]} (v2.30.7-1, src/graph/tuning.cc:139-144:
     * 0.85 on SM90, 0.74 on SM100): the share of the NVLink bandwidth NVLS traffic gets through the NVSwitch.
     */
    public double nvlsEfficiency() {
        return NcclTables.NVLS_EFFICIENCY[cci()];
    }

    private int cci() {
        return NcclTables.compCapIndex(sys.compCap());
    }

    private int scale() {
        return NcclTables.scaleIndex(sys.nNodes());
    }

    /** {@code llMaxBw}: per GPU on one node, per CPU vendor across nodes (tuning.cc:268-272). */
    private double llMaxBw() {
        int row = sys.nNodes() == 1 ? cci() : sys.cpuVendor() == CpuVendor.AMD ? 1 : 0;
        return NcclTables.LL_MAX_BWS[row][scale()];
    }

    /** Bus bandwidth, its refinements and the bus-to-algorithm ratio: src/graph/tuning.cc:300-382. */
    private void tuneBandwidth(NcclFunction f, NcclAlgorithm a, NcclProtocol p) {
        NcclGraph g = graph(a);
        int nc = g.nChannels();
        int nRanks = sys.nRanks();
        int nNodes = sys.nNodes();
        float bwIntra = (float) g.bwIntra();
        float bwInter = (float) g.bwInter();
        float bw = nNodes <= 2 || a.isCollNet() ? bwIntra : bwInter;
        if (a.isNvls()) {
            bw = nvlsBandwidth(f, a, g);
        }
        float bus = nc * bw;
        if (a == RING && p == LL) {
            bus = (float) Math.min(llMaxBw(), bus * .5);
        }
        if (a == RING && p == LL128) {
            bus = (float) Math.min(bus * 0.92, nc * NcclTables.PER_CH_MAX_RING_LL128_BWS[cci()][scale()]);
        }
        if (a == TREE && f == ALL_REDUCE) {
            bus = (float) Math.min(bus * .92, nc * NcclTables.PER_CH_MAX_TREE_BWS[cci()][scale()]);
        }
        if (a == TREE && p == LL) {
            bus = (float) Math.min(bus * 1.0 / 3.8, llMaxBw());
        }
        if (a == TREE && p == LL128) {
            bus = (float) Math.min(bus * (nNodes == 1 ? 7.0 / 9.0 : 120.0 / 128.0),
                    nc * NcclTables.PER_CH_MAX_TREE_LL128_BWS[cci()][scale()]);
        }
        if (a == TREE && sys.tree().pattern() == NcclGraph.PATTERN_TREE) {
            bus *= .85; // comm->maxTreePattern == NCCL_TOPO_PATTERN_TREE
        }
        if (a == PAT) {
            bus *= .75;
        }
        if (a.isCollNet() || (a == NVLS && p == SIMPLE && f.isGatherOrScatter() && nNodes > 1)) {
            bus = 0; // CollNet is not modelled; NVLS AG/RS across nodes needs it (tuning.cc:353-374)
        }
        busBw[f.id()][a.id()][p.id()] = bus;
        if (!(a != RING && f.isGatherOrScatter())) {
            float ratio = 1.0f;
            if (a == RING || a.isNvls()) {
                ratio *= (1.0 * nRanks) / f.modelSteps(nRanks);
            } else {
                ratio *= .5;
            }
            bus *= ratio;
        }
        algBw[f.id()][a.id()][p.id()] = bus;
    }

    /** NVLS per-channel bandwidth: src/graph/tuning.cc:307-323. */
    private float nvlsBandwidth(NcclFunction f, NcclAlgorithm a, NcclGraph g) {
        int nc = g.nChannels();
        float ppn = (float) sys.nRanks() / sys.nNodes();
        float intraBw = (float) g.bwIntra() * NcclTables.NVLS_EFFICIENCY[cci()] * (nc - 1) / nc;
        if (f == ALL_REDUCE) {
            intraBw *= 2.0f;
        } else {
            intraBw *= (ppn - 1) / ppn;
        }
        float interBw = (float) g.bwInter() * ((sys.nNodes() <= 2 && a == NVLS_TREE) ? 2 : 1);
        float cap = a == NVLS_TREE ? (float) NcclTables.PER_CH_MAX_NVLS_TREE_BWS[cci()][scale()] : Float.MAX_VALUE;
        return Math.min(Math.min(intraBw, interBw), cap);
    }

    /**
     * NCCL's latency of (f, a, p) taken apart as the emulator replays it: the base latency once per collective,
     * and the latency of one step to a peer in the same node ({@code intraUs}) and in another node
     * ({@code interUs}), with the ring's network overhead rule (intra at least the post overhead, x3 for Simple,
     * tuning.cc:404-410) and, at {@code nBytes}, the ring Simple plateau factor of {@link #timeUs}. For
     * broadcast and reduce rings every step costs the same (tuning.cc:396-401). The sum over a collective's steps
     * is {@link #latencyUs}: {@code base + (nsteps - nInterSteps) * intra + nInterSteps * inter} for rings,
     * {@code base + 2 * ((ppn - 1) * intra + log2(nNodes) * inter)} for the tree.
     */
    public LatencyParts latencyParts(NcclFunction f, NcclAlgorithm a, NcclProtocol p, long nBytes) {
        NcclGraph g = graph(a);
        int nRanks = sys.nRanks();
        int nNodes = sys.nNodes();
        float ppn = (float) nRanks / nNodes;
        int intraHw = g.typeIntra() == PathType.NVL ? HW_NVLINK : HW_PCI;
        int hw = nNodes == 1 ? intraHw : HW_NET;
        double[][][] hwLat = NcclTables.HW_LATENCIES_US;
        double base = NcclTables.BASE_LATENCIES_US[a.id()][p.id()];
        double intra = hwLat[intraHw][a.id()][p.id()];
        double inter = (ppn == 1 ? hwLat[HW_NET][TREE.id()][p.id()] : hwLat[HW_NET][a.id()][p.id()])
                + g.latencyInter() * (p == SIMPLE ? 2 : 1);
        if (a == RING && (f == REDUCE || f == BROADCAST)) {
            double hwRing = hwLat[hw][RING.id()][p.id()];
            double step = g.sameChannels() ? 0 : p == SIMPLE ? hwLat[hw][TREE.id()][p.id()] : hwRing;
            return new LatencyParts(base + (g.sameChannels() ? hwRing : 0), step, step);
        }
        if (a == RING) {
            double overhead = nNodes > 1 ? netOverheadUs() * (p == SIMPLE ? 3 : 1) : 0;
            intra = Math.max(intra, overhead);
            if (p == SIMPLE && nNodes > 1 && f == ALL_REDUCE
                    && nBytes / ((long) sys.commChannels() * nRanks) >= 64) {
                double plateau = sys.compCap() < 80 ? 1.9 : 1.4;
                return new LatencyParts(base * plateau, intra * plateau, inter * plateau);
            }
        }
        return new LatencyParts(base, intra, inter);
    }

    /** The parts of a latency: once per collective, per intra-node step, per inter-node step, microseconds. */
    public record LatencyParts(double baseUs, double intraUs, double interUs) {
    }

    /**
     * The algorithm bandwidth {@link #timeUs} divides {@code nBytes} by: {@link #bandwidthGBps} with the tree
     * correction factor at that size where it applies; 0 when (f, a, p) is not enabled.
     */
    public double effectiveBandwidthGBps(NcclFunction f, NcclAlgorithm a, NcclProtocol p, long nBytes) {
        if (!enabled(f, a, p)) {
            return 0;
        }
        double bw = algBw[f.id()][a.id()][p.id()];
        int logSize = NcclTables.log2i(nBytes >> 6);
        boolean treeFactor = (a == TREE && f == ALL_REDUCE && logSize >= 0 && logSize < 23)
                || (a == NVLS_TREE && f == ALL_REDUCE && logSize >= 0 && logSize < 24 && sys.compCap() >= 100
                        && sys.cpuVendor().isX86());
        return treeFactor ? bw * NcclTables.TREE_CORRECTION_FACTOR[p.id()][logSize] : bw;
    }

    /**
     * {@link #choose} restricted to the (algorithm, protocol) pairs {@code allowed} accepts, as NCCL_ALGO and
     * NCCL_PROTO restrict it: the strict minimum among the allowed eligible entries, then NCCL's channel and
     * thread counts for it.
     *
     * @throws IllegalStateException when no allowed pair is eligible
     */
    public NcclChoice choose(NcclFunction f, long nBytes,
            java.util.function.BiPredicate<NcclAlgorithm, NcclProtocol> allowed) {
        double[][] table = costTableUs(f, nBytes);
        float minTime = Float.MAX_VALUE;
        NcclAlgorithm best = null;
        NcclProtocol bestProto = null;
        for (NcclAlgorithm a : NcclAlgorithm.values()) {
            for (NcclProtocol p : NcclProtocol.values()) {
                float t = (float) table[a.id()][p.id()];
                if (t >= 0.0f && t < minTime && allowed.test(a, p)) {
                    best = a;
                    bestProto = p;
                    minTime = t;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("No algorithm/protocol available for function " + f.cliName());
        }
        int[] ncNt = channelsAndThreads(best, bestProto, nBytes);
        return new NcclChoice(best, bestProto, channelsUsed(f, best, bestProto, nBytes, ncNt[0]), ncNt[1], minTime,
                table);
    }

    /** Network post overhead, {@code getNetOverhead} (tuning.cc:225-233): 2 us on AMD x86, 1 us otherwise. */
    private float netOverheadUs() {
        return sys.cpuVendor() == CpuVendor.AMD ? 2.0f : 1.0f;
    }

    /** Latencies: src/graph/tuning.cc:383-435. */
    private void tuneLatency(NcclFunction f, NcclAlgorithm a, NcclProtocol p) {
        NcclGraph g = graph(a);
        int nRanks = sys.nRanks();
        int nNodes = sys.nNodes();
        float ppn = (float) nRanks / nNodes;
        int intraHw = g.typeIntra() == PathType.NVL ? HW_NVLINK : HW_PCI;
        int hw = nNodes == 1 ? intraHw : HW_NET;
        double[][][] hwLat = NcclTables.HW_LATENCIES_US;
        float l = (float) NcclTables.BASE_LATENCIES_US[a.id()][p.id()];
        float intraLat = (float) hwLat[intraHw][a.id()][p.id()];
        float interLat = ppn == 1 ? (float) hwLat[HW_NET][TREE.id()][p.id()] : (float) hwLat[HW_NET][a.id()][p.id()];
        interLat += (float) g.latencyInter();
        if (p == SIMPLE) {
            interLat += (float) g.latencyInter(); // "flush extra latency"
        }
        int localRanks = nRanks / nNodes;
        int log2Nodes = NcclTables.log2i(nNodes);
        switch (a) {
            case RING -> l = ringLatency(f, p, g, l, intraLat, interLat, hw);
            case TREE -> l += f == ALL_REDUCE ? 2 * ((localRanks - 1) * intraLat + log2Nodes * interLat) : 0;
            case COLLNET_DIRECT -> l += 2 * (Math.min(1, localRanks - 1) * intraLat + (localRanks - 1) * 0.4)
                    + interLat;
            case COLLNET_CHAIN -> l += 2 * (localRanks - 1) * intraLat + interLat;
            case NVLS -> l = nNodes > 1 ? intraLat + interLat : intraLat;
            case NVLS_TREE -> l += intraLat + 2 * log2Nodes * interLat;
            case PAT -> l += f.isGatherOrScatter() ? log2Nodes * (interLat / 3.5) + nRanks * 2.8 : 0;
        }
        lat[f.id()][a.id()][p.id()] = l;
    }

    private float ringLatency(NcclFunction f, NcclProtocol p, NcclGraph g, float base, float intraLat,
                              float interLat, int hw) {
        int nRanks = sys.nRanks();
        int nNodes = sys.nNodes();
        int nsteps = f.modelSteps(nRanks);
        float l = base;
        float hwRing = (float) NcclTables.HW_LATENCIES_US[hw][RING.id()][p.id()];
        if (f == REDUCE || f == BROADCAST) {
            if (g.sameChannels()) {
                l += hwRing;
            } else {
                float step = p == SIMPLE ? (float) NcclTables.HW_LATENCIES_US[hw][TREE.id()][p.id()] : hwRing;
                l += nsteps * step; // "some chunk latency, waiting for proper chunk modeling"
            }
            return l;
        }
        float netOverhead = 0.0f;
        if (nNodes > 1) {
            netOverhead = netOverheadUs();
            if (p == SIMPLE) {
                netOverhead *= 3;
            }
        }
        float intra = Math.max(intraLat, netOverhead);
        int nInterSteps = nNodes == 1 ? 0 : f == ALL_REDUCE ? 2 * (nNodes - 1) : nNodes - 1;
        l += (nsteps - nInterSteps) * intra + nInterSteps * interLat;
        return l;
    }

    /**
     * The enable rules of tuning.cc:498-541 with default settings: NVLSTree off on one node; CollNet off;
     * NVLS off across nodes (it needs CollNet); LL128 on only when the graph's network path is at most PXN
     * (SM90+) or PXB (older) and its NVLink path at most NVB. A disabled entry gets bandwidth 0.
     */
    private void applyEnableRules() {
        for (NcclFunction f : NcclFunction.values()) {
            for (NcclAlgorithm a : NcclAlgorithm.values()) {
                boolean algoOff = (sys.nNodes() == 1 && a == NVLS_TREE) || a.isCollNet()
                        || (a == NVLS && sys.nNodes() > 1);
                for (NcclProtocol p : NcclProtocol.values()) {
                    if (algoOff || (p == LL128 && !ll128Enabled(graph(a)))) {
                        algBw[f.id()][a.id()][p.id()] = 0;
                        busBw[f.id()][a.id()][p.id()] = 0;
                    }
                }
            }
        }
    }

    /** LL128 "auto" (NCCL_PROTO unset, NCCL_LL128_C2C 1): src/graph/tuning.cc:518-536. */
    private boolean ll128Enabled(NcclGraph g) {
        int cc = sys.compCap();
        boolean net = cc >= 90 ? g.typeInter().atMost(PathType.PXN) : g.typeInter().atMost(PathType.PXB);
        return net && g.typeIntra().atMost(PathType.NVB) && cc >= 70;
    }

    /**
     * The algorithm bandwidth the model stores for (f, a, p) ({@code comm->bandwidths}, tuning.cc:383): the
     * bus bandwidth times {@code nRanks / nsteps} (Ring, NVLS, NVLSTree) or 0.5 (others), except for
     * non-ring all-gather / reduce-scatter which keep the bus value. 0 when disabled or not modelled.
     *
     * @return GB/s (1e9 B/s), so {@code nBytes / (1000 * bw)} is in microseconds
     */
    public double bandwidthGBps(NcclFunction f, NcclAlgorithm a, NcclProtocol p) {
        return algBw[f.id()][a.id()][p.id()];
    }

    /** @return the model's bus bandwidth for (f, a, p) before the bus-to-algorithm ratio, GB/s; 0 when disabled */
    public double busBandwidthGBps(NcclFunction f, NcclAlgorithm a, NcclProtocol p) {
        return busBw[f.id()][a.id()][p.id()];
    }

    /**
     * @return the model's latency for (f, a, p) in us ({@code comm->latencies}), before the ring plateau
     *         factor of {@link #timeUs}; 0 when not modelled
     */
    public double latencyUs(NcclFunction f, NcclAlgorithm a, NcclProtocol p) {
        return lat[f.id()][a.id()][p.id()];
    }

    /** @return the most threads per channel NCCL gives (a, p) ({@code comm->maxThreads}, tuning.cc:244-257) */
    int maxThreads(NcclAlgorithm a, NcclProtocol p) {
        return maxThreads[a.id()][p.id()];
    }

    /** @return {@code comm->threadThresholds[a][p]}, bytes per thread before adding channels or threads */
    long threadThreshold(NcclAlgorithm a, NcclProtocol p) {
        return threadThresholds[a.id()][p.id()];
    }

    /**
     * Whether (f, a, p) takes part in the selection at all: the model computed it with a non-zero bandwidth
     * and {@code updateCollCostTable} (enqueue.cc:1989-2026) does not filter it out (NVLS and NVLSTree need
     * {@code nvlsSupport}, and at most 32 local ranks unless all-reduce; NVLS across nodes needs CollNet;
     * CollNet needs CollNet). A single rank only ever runs Ring/Simple.
     */
    public boolean enabled(NcclFunction f, NcclAlgorithm a, NcclProtocol p) {
        if (sys.nRanks() == 1) {
            return a == RING && p == SIMPLE;
        }
        if (a.isCollNet() && !sys.collNetSupport()) {
            return false;
        }
        if (a.isNvls() && (!sys.nvlsSupport() || (f != ALL_REDUCE && sys.localRanks() > NcclTables.MAX_NVLS_ARITY))) {
            return false;
        }
        if (a == NVLS && !sys.collNetSupport() && sys.nNodes() > 1) {
            return false;
        }
        return algBw[f.id()][a.id()][p.id()] != 0;
    }

    /**
     * {@code ncclTopoGetAlgoTime} (src/graph/tuning.cc:630-655) for one collective of NCCL's {@code nBytes}:
     * {@code lat + nBytes / (1000 * bw)} in microseconds, with the tree correction factor by size
     * (Tree all-reduce; NVLSTree all-reduce on SM100 x86), and the ring plateau (Ring/Simple all-reduce on
     * several nodes with {@code nBytes / (commChannels * nRanks) >= 64}: latency x1.4 on SM80+, x1.9 before).
     *
     * @param nBytes NCCL's byte count (see {@link NcclFunction#ncclBytes}), at least 0
     * @return the time in us, 0 for a single rank's Ring/Simple, -1 when (f, a, p) is not {@link #enabled}
     */
    public double timeUs(NcclFunction f, NcclAlgorithm a, NcclProtocol p, long nBytes) {
        if (nBytes < 0) {
            throw new IllegalArgumentException("nBytes must be >= 0, got " + nBytes);
        }
        if (!enabled(f, a, p)) {
            return -1;
        }
        if (sys.nRanks() == 1) {
            return 0;
        }
        float bw = algBw[f.id()][a.id()][p.id()];
        float l = lat[f.id()][a.id()][p.id()];
        int logSize = NcclTables.log2i(nBytes >> 6);
        if (a == TREE && f == ALL_REDUCE && logSize >= 0 && logSize < 23) {
            bw *= NcclTables.TREE_CORRECTION_FACTOR[p.id()][logSize];
        }
        if (a == NVLS_TREE && f == ALL_REDUCE && logSize >= 0 && logSize < 24 && sys.compCap() >= 100
                && sys.cpuVendor().isX86()) {
            bw *= NcclTables.TREE_CORRECTION_FACTOR[p.id()][logSize];
        }
        if (a == RING && p == SIMPLE && sys.nNodes() > 1 && f == ALL_REDUCE
                && nBytes / ((long) sys.commChannels() * sys.nRanks()) >= 64) {
            l *= sys.compCap() < 80 ? 1.9 : 1.4; // "Plateau effect of ring"
        }
        int latCount = 1; // numPipeOps = 1 for one collective; DIVUP(1, NCCL_MAX_DEV_WORK_BATCH_COLLS) = 1
        float time = l * latCount + (float) nBytes / (1000 * bw);
        return time;
    }

    /**
     * The cost table NCCL's selection scans ({@code collCostTable}, enqueue.cc:1989-2026): {@link #timeUs}
     * of every (algorithm, protocol), -1 where not eligible.
     *
     * @return a fresh {@code [algorithm id][protocol id]} array
     */
    public double[][] costTableUs(NcclFunction f, long nBytes) {
        double[][] table = new double[NA][NP];
        for (NcclAlgorithm a : NcclAlgorithm.values()) {
            for (NcclProtocol p : NcclProtocol.values()) {
                table[a.id()][p.id()] = timeUs(f, a, p, nBytes);
            }
        }
        return table;
    }

    /**
     * What NCCL runs for one collective of NCCL's {@code nBytes}: the strict minimum of the cost table
     * (ties keep the smaller algorithm id, then the smaller protocol id; enqueue.cc:2033-2044), the channel
     * and thread reduction of {@code topoGetAlgoInfo} (enqueue.cc:2070-2116), and the channels the
     * collective really occupies once {@code scheduleCollTasksToPlan} cuts it into 16-byte-aligned cells
     * (enqueue.cc:576-760; see {@link NcclChoice#channels()}).
     *
     * @param nBytes NCCL's byte count ({@link NcclFunction#ncclBytes}), at least 0
     * @throws IllegalStateException when nothing is eligible (NCCL: "No algorithm/protocol available")
     */
    public NcclChoice choose(NcclFunction f, long nBytes) {
        double[][] table = costTableUs(f, nBytes);
        float minTime = Float.MAX_VALUE;
        NcclAlgorithm best = null;
        NcclProtocol bestProto = null;
        for (NcclAlgorithm a : NcclAlgorithm.values()) {
            for (NcclProtocol p : NcclProtocol.values()) {
                float t = (float) table[a.id()][p.id()];
                if (t >= 0.0f && t < minTime) {
                    best = a;
                    bestProto = p;
                    minTime = t;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("No algorithm/protocol available for function " + f.cliName());
        }
        int[] ncNt = channelsAndThreads(best, bestProto, nBytes);
        int used = channelsUsed(f, best, bestProto, nBytes, ncNt[0]);
        return new NcclChoice(best, bestProto, used, ncNt[1], minTime, table);
    }

    /**
     * {@link #choose} for an nccl-tests row: maps the kind to NCCL's function and the nccl-tests size to NCCL's
     * {@code nBytes} ({@link NcclFunction#ncclBytesOfTestSize}).
     *
     * @param testSizeBytes the nccl-tests "size" column
     * @param elemBytes     the datatype size, 4 for nccl-tests' default float
     * @return empty for all-to-all(v) and send-recv, which NCCL runs point to point
     *         (see {@link #p2pChannelsPerPeer()})
     */
    public Optional<NcclChoice> chooseForTestSize(CollectiveKind kind, long testSizeBytes, int elemBytes) {
        return NcclFunction.of(kind)
                .map(f -> choose(f, f.ncclBytesOfTestSize(testSizeBytes, elemBytes, sys.nRanks())));
    }

    /**
     * {@code topoGetAlgoInfo}'s channel and thread counts for the chosen (a, p) (enqueue.cc:2070-2116):
     * NVLS and NVLSTree take {@code nvlsChannels}; Ring, Tree and PAT drop channels while
     * {@code nBytes < nc * nt * threshold}, then halve threads (multiples of 128 only); Simple adds a sync
     * warp (Ring) or four (Tree); at least 3 warps; Tree and PAT always 640 threads.
     *
     * @return {channels at most (task.nMaxChannels), threads}
     */
    int[] channelsAndThreads(NcclAlgorithm a, NcclProtocol p, long nBytes) {
        int nc = sys.commChannels();
        int nt = maxThreads[a.id()][p.id()];
        long threshold = threadThresholds[a.id()][p.id()];
        if (a.isNvls()) {
            nc = sys.nNodes() > 1 && a == NVLS ? Math.min(sys.nvlsChannels(), sys.commChannels()) : sys.nvlsChannels();
        } else {
            while (nBytes < (long) nc * nt * threshold && nc >= 2) {
                nc--;
            }
        }
        if (!a.isNvls() && a != COLLNET_DIRECT) {
            while (nBytes < (long) nc * nt * threshold && nt % 128 == 0 && nt > 0) {
                nt /= 2;
            }
        }
        if (p == SIMPLE) {
            nt += a == RING ? NcclTables.WARP_SIZE : a == TREE ? 4 * NcclTables.WARP_SIZE : 0;
        }
        nt = nt / NcclTables.WARP_SIZE < 3 ? 3 * NcclTables.WARP_SIZE : nt;
        if (a == TREE || a == PAT) {
            nt = NcclTables.MAX_NTHREADS;
        }
        return new int[] {nc, nt};
    }

    /**
     * How many channels one collective occupies, {@code scheduleCollTasksToPlan} for a plan holding only it
     * (enqueue.cc:576-760): traffic {@code T = countBytes * trafficPerByte * (LL ? 4 : 1)}; per channel
     * {@code roundUp16(max(32 KiB, T) / min(maxChannels, kindChannels))}; cells of
     * {@code roundUp16(ceil(32 KiB / trafficPerByte))} bytes of count handed to consecutive channels, each
     * channel at least one cell. Kind channels: {@code nvlsChannels} for NVLS and NVLSTree, else
     * {@code commChannels}. Counts are taken in bytes (exact for element sizes dividing 16).
     *
     * @param maxChannels {@code task.nMaxChannels} from {@link #channelsAndThreads}
     * @return channels used, 0 for an empty collective
     */
    int channelsUsed(NcclFunction f, NcclAlgorithm a, NcclProtocol p, long nBytes, int maxChannels) {
        long countBytes = f.countBytes(nBytes, sys.nRanks());
        if (countBytes == 0) {
            return 0;
        }
        int kindMax = a.isNvls() ? sys.nvlsChannels() : sys.commChannels();
        long tpb = (long) f.trafficPerByte(sys.nRanks()) * (p == LL ? 4 : 1);
        long minTraffic = NcclTables.MIN_TRAFFIC_PER_CHANNEL_BYTES;
        long trafficBytes = Math.max(minTraffic, countBytes * tpb);
        int nChan = Math.min(maxChannels, kindMax);
        long perChannel = divUp(trafficBytes / nChan, 16) * 16;
        long cellSize = divUp(divUp(minTraffic, tpb), 16) * 16;
        long cells = divUp(countBytes, cellSize);
        long perCell = cellSize * tpb;
        long cellsPerChannel = Math.min(cells, divUp(perChannel, perCell));
        long cellsLo = kindMax == 1 ? cells : Math.min(cells, divUp(perChannel, perCell));
        long nMid = (cells - cellsLo) / cellsPerChannel;
        long cellsHi = (cells - cellsLo) % cellsPerChannel;
        long n = (cellsLo != 0 ? 1 : 0) + nMid + (cellsHi != 0 ? 1 : 0);
        if (kindMax < n) { // overflowed the kind's channels
            nMid = kindMax - 2;
            cellsPerChannel = (cells - cellsLo) / (nMid + 1);
            cellsHi = cellsPerChannel + (cells - cellsLo) % (nMid + 1);
        }
        if (cellsHi == 0 && nMid != 0) {
            cellsHi = cellsPerChannel;
            nMid -= 1;
        }
        return (int) ((cellsLo != 0 ? 1 : 0) + nMid + (cellsHi != 0 ? 1 : 0));
    }

    private static long divUp(long x, long y) {
        return (x + y - 1) / y;
    }

    /** @return {@code comm->p2pnChannels}: {@code pow2Up(min(commChannels, 64))} (src/graph/paths.cc:977-986) */
    public int p2pChannels() {
        return pow2Up(Math.max(1, Math.min(sys.commChannels(), NcclTables.MAX_CHANNELS)));
    }

    /**
     * Channels per peer of NCCL's point-to-point operations (send/recv, and all-to-all, which NCCL expands
     * into nRanks sends and receives, enqueue.cc:3069-3081), {@code ncclTopoComputeP2pChannels}
     * (src/graph/paths.cc:974-1000): {@code pow2Up} of the per-peer minimum; across nodes halved while
     * {@code perPeer * ceil(nRanks / 8) > p2pChannels}, on one node capped at {@code p2pChannels}. No
     * algorithm or protocol choice applies to them.
     */
    public int p2pChannelsPerPeer() {
        int perPeer = pow2Up(sys.p2pPeerChannels());
        int channels = p2pChannels();
        if (sys.nNodes() > 1) {
            int rounds = (sys.nRanks() + 7) / 8; // NCCL_MAX_DEV_WORK_P2P_PER_BATCH (device.h:391)
            while (perPeer * rounds > channels && perPeer > 1) {
                perPeer /= 2;
            }
            return perPeer;
        }
        return Math.min(channels, perPeer);
    }

    private static int pow2Up(int x) {
        int y = 1;
        while (y < x) {
            y <<= 1;
        }
        return y;
    }
}

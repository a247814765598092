package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;
import io.collemu.collectives.algo.Schedules;
import io.collemu.collectives.nccl.CpuVendor;
import io.collemu.collectives.nccl.NcclAlgorithm;
import io.collemu.collectives.nccl.NcclChoice;
import io.collemu.collectives.nccl.NcclFunction;
import io.collemu.collectives.nccl.NcclLayout;
import io.collemu.collectives.nccl.NcclMachine;
import io.collemu.collectives.nccl.NcclProtocol;
import io.collemu.collectives.nccl.NcclSchedules;
import io.collemu.collectives.nccl.NcclSystem;
import io.collemu.collectives.nccl.NcclTuner;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.InstanceTiming;
import io.collemu.node.lp.ModelOptions;
import io.collemu.topology.model.GpuModel;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The nccl fidelity mode's decisions for one fabric: for each collective, what NCCL would run there (its tuning
 * choice of algorithm, protocol and channels, {@link NcclTuner}), NCCL's schedule with its channel layout
 * ({@link NcclSchedules}), and the timing the GPUs apply ({@link InstanceTiming}: the protocol's lines, NCCL's base
 * and per-step latencies, and each channel's GPU-side throughput from NCCL's model).
 *
 * <p>The machine NCCL sees is read off the fabric: servers and their GPUs, each GPU's NIC (its first non-NVLink
 * port) and NVLink (rate x data efficiency, in NCCL's GB/s), whether an NVSwitch joins a server, and the GPU preset
 * (compute capability, PCIe). One tuner per communicator shape (GPUs per node, nodes), cached.
 *
 * <p>Not thread-safe (the cache); one per assembly.
 */
final class NcclPlanner {
    /** nccl-tests' default datatype, float. */
    static final int ELEMENT_BYTES = 4;
    private final Fabric fabric;
    private final Topology topology;
    private final GpuModel gpu;
    private final Fidelity fidelity;
    private final int[] nodeOfGpu;
    private final int[] localOfGpu;
    private final Map<NcclMachine, NcclTuner> tuners = new HashMap<>();

    /**
     * What the planner decided for one collective.
     *
     * @param choice  NCCL's choice (null for point-to-point collectives, which NCCL's model does not cover)
     * @param modelUs  NCCL's predicted time for it, microseconds (0 when not modelled)
     * @param ncclPick what NCCL's model picks among every algorithm it enables, when that is not what runs here (an
     *                 algorithm collemu does not emulate, such as PAT or CollNet): e.g. {@code PAT/Simple 42.00 us};
     *                 "" when they agree or the user forced the choice
     */
    record Plan(Schedule schedule, InstanceTiming timing, NcclChoice choice, String algorithm, String protocol,
            int channels, double modelUs, String ncclPick) {

        Plan(Schedule schedule, InstanceTiming timing, NcclChoice choice, String algorithm, String protocol,
                int channels, double modelUs) {
            this(schedule, timing, choice, algorithm, protocol, channels, modelUs, "");
        }
    }

    NcclPlanner(Fabric fabric, GpuModel gpu, Fidelity fidelity) {
        this.fabric = fabric;
        this.topology = fabric.topology();
        this.gpu = gpu;
        this.fidelity = fidelity;
        int n = topology.gpuCount();
        this.nodeOfGpu = new int[n];
        this.localOfGpu = new int[n];
        Map<Integer, Integer> filled = new HashMap<>();
        for (int g = 0; g < n; g++) {
            int s = topology.serverOfGpu(g);
            int node = s >= 0 ? s : scaleUpOnly(g) ? Integer.MAX_VALUE : -1 - g;
            nodeOfGpu[g] = node;
            localOfGpu[g] = filled.merge(node, 1, Integer::sum) - 1;
        }
    }

    /** A GPU whose every link is NVLink (one NVLink domain, e.g. {@code single-switch:...,link=nvlink4}). */
    private boolean scaleUpOnly(int g) {
        int node = topology.gpuNode(g);
        for (int i = 0; i < topology.portCountOf(node); i++) {
            if (topology.portNearEnd(topology.portOf(node, i)).technology() != LinkTechnology.NVLINK) {
                return false;
            }
        }
        return topology.portCountOf(node) > 0;
    }

    /**
     * NCCL's plan for one collective over the GPUs {@code rankGpus} (rank r on GPU rankGpus[r]).
     *
     * @param algorithm {@code auto} or one NCCL runs for the kind (ring, tree; pxn for all-to-all)
     * @param channels  0 for NCCL's choice, else the channels to use
     * @throws UserError for an algorithm or protocol NCCL does not run for that kind
     */
    Plan plan(CollectiveKind kind, String algorithm, int channels, long sizeBytes, int root, int[] rankGpus,
            long[] matrix, int[] pairs) {
        NcclLayout layout = layout(rankGpus);
        NcclTuner tuner = tuner(layout, rankGpus);
        Optional<NcclFunction> fn = NcclFunction.of(kind);
        if (fn.isEmpty()) {
            return pointToPoint(kind, algorithm, channels, sizeBytes, root, layout, tuner, matrix, pairs);
        }
        NcclChoice choice = choose(fn.get(), kind, algorithm, sizeBytes, tuner, layout);
        int c = channels > 0 ? channels : Math.max(1, choice.channels());
        boolean nvls = choice.algorithm() == NcclAlgorithm.NVLS;
        boolean nvlsTree = choice.algorithm() == NcclAlgorithm.NVLS_TREE;
        String name = choice.algorithm() == NcclAlgorithm.TREE ? NcclSchedules.TREE : NcclSchedules.RING;
        CollectiveRequest request = new CollectiveRequest(kind, name, sizeBytes, layout.ranks(), c, root,
                layout.gpusPerNode(), null, null);
        Schedule schedule = nvls ? NcclSchedules.nvls(request)
                : nvlsTree ? NcclSchedules.nvlsTree(request, layout) : NcclSchedules.of(request, layout);
        long nBytes = fn.get().ncclBytesOfTestSize(sizeBytes, ELEMENT_BYTES, layout.ranks());
        InstanceTiming timing = timing(tuner, fn.get(), choice.algorithm(), choice.protocol(), nBytes, schedule);
        return new Plan(schedule, timing, choice, choice.algorithm().cliName(), choice.protocol().cliName(), c,
                tuner.timeUs(fn.get(), choice.algorithm(), choice.protocol(), nBytes),
                ncclPick(fn.get(), algorithm, nBytes, tuner, choice));
    }

    /**
     * NCCL's own pick over every algorithm it enables here (NVLSTree, PAT and CollNet included), when {@code auto}
     * ran something else because collemu does not emulate that algorithm; "" otherwise.
     */
    private String ncclPick(NcclFunction fn, String algorithm, long nBytes, NcclTuner tuner, NcclChoice ran) {
        if (!algorithm.equalsIgnoreCase(Collectives.AUTO) || !fidelity.protocol().equalsIgnoreCase("auto")) {
            return "";
        }
        NcclChoice own = tuner.choose(fn, nBytes, (a, p) -> true);
        if (own.algorithm() == ran.algorithm() && own.protocol() == ran.protocol()) {
            return "";
        }
        return String.format(Locale.ROOT, "%s/%s %.2f us", own.algorithm().cliName(), own.protocol().cliName(),
                own.predictedUs());
    }

    private NcclChoice choose(NcclFunction fn, CollectiveKind kind, String algorithm, long sizeBytes,
            NcclTuner tuner, NcclLayout layout) {
        NcclAlgorithm only = switch (algorithm.toLowerCase(Locale.ROOT)) {
            case Collectives.AUTO -> null;
            case Collectives.RING -> NcclAlgorithm.RING;
            case Collectives.TREE -> NcclAlgorithm.TREE;
            case NcclSchedules.NVLS -> NcclAlgorithm.NVLS;
            case NcclSchedules.NVLS_TREE -> NcclAlgorithm.NVLS_TREE;
            default -> throw new UserError("--algorithm " + algorithm + ": the nccl mode runs what NCCL runs for "
                    + kind.cliName() + " (auto, ring"
                    + (kind == CollectiveKind.ALL_REDUCE ? ", tree, nvls, nvlstree" : "")
                    + "); use --fidelity ideal for " + algorithm);
        };
        if (only == NcclAlgorithm.NVLS && !nvlsModelled(kind, tuner)) {
            throw new UserError("--algorithm nvls: NCCL runs NVLS " + (kind != CollectiveKind.ALL_REDUCE
                    ? "here only for all-reduce" : fabric.faults().any() ? "but collemu does not model it with faults"
                    : "only on GPUs of one NVSwitch domain (SM90 or later), not on " + tuner.system().nNodes()
                    + " node(s)" + (tuner.system().nvlsSupport() ? "" : " without NVLS support")));
        }
        if (only == NcclAlgorithm.NVLS_TREE && !nvlsTreeModelled(kind, tuner, layout)) {
            throw new UserError("--algorithm nvlstree: NCCL runs NVLSTree " + (kind != CollectiveKind.ALL_REDUCE
                    ? "here only for all-reduce" : fabric.faults().any() ? "but collemu does not model it with faults"
                    : "across servers of the same NVSwitch GPUs (SM90 or later), not on " + tuner.system().nNodes()
                    + " node(s)" + (tuner.system().nvlsSupport() ? "" : " without NVLS support")));
        }
        NcclProtocol proto = fidelity.protocol().equalsIgnoreCase("auto") ? null
                : NcclProtocol.fromName(fidelity.protocol());
        long nBytes = fn.ncclBytesOfTestSize(sizeBytes, ELEMENT_BYTES, tuner.system().nRanks());
        try {
            boolean nvls = nvlsModelled(kind, tuner);
            boolean nvlsTree = nvlsTreeModelled(kind, tuner, layout);
            return tuner.choose(fn, nBytes, (a, p) -> (only == null ? modelled(a, nvls, nvlsTree) : a == only)
                    && (proto == null || p == proto));
        } catch (IllegalStateException e) {
            throw new UserError("--algorithm " + algorithm + " --protocol " + fidelity.protocol() + ": NCCL runs no "
                    + "such combination for " + kind.cliName() + " on " + tuner.system().nNodes() + " node(s)");
        }
    }

    /**
     * The algorithms the emulator has NCCL's schedules for: Ring, Tree, NVLS where {@code nvls} and NVLSTree where
     * {@code nvlsTree} (PAT and CollNet are not modelled).
     */
    private static boolean modelled(NcclAlgorithm a, boolean nvls, boolean nvlsTree) {
        return a == NcclAlgorithm.RING || a == NcclAlgorithm.TREE || (nvls && a == NcclAlgorithm.NVLS)
                || (nvlsTree && a == NcclAlgorithm.NVLS_TREE);
    }

    /**
     * Whether NVLSTree can run here as collemu models it: an all-reduce across servers that each hold the same GPU
     * indices on an NVSwitch with NVLS support (the tuner enables it on several nodes of SM90+), without faults.
     */
    private boolean nvlsTreeModelled(CollectiveKind kind, NcclTuner tuner, NcclLayout layout) {
        return kind == CollectiveKind.ALL_REDUCE && tuner.system().nNodes() > 1 && tuner.system().nvlsSupport()
                && layout.isRegular() && layout.gpusPerNode() > 1 && !fabric.faults().any();
    }

    /**
     * Whether NVLS can run here as collemu models it: an all-reduce on one node whose GPUs share an NVSwitch with
     * NVLS support (NCCL's own rules decide the rest: SM90+, at least 2 GPUs, {@link NcclTuner#enabled}), in a run
     * without faults (the in-switch reduction does not take part in go-back-N retransmission).
     */
    private boolean nvlsModelled(CollectiveKind kind, NcclTuner tuner) {
        return kind == CollectiveKind.ALL_REDUCE && tuner.system().nNodes() == 1 && tuner.system().nvlsSupport()
                && !fabric.faults().any();
    }

    /**
     * The instance's timing: the protocol's lines; NCCL's base latency once; per step (send op) a software
     * latency paid before it sends, in stream order; and per channel the throughput that makes a channel's
     * busiest stream carry its bytes in NCCL's modelled transfer time (its bytes x NCCL's algorithm bandwidth /
     * NCCL's byte count). NCCL's model adds its latency to the transfer time, so the steps pay it serially:
     * <ul>
     *   <li>a ring's chunk crosses {@code nsteps} hops, {@code 2(nNodes-1)} of them between nodes; every rank
     *       runs all {@code nsteps} steps in turn, so each step pays the model's mean per-step latency
     *       {@code (latency - base) / nsteps} (a rank at a node boundary would otherwise pay the network latency
     *       on every step, which NCCL's eight in-flight steps hide);</li>
     *   <li>a tree's data climbs and descends its depth once, so each hop pays its own kind: intra-node on the
     *       chain, inter-node between nodes;</li>
     *   <li>NVLSTree's data climbs and descends the tree over nodes once: base and intra-node latency once, then each
     *       network step its inter-node latency; NVLS on one node pays its one latency once.</li>
     * </ul>
     */
    private static InstanceTiming timing(NcclTuner tuner, NcclFunction fn, NcclAlgorithm a, NcclProtocol p,
            long nBytes, Schedule schedule) {
        NcclTuner.LatencyParts lat = tuner.latencyParts(fn, a, p, nBytes);
        double intraUs = lat.intraUs();
        double interUs = lat.interUs();
        double baseUs = lat.baseUs();
        int[] line = lines(p);
        int[] switchLine = line;
        if (a.isNvls()) {
            // Traffic through the NVSwitch moves at nvlsEfficiency of the NVLink rate, as "lines" of that many data
            // bytes per 100 link bytes (0.85 on SM90: 85/100); NVLSTree's network hops keep Simple's lines
            switchLine = new int[] {(int) Math.round(tuner.nvlsEfficiency() * 100), 100};
            if (a == NcclAlgorithm.NVLS) {
                // one node: NCCL's NVLS latency is one figure (tuning.cc:424-426, intraLat), paid once
                line = switchLine;
                baseUs = tuner.latencyUs(fn, a, p);
                intraUs = 0;
                interUs = 0;
            } else {
                // NVLSTree, tuning.cc:427-428: baseLat + intraLat once, and interLat on each of the 2 log2(nNodes)
                // tree levels its data climbs and descends: each network step pays it on the data's path, less
                // its first segment's own transfer, as a tree's steps do (paid once up front, the pipeline's fill
                // through the levels came on top of NCCL's latency: 17% above its model at 16 MiB on 16 servers)
                baseUs = lat.baseUs() + lat.intraUs();
                intraUs = 0;
                interUs = lat.interUs();
            }
        }
        if (a == NcclAlgorithm.RING) {
            int nsteps = fn.modelSteps(schedule.ranks());
            double mean = nsteps == 0 ? 0 : (tuner.latencyUs(fn, a, p) * plateau(lat, tuner, fn, a, p) - lat.baseUs())
                    / nsteps;
            intraUs = mean;
            interUs = mean;
        }
        double algBwGBps = tuner.effectiveBandwidthGBps(fn, a, p, nBytes);
        // NVLS and NVLSTree: every stream of a channel carries one head's share (a contribution, the store; NVLSTree
        // also the send up and the sends down), so each is paced to move its share in NCCL's time; a store's copies
        // ride with it, paid once
        double streamBytes = busiestStreamBytes(schedule, a.isNvls());
        double psPerByte = 0;
        if (algBwGBps > 0 && streamBytes > 0 && nBytes > 0) {
            psPerByte = 1000.0 / (streamBytes * algBwGBps / nBytes);
        }
        // NVLSTree forwards chunk by chunk on the network: a segment is never larger than NCCL's chunk. NVLS on one
        // node moves no chunk as a whole: each reduce warp's multimem.ld_reduce and multimem.st alternate 16 bytes
        // at a time (all_reduce.h:390-460), so the switch streams; its segments are the engine's finest, one packet
        // (with whole chunks, fill and drain took a chunk per stage: 10-12% above NCCL's model at 1-16 MiB on 8 GPUs)
        var req = schedule.request();
        long maxSegment = a == NcclAlgorithm.NVLS_TREE ? NcclSchedules.nvlsTreeChunkBytes(req.sizeBytes(),
                req.channels(), req.gpusPerServer(), schedule.ranks() / req.gpusPerServer())
                : a == NcclAlgorithm.NVLS ? ModelOptions.MIN_SEGMENT_BYTES : 0;
        // NVLS: a channel's contribution streams (one per head) share its work; its first segment costs the channel's
        // rate
        int parallel = a == NcclAlgorithm.NVLS_TREE ? req.gpusPerServer() : a == NcclAlgorithm.NVLS ? schedule.ranks()
                : 1;
        return new InstanceTiming(line[0], line[1], us(baseUs), us(intraUs), us(interUs), psPerByte,
                a == NcclAlgorithm.TREE || a == NcclAlgorithm.NVLS_TREE, switchLine[0], switchLine[1], maxSegment,
                parallel);
    }

    /** The ring plateau factor the latency parts carry at this size (1 when it does not apply). */
    private static double plateau(NcclTuner.LatencyParts parts, NcclTuner tuner, NcclFunction fn, NcclAlgorithm a,
            NcclProtocol p) {
        double base = tuner.latencyParts(fn, a, p, 0).baseUs();
        return base == 0 ? 1 : parts.baseUs() / base;
    }

    /**
     * The most bytes one stream of a rank sends, over a sample of ranks (first, middle, last); with
     * {@code bundlesOnce} a multicast and its copies count once (the engine paces the bundle once).
     */
    private static double busiestStreamBytes(Schedule schedule, boolean bundlesOnce) {
        double max = 0;
        int n = schedule.ranks();
        for (int r : new int[] {0, n / 2, n - 1}) {
            var rs = schedule.rank(r);
            double[] perStream = new double[Math.max(1, rs.streamCount())];
            for (int op = 0; op < rs.opCount(); op++) {
                if (rs.isSend(op)) {
                    boolean bundle = bundlesOnce
                            && rs.combine(op) == io.collemu.collectives.RankSchedule.COMBINE_MULTICAST;
                    perStream[rs.stream(op)] += bundle ? (double) rs.bytes(op) / rs.combineSize(op) : rs.bytes(op);
                }
            }
            for (double b : perStream) {
                max = Math.max(max, b);
            }
        }
        return max;
    }

    /**
     * All-to-all and send-recv (PXN; {@code direct} without it, as NCCL_PXN_DISABLE=1) and all-to-all-v: NCCL runs
     * them point to point, outside its tuning model. Simple protocol (LL up to NCCL's 16 KiB P2P threshold per
     * peer: a send-recv pair's S, an all-to-all's S/n), one ring Simple step's base and network
     * latency per call, no channel cap: the links decide the rest.
     */
    private Plan pointToPoint(CollectiveKind kind, String algorithm, int channels, long sizeBytes, int root,
            NcclLayout layout, NcclTuner tuner, long[] matrix, int[] pairs) {
        int c = channels > 0 ? channels : Math.max(1, Math.min(tuner.p2pChannelsPerPeer(), 4));
        Schedule schedule;
        String name;
        boolean pxn = algorithm.equals(Collectives.AUTO) || algorithm.equals(NcclSchedules.PXN);
        if (pxn && (kind == CollectiveKind.ALL_TO_ALL || kind == CollectiveKind.SEND_RECV)) {
            name = NcclSchedules.PXN;
            schedule = NcclSchedules.of(new CollectiveRequest(kind, Collectives.DIRECT, sizeBytes, layout.ranks(),
                    c, root, layout.gpusPerNode(), null, pairs), layout);
        } else {
            name = Collectives.resolveAlgorithm(kind, algorithm);
            schedule = Schedules.of(new CollectiveRequest(kind, name, sizeBytes, layout.ranks(), c, root,
                    layout.gpusPerNode(), matrix, pairs));
        }
        long perPeer = kind == CollectiveKind.SEND_RECV ? sizeBytes : sizeBytes / Math.max(1, layout.ranks());
        NcclProtocol p = perPeer <= 16 << 10 ? NcclProtocol.LL : NcclProtocol.SIMPLE;
        NcclTuner.LatencyParts ring = tuner.latencyParts(NcclFunction.ALL_GATHER, NcclAlgorithm.RING, p, 0);
        int[] line = lines(p);
        InstanceTiming timing = new InstanceTiming(line[0], line[1], us(ring.baseUs() + ring.interUs()), 0, 0, 0,
                false);
        return new Plan(schedule, timing, null, name, p.cliName(), c, 0);
    }

    private static int[] lines(NcclProtocol p) {
        return switch (p) {
            case LL -> new int[] {8, 16};
            case LL128 -> new int[] {120, 128};
            case SIMPLE -> new int[] {1, 1};
        };
    }

    private static long us(double us) {
        return Math.round(us * 1e6);
    }

    /** Server and rail of each rank: a GPU's server, and its index in the server (its NIC's rail). */
    NcclLayout layout(int[] rankGpus) {
        int n = rankGpus.length;
        int[] node = new int[n];
        int[] local = new int[n];
        Map<Integer, Integer> dense = new HashMap<>();
        for (int r = 0; r < n; r++) {
            node[r] = dense.computeIfAbsent(nodeOfGpu[rankGpus[r]], k -> dense.size());
            local[r] = localOfGpu[rankGpus[r]];
        }
        return NcclLayout.of(node, local);
    }

    /** NCCL's tuner for a communicator of this layout on this fabric. */
    NcclTuner tuner(NcclLayout layout, int[] rankGpus) {
        NcclMachine m = machine(layout, rankGpus[0]);
        return tuners.computeIfAbsent(m, k -> new NcclTuner(NcclSystem.derive(k)));
    }

    /** The machine NCCL's detection would see for a communicator whose first rank is on {@code gpu0}. */
    NcclMachine machine(NcclLayout layout, int gpu0) {
        int node = topology.gpuNode(gpu0);
        double nic = 0;
        double nvlink = 0;
        boolean nvSwitch = false;
        for (int i = 0; i < topology.portCountOf(node); i++) {
            int port = topology.portOf(node, i);
            double gbps = topology.portRateBps(port) / 8e9;
            if (topology.portNearEnd(port).technology() == LinkTechnology.NVLINK) {
                nvlink += gbps * topology.portDataEfficiency(port);
                nvSwitch |= topology.nodeKind(topology.portPeer(port)) == NodeKind.SWITCH;
            } else if (nic == 0) {
                nic = gbps;
            }
        }
        int g = layout.gpusPerNode();
        if (g > NcclMachine.MAX_GPUS_PER_NODE) {
            throw new UserError("--fidelity nccl: " + g + " GPUs share one server or NVLink domain; the nccl mode "
                    + "models at most " + NcclMachine.MAX_GPUS_PER_NODE + " (a 72-GPU NVLink domain runs as NCCL's "
                    + "multi-node NVLink, which is not modelled); use --fidelity ideal");
        }
        int nics = layout.nodes() > 1 ? g : 0;
        return new NcclMachine(g, layout.nodes(), gpu.computeCapability(), nics, nic > 0 ? nic : 50.0,
                gpu.pcieGBps(), nvlink, nvSwitch && g > 1, CpuVendor.INTEL);
    }
}

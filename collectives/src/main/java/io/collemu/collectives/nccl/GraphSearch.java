package io.collemu.collectives.nccl;

import static io.collemu.collectives.nccl.NcclGraph.PATTERN_BALANCED_TREE;
import static io.collemu.collectives.nccl.NcclGraph.PATTERN_NVLS;
import static io.collemu.collectives.nccl.NcclGraph.PATTERN_RING;
import static io.collemu.collectives.nccl.NcclGraph.PATTERN_SPLIT_TREE;
import static io.collemu.collectives.nccl.NcclGraph.PATTERN_TREE;

import java.util.ArrayList;
import java.util.List;

/**
 * A simplified {@code ncclTopoCompute} (NVIDIA/nccl v2.30.7-1, src/graph/search.cc:1074-1313) over a
 * {@link SearchTopology}.
 *
 * <p>Kept verbatim: the per-channel speed lists (search.cc:1051-1067), the start speed (first speed with
 * {@code speed <= maxBw} and {@code speed * minChannels <= totalBw}, totalBw scaled by n/(n-1) for non-ring
 * patterns), the odometer of pass 1 (sameChannels 1 -> 0; BALANCED_TREE -> TREE on sm90+; typeIntra up to
 * typeInter; typeInter up to the worst GPU-NIC path; crossNic 0 -> 2; next lower speed while
 * {@code next / best.bwInter > 0.49}), the stop rules (a perfect graph, or {@code nChannels * bwInter >=
 * totalBw}), {@code ncclTopoDupChannels} (search.cc:1036-1049), pass 2 (raise the ring speed, the NVLS
 * bwInter, the tree bwIntra while the channel count holds) and the fallback of one 0.1 GB/s channel;
 * {@code ncclTopoCompareGraphs} rules 1 and 2 (search.cc:445-461).
 *
 * <p>Simplified: {@code ncclTopoSearchRec}'s depth-first search with timeouts is replaced by a greedy
 * construction, channel after channel, that tries NCCL's candidates in NCCL's order (entry NIC
 * {@code nets[(c + i) % n]}, the NIC's local GPU first, GPU order next-then-previous with an NVSwitch, exit NIC
 * by {@code ncclTopoSearchCheckNet}) and backtracks only inside the channel being built, never into earlier
 * channels. On a machine whose nodes are all alike this finds the channel counts the full search finds.
 * Without an NVSwitch the next GPU is tried in ascending then descending order instead of NCCL's score sort.
 * {@code ncclTopoCompareGraphs} rule 3 (fewer hops at equal bandwidth) is not applied.
 *
 * <p>Not thread-safe; one instance per derivation.
 */
final class GraphSearch {

    /** Default speeds for intra-node searches, GB/s per channel: NVIDIA/nccl v2.30.7-1, src/graph/search.cc:1051. */
    static final float[] SPEED_INTRA = {40.0f, 30.0f, 20.0f, 18.0f, 15.0f, 12.0f, 10.0f, 9.0f, 7.0f, 6.0f, 5.0f,
        4.0f, 3.0f};
    /** Default speeds for multi-node searches: NVIDIA/nccl v2.30.7-1, src/graph/search.cc:1052-1053. */
    static final float[] SPEED_INTER = {48.0f, 30.0f, 28.0f, 24.0f, 20.0f, 18.0f, 15.0f, 12.0f, 10.0f, 9.0f,
        7.0f, 6.0f, 5.0f, 4.0f, 3.0f, 2.4f, 1.2f, 0.24f, 0.12f};
    /** Hopper intra-node speeds: NVIDIA/nccl v2.30.7-1, src/graph/search.cc:1057. */
    static final float[] SM90_SPEED_INTRA = {60.0f, 50.0f, 40.0f, 30.0f, 24.0f, 20.0f, 15.0f, 12.0f, 11.0f, 6.0f,
        3.0f};
    /** Hopper multi-node speeds: NVIDIA/nccl v2.30.7-1, src/graph/search.cc:1058-1059. */
    static final float[] SM90_SPEED_INTER = {48.0f, 45.0f, 42.0f, 40.0f, 30.0f, 24.0f, 22.0f, 20.0f, 17.5f, 15.0f,
        12.0f, 6.0f, 3.0f, 2.4f, 1.2f, 0.24f, 0.12f};
    /** Blackwell intra-node speeds: NVIDIA/nccl v2.30.7-1, src/graph/search.cc:1063. */
    static final float[] SM100_SPEED_INTRA = {90.0f, 80.0f, 70.0f, 60.0f, 50.0f, 45.0f, 40.0f, 30.0f, 24.0f, 20.0f,
        19.0f, 18.0f};
    /** Blackwell multi-node speeds: NVIDIA/nccl v2.30.7-1, src/graph/search.cc:1064-1065. */
    static final float[] SM100_SPEED_INTER = {96.0f, 86.0f, 80.0f, 48.0f, 45.1f, 42.0f, 40.0f, 30.0f, 24.0f, 22.0f,
        20.0f, 17.5f, 15.0f, 12.0f, 6.0f, 3.0f, 2.4f, 1.2f, 0.24f, 0.12f};

    /** NCCL_CROSS_NIC default: NVIDIA/nccl v2.30.7-1, src/graph/search.cc:16. */
    private static final int CROSS_NIC = 2;
    /** One search's "time left" when it did not find a perfect graph (the greedy search never times out). */
    private static final int NOT_PERFECT = 1;

    /** One channel of a search graph: entry and exit NIC (-1 inside a node) and the GPU order. */
    record Channel(int entryNic, int exitNic, int[] gpus) {
    }

    /** The mutable {@code struct ncclTopoGraph} of one search. */
    static final class Graph {
        int pattern;
        int crossNic;
        int minChannels;
        int maxChannels;
        float bwIntra;
        float bwInter;
        PathType typeIntra = PathType.LOC;
        PathType typeInter = PathType.PIX;
        int sameChannels;
        List<Channel> channels = new ArrayList<>();

        int nChannels() {
            return channels.size();
        }

        Graph copy() {
            Graph g = new Graph();
            g.pattern = pattern;
            g.crossNic = crossNic;
            g.minChannels = minChannels;
            g.maxChannels = maxChannels;
            g.bwIntra = bwIntra;
            g.bwInter = bwInter;
            g.typeIntra = typeIntra;
            g.typeInter = typeInter;
            g.sameChannels = sameChannels;
            g.channels = new ArrayList<>(channels);
            return g;
        }

        NcclGraph toRecord() {
            return new NcclGraph(nChannels(), bwIntra, bwInter, typeIntra, typeInter, pattern, sameChannels == 1, 0);
        }
    }

    private final SearchTopology topo;
    private final ChannelBuilder builder;

    GraphSearch(SearchTopology topo) {
        this.topo = topo;
        this.builder = new ChannelBuilder(topo);
    }

    /** The limits of one search: the requested pattern and channel range, the path types it may use. */
    private record Limits(int crossNic, PathType minIntra, PathType maxIntra, PathType minInter,
                          PathType maxInter, int trySameChannels, float[] speeds) {
    }

    /**
     * {@code ncclTopoCompute}: the best graph of {@code pattern} with between {@code minChannels} and
     * {@code maxChannels} channels (init.cc:1174-1213 sets those per graph).
     */
    Graph compute(int pattern, int minChannels, int maxChannels) {
        Graph graph = new Graph();
        graph.pattern = pattern;
        graph.minChannels = minChannels;
        graph.maxChannels = maxChannels;
        Limits lim = limits(pattern);
        graph.crossNic = lim.crossNic() == 1 ? 1 : 0;
        graph.typeIntra = lim.minIntra();
        graph.typeInter = lim.minInter();
        graph.sameChannels = lim.trySameChannels();
        if (pattern == PATTERN_NVLS && (!topo.nvSwitch || topo.compCap < 90)) {
            return graph;
        }
        if (pattern == PATTERN_NVLS) {
            graph.maxChannels = Math.min(NcclTables.MAX_NVLS_ARITY, topo.gpus);
        }
        if (topo.gpus == 1 && pattern != PATTERN_RING) {
            graph.pattern = PATTERN_TREE;
        }
        if (!topo.inter && pattern == PATTERN_NVLS) {
            graph.minChannels = graph.maxChannels;
        }
        odometer(graph, lim);
        if (graph.nChannels() == 0 && pattern != PATTERN_NVLS) {
            fallback(graph);
        }
        return graph;
    }

    private Limits limits(int pattern) {
        int crossNic = topo.nics > 1 && (pattern == PATTERN_RING || pattern == PATTERN_BALANCED_TREE
                || pattern == PATTERN_SPLIT_TREE) ? CROSS_NIC : 0;
        PathType minIntra = PathType.LOC;
        PathType maxIntra = PathType.SYS;
        PathType minInter = PathType.PIX;
        PathType maxInter = PathType.SYS;
        if (topo.gpus > 1) {
            minIntra = extremeType(topo.gpuGpu, true, true);
            maxIntra = extremeType(topo.gpuGpu, false, true);
        }
        if (topo.inter) {
            minInter = extremeType(topo.gpuNet, true, false);
            maxInter = extremeType(topo.gpuNet, false, false);
            maxIntra = maxInter;
        }
        if (topo.compCap < 90) {
            maxInter = PathType.SYS;
        }
        int cc = topo.compCap;
        float[] speeds = topo.inter ? (cc >= 100 ? SM100_SPEED_INTER : cc >= 90 ? SM90_SPEED_INTER : SPEED_INTER)
                : (cc >= 100 ? SM100_SPEED_INTRA : cc >= 90 ? SM90_SPEED_INTRA : SPEED_INTRA);
        return new Limits(crossNic, minIntra, maxIntra, minInter, maxInter, pattern == PATTERN_NVLS ? 0 : 1,
                speeds);
    }

    /** {@code ncclTopoGetGpuMinPath} / {@code MaxPath} (src/graph/paths.cc:1029-1055), self paths skipped. */
    private static PathType extremeType(SearchTopology.Path[][] paths, boolean min, boolean skipSelf) {
        int best = min ? PathType.SYS.id() : PathType.LOC.id();
        for (int i = 0; i < paths.length; i++) {
            for (int j = 0; j < paths[i].length; j++) {
                if (skipSelf && i == j) {
                    continue;
                }
                int t = paths[i][j].type().id();
                best = min ? Math.min(best, t) : Math.max(best, t);
            }
        }
        return PathType.fromId(best);
    }

    /** The search / pass 1 / done / pass 2 loop of search.cc:1159-1287, one {@code goto search} per turn. */
    private void odometer(Graph graph, Limits lim) {
        float[] speeds = lim.speeds();
        float maxBw = topo.maxBw();
        float totalBw = topo.totalBw();
        if (topo.gpus > 1 && graph.pattern != PATTERN_RING) {
            totalBw *= topo.gpus * 1.0 / (topo.gpus - 1);
        }
        int si = 0;
        while ((speeds[si] > maxBw || speeds[si] * graph.minChannels > totalBw) && si < speeds.length - 1) {
            si++;
        }
        Graph tmp = graph.copy();
        tmp.bwIntra = tmp.bwInter = speeds[si];
        int[] state = {1, si}; // pass, speed index
        while (true) {
            int time = search(tmp, graph);
            boolean done = time == -1 || graph.nChannels() * graph.bwInter >= topo.totalBw();
            if (!done && state[0] == 1 && nextOption(tmp, graph, lim, state, maxBw)) {
                continue;
            }
            if (state[0] == 1) {
                dupChannels(graph);
                tmp = graph.copy();
                state[1] = 0;
                while (speeds[state[1]] > graph.bwInter && state[1] < speeds.length - 1) {
                    state[1]++;
                }
                tmp.bwIntra = tmp.bwInter = speeds[state[1]];
                tmp.minChannels = graph.nChannels();
                state[0] = 2;
            }
            if (state[1] > 0 && raise(tmp, graph, speeds, state)) {
                continue;
            }
            return;
        }
    }

    /**
     * Pass 1's next option after an unsuccessful search (search.cc:1196-1262).
     *
     * @return true to search again, false when every option is exhausted (then go to "done")
     */
    private boolean nextOption(Graph tmp, Graph graph, Limits lim, int[] state, float maxBw) {
        if (tmp.sameChannels == 1 && !(topo.cpu == CpuVendor.AMD && tmp.typeIntra == PathType.SYS)) {
            tmp.sameChannels = 0;
            return true;
        }
        tmp.sameChannels = lim.trySameChannels();
        if (topo.compCap >= 90 && tmp.pattern == PATTERN_BALANCED_TREE) {
            tmp.pattern = PATTERN_TREE;
            return true;
        }
        tmp.pattern = graph.pattern;
        PathType maxIntra = topo.inter ? tmp.typeInter : lim.maxIntra();
        if (tmp.typeIntra.id() < maxIntra.id()
                && (graph.nChannels() == 0 || tmp.typeIntra.id() < graph.typeIntra.id())) {
            tmp.typeIntra = PathType.fromId(tmp.typeIntra.id() + 1);
            return true;
        }
        tmp.typeIntra = lim.minIntra();
        if (topo.inter && tmp.typeInter.id() < lim.maxInter().id() && (graph.nChannels() == 0
                || tmp.typeInter.id() < graph.typeInter.id() || tmp.typeInter.id() < PathType.PXN.id())) {
            tmp.typeInter = PathType.fromId(tmp.typeInter.id() + 1);
            return true;
        }
        tmp.typeInter = lim.minInter();
        if (lim.crossNic() == 2 && tmp.crossNic == 0
                && (graph.pattern == PATTERN_RING || graph.pattern == PATTERN_BALANCED_TREE)) {
            tmp.crossNic = 2;
            return true;
        }
        tmp.crossNic = lim.crossNic() == 1 ? 1 : 0;
        float[] speeds = lim.speeds();
        if (state[1] < speeds.length - 1
                && (graph.nChannels() == 0 || speeds[state[1] + 1] / graph.bwInter > .49)) {
            tmp.bwInter = tmp.bwIntra = speeds[++state[1]];
            return true;
        }
        state[1] = 0;
        while (speeds[state[1]] > maxBw && state[1] < speeds.length - 1) {
            state[1]++;
        }
        tmp.bwIntra = tmp.bwInter = speeds[state[1]];
        return false;
    }

    /** Pass 2 (search.cc:1267-1283): try a higher speed keeping the channel count; false when done. */
    private boolean raise(Graph tmp, Graph graph, float[] speeds, int[] state) {
        if (graph.pattern == PATTERN_RING) {
            tmp.bwIntra = tmp.bwInter = speeds[--state[1]];
            return true;
        }
        if (graph.pattern == PATTERN_NVLS && tmp.bwInter == graph.bwInter && tmp.bwInter < tmp.bwIntra * 2) {
            tmp.minChannels = tmp.maxChannels = graph.nChannels();
            tmp.bwInter = speeds[--state[1]];
            return true;
        }
        if (tmp.bwIntra == graph.bwIntra && tmp.bwIntra < tmp.bwInter * 2) {
            tmp.bwIntra = speeds[--state[1]];
            return true;
        }
        return false;
    }

    /**
     * One search at {@code tmp}'s settings; keeps it in {@code graph} when better
     * ({@code ncclTopoCompareGraphs}, search.cc:445-461).
     *
     * @return -1 when the kept graph is perfect ({@code maxChannels} channels), else a positive "time left"
     */
    private int search(Graph tmp, Graph graph) {
        List<Channel> found = builder.build(tmp);
        int n = found.size();
        boolean copy = false;
        if (n >= tmp.minChannels) {
            if (tmp.pattern == PATTERN_NVLS) {
                copy = (n > graph.nChannels() && n <= topo.gpus) || n * tmp.bwInter > graph.nChannels() * graph.bwInter;
            } else {
                copy = n * tmp.bwIntra > graph.nChannels() * graph.bwIntra;
            }
        }
        if (!copy) {
            return NOT_PERFECT;
        }
        Graph kept = tmp.copy();
        kept.channels = found;
        copyInto(kept, graph);
        return n == tmp.maxChannels ? -1 : NOT_PERFECT;
    }

    private static void copyInto(Graph from, Graph to) {
        to.pattern = from.pattern;
        to.crossNic = from.crossNic;
        to.minChannels = from.minChannels;
        to.maxChannels = from.maxChannels;
        to.bwIntra = from.bwIntra;
        to.bwInter = from.bwInter;
        to.typeIntra = from.typeIntra;
        to.typeInter = from.typeInter;
        to.sameChannels = from.sameChannels;
        to.channels = new ArrayList<>(from.channels);
    }

    /** {@code ncclTopoDupChannels} (search.cc:1036-1049): double the channels at half the speed, unless ... */
    private void dupChannels(Graph graph) {
        int n = graph.nChannels();
        if (n == 0 || graph.pattern == PATTERN_NVLS || graph.bwIntra < 25.0) {
            return;
        }
        if (topo.compCap > 80 && graph.bwIntra < 50.0 && n > 4) {
            return;
        }
        int dup = Math.min(n * 2, graph.maxChannels);
        for (int c = n; c < dup; c++) {
            graph.channels.add(graph.channels.get(c - n));
        }
        int div = (dup + n - 1) / n;
        graph.bwIntra /= div;
        graph.bwInter /= div;
    }

    /** No graph found: one channel in GPU order at 0.1 GB/s (search.cc:1289-1310). */
    private void fallback(Graph graph) {
        int[] order = new int[topo.gpus];
        for (int g = 0; g < order.length; g++) {
            order[g] = g;
        }
        graph.bwIntra = 0.1f;
        graph.typeIntra = PathType.SYS;
        boolean nets = topo.nics > 0;
        graph.bwInter = nets ? 0.1f : 0;
        graph.typeInter = nets ? PathType.SYS : PathType.DIS;
        graph.channels = new ArrayList<>(List.of(new Channel(nets ? 0 : -1, nets ? 0 : -1, order)));
    }
}

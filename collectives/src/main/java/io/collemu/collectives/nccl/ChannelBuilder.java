package io.collemu.collectives.nccl;

import static io.collemu.collectives.nccl.NcclGraph.PATTERN_BALANCED_TREE;
import static io.collemu.collectives.nccl.NcclGraph.PATTERN_NVLS;
import static io.collemu.collectives.nccl.NcclGraph.PATTERN_RING;
import static io.collemu.collectives.nccl.NcclGraph.PATTERN_TREE;

import io.collemu.collectives.nccl.GraphSearch.Channel;
import io.collemu.collectives.nccl.GraphSearch.Graph;
import io.collemu.collectives.nccl.SearchTopology.Budget;
import io.collemu.collectives.nccl.SearchTopology.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The greedy stand-in for {@code ncclTopoSearchRec} (NVIDIA/nccl v2.30.7-1, src/graph/search.cc:621-889):
 * builds channels one after the other on one bandwidth budget, each channel the first that fits, trying
 * candidates in NCCL's order:
 * <ul>
 *   <li>across nodes ({@code ncclTopoSearchRecNet}, search.cc:724-816): entry NIC
 *       {@code nets[(c + i) % netCount]} with {@code net.bw} left, on odd ring channels with crossNic 2 the
 *       previous channel's exit NIC; entry GPU: the previous channel's first GPU when sameChannels, else the
 *       PCI order first (no NVSwitch, first channel), the NIC's local GPU, the other local GPUs;</li>
 *   <li>inside a node ({@code ncclTopoSearchRec}, search.cc:849-889): the PCI order first, then a replay of
 *       the previous channel, then (unless sameChannels) every GPU as the first;</li>
 *   <li>next GPU ({@code ncclTopoSearchNextGpuSort}, search.cc:253-326): with an NVSwitch the next index then
 *       the previous for rings, previous then next for balanced trees, next only for trees;</li>
 *   <li>exit NIC ({@code ncclTopoSearchCheckNet}, search.cc:593-619): crossNic 0 the entry NIC (one rail),
 *       crossNic 2 on odd ring channels the previous channel's entry NIC, trees the entry NIC, balanced trees
 *       the same NIC from the first two GPUs at half the bandwidth;</li>
 *   <li>NVLS ({@code ncclTopoSearchTryNvls}, search.cc:410-443): one head per NIC-local GPU, charging the
 *       head twice and every other GPU once on both NVSwitch directions.</li>
 * </ul>
 * Not thread-safe.
 */
final class ChannelBuilder {

    private enum Order { NORMAL, PCI, REPLAY }

    private record Start(int gpu, Order order) {
    }

    private record Step(Channel channel, Budget budget) {
    }

    private final SearchTopology topo;

    ChannelBuilder(SearchTopology topo) {
        this.topo = topo;
    }

    /** @return the channels that fit at {@code g}'s speeds and path types, at most {@code g.maxChannels} */
    List<Channel> build(Graph g) {
        Budget budget = topo.fullBudget();
        List<Channel> channels = new ArrayList<>();
        while (channels.size() < g.maxChannels) {
            Step step = topo.inter ? nextInter(g, budget, channels) : nextIntra(g, budget, channels);
            if (step == null) {
                break;
            }
            channels.add(step.channel());
            budget = step.budget();
        }
        return channels;
    }

    private Step nextInter(Graph g, Budget budget, List<Channel> chans) {
        int k = chans.size();
        int[] nets = topo.selectNets(g.typeInter, -1);
        for (int i = 0; i < nets.length; i++) {
            int n = nets[(k + i) % nets.length];
            if (budget.net[n] < g.bwInter) {
                continue;
            }
            if (g.pattern == PATTERN_RING && g.crossNic == 2 && (k & 1) == 1 && n != chans.get(k - 1).exitNic()) {
                continue;
            }
            Budget b = budget.copy();
            b.net[n] -= g.bwInter;
            if (g.pattern == PATTERN_NVLS) {
                int head = topo.nicLocalGpu[n];
                if (k >= nets.length || head < 0 || isHead(chans, head)) {
                    continue;
                }
                return nvlsInter(g, b, n, head); // NVLS tries one head per channel ("graphFound")
            }
            Step step = entries(g, b, chans, n);
            if (step != null) {
                return step;
            }
        }
        return null;
    }

    private static boolean isHead(List<Channel> chans, int gpu) {
        for (Channel c : chans) {
            if (c.gpus()[0] == gpu) {
                return true;
            }
        }
        return false;
    }

    private Step entries(Graph g, Budget budget, List<Channel> chans, int n) {
        int k = chans.size();
        List<Start> starts = new ArrayList<>();
        if (k > 0 && g.sameChannels == 1) {
            starts.add(new Start(chans.get(k - 1).gpus()[0], Order.REPLAY));
        } else {
            if (k == 0 && !topo.nvSwitch) {
                starts.add(new Start(0, Order.PCI));
            }
            int local = topo.nicLocalGpu[n];
            if (local >= 0) {
                starts.add(new Start(local, Order.NORMAL));
            }
            for (int gpu : topo.localGpus(n)) {
                if (gpu != local) {
                    starts.add(new Start(gpu, Order.NORMAL));
                }
            }
        }
        boolean tree = isTree(g);
        for (Start s : starts) {
            Path in = topo.netGpu[n][s.gpu()];
            if (!in.type().atMost(g.typeInter) || tree && !topo.gpuNet[s.gpu()][n].type().atMost(g.typeInter)) {
                continue;
            }
            Budget b = budget.copy();
            if (!topo.follow(b, in, g.bwInter, false)) {
                continue;
            }
            Step step = tree ? treeBody(g, b, chans, n, s) : ringBody(g, b, chans, n, s);
            if (step != null) {
                return step;
            }
        }
        return null;
    }

    private static boolean isTree(Graph g) {
        return g.pattern == PATTERN_TREE || g.pattern == PATTERN_BALANCED_TREE;
    }

    /** The GPU orders to try from {@code s.gpu()}, as NCCL's next-GPU choice produces them. */
    private List<int[]> orders(Graph g, List<Channel> chans, Start s) {
        int n = topo.gpus;
        List<int[]> orders = new ArrayList<>();
        if (s.order() == Order.REPLAY) {
            orders.add(chans.get(chans.size() - 1).gpus());
            return orders;
        }
        int[] asc = new int[n];
        int[] desc = new int[n];
        for (int i = 0; i < n; i++) {
            asc[i] = (s.gpu() + i) % n;
            desc[i] = (s.gpu() - i + n) % n;
        }
        if (s.order() == Order.PCI) {
            orders.add(asc);
        } else if (topo.nvSwitch && g.pattern == PATTERN_TREE) {
            orders.add(asc);
        } else if (topo.nvSwitch && g.pattern == PATTERN_BALANCED_TREE) {
            orders.add(desc);
            orders.add(asc);
        } else {
            orders.add(asc);
            orders.add(desc);
        }
        if (n <= 2 && orders.size() == 2) {
            orders.remove(1); // next and previous are the same GPU
        }
        return orders;
    }

    /** Charges the GPU-to-GPU hops of {@code order} from index {@code from}, and the way back if {@code close}. */
    private boolean hops(Graph g, Budget b, int[] order, int from, boolean close) {
        for (int j = Math.max(1, from); j < order.length; j++) {
            if (!hop(g, b, order[j - 1], order[j])) {
                return false;
            }
        }
        return !close || hop(g, b, order[order.length - 1], order[0]);
    }

    private boolean hop(Graph g, Budget b, int from, int to) {
        Path p = topo.gpuGpu[from][to];
        if (!p.type().atMost(g.typeIntra) || isTree(g) && !topo.gpuGpu[to][from].type().atMost(g.typeIntra)) {
            return false;
        }
        return topo.follow(b, p, g.bwIntra, true);
    }

    private Step ringBody(Graph g, Budget budget, List<Channel> chans, int n, Start s) {
        int k = chans.size();
        for (int[] order : orders(g, chans, s)) {
            Budget b = budget.copy();
            if (!hops(g, b, order, 1, false)) {
                continue;
            }
            int last = order[order.length - 1];
            for (int m : topo.selectNets(g.typeInter, last)) {
                boolean allowed = g.crossNic == 2 ? (k & 1) == 0 || m == chans.get(k - 1).entryNic()
                        : g.crossNic == 1 || m == n;
                Budget out = b.copy();
                if (allowed && exit(g, out, last, m, g.bwInter)) {
                    return new Step(new Channel(n, m, order), out);
                }
            }
        }
        return null;
    }

    private boolean exit(Graph g, Budget b, int gpu, int nic, float bw) {
        Path p = topo.gpuNet[gpu][nic];
        if (!p.type().atMost(g.typeInter) || isTree(g) && !topo.netGpu[nic][gpu].type().atMost(g.typeInter)) {
            return false;
        }
        return topo.follow(b, p, bw, true);
    }

    private Step treeBody(Graph g, Budget budget, List<Channel> chans, int n, Start s) {
        boolean balanced = g.pattern == PATTERN_BALANCED_TREE;
        float exitBw = balanced ? g.bwInter / 2 : g.bwInter;
        for (int m : topo.selectNets(g.typeInter, s.gpu())) {
            if ((!balanced || g.crossNic == 0) && m != n) {
                continue;
            }
            Budget b = budget.copy();
            if (!exit(g, b, s.gpu(), m, exitBw)) {
                continue;
            }
            for (int[] order : orders(g, chans, s)) {
                Budget b2 = b.copy();
                boolean ok = !balanced ? hops(g, b2, order, 1, false)
                        : hop(g, b2, order[0], order[1]) && exit(g, b2, order[1], m, exitBw)
                                && hops(g, b2, order, 2, false);
                if (ok) {
                    return new Step(new Channel(n, m, order), b2);
                }
            }
        }
        return null;
    }

    private Step nvlsInter(Graph g, Budget budget, int n, int head) {
        Path in = topo.netGpu[n][head];
        if (!in.type().atMost(g.typeInter) || !topo.follow(budget, in, g.bwInter, false)) {
            return null;
        }
        if (!exit(g, budget, head, n, g.bwInter) || !nvls(budget, head, g.bwIntra)) {
            return null;
        }
        return new Step(new Channel(n, n, new int[] {head}), budget);
    }

    /** {@code ncclTopoSearchTryNvls}: NVS->GPU then GPU->NVS for every GPU, twice for the head. */
    private boolean nvls(Budget b, int head, float bw) {
        for (int d = 0; d < topo.gpus; d++) {
            if (!b.take(topo.nvsDown(d), d == head ? 2 * bw : bw)) {
                return false;
            }
        }
        for (int d = 0; d < topo.gpus; d++) {
            if (!b.take(topo.nvsUp(d), d == head ? 2 * bw : bw)) {
                return false;
            }
        }
        return true;
    }

    private Step nextIntra(Graph g, Budget budget, List<Channel> chans) {
        int k = chans.size();
        if (g.pattern == PATTERN_NVLS) {
            Budget b = budget.copy();
            return k < topo.gpus && nvls(b, k, g.bwIntra) ? new Step(new Channel(-1, -1, new int[] {k}), b) : null;
        }
        List<Start> starts = new ArrayList<>();
        starts.add(k == 0 ? new Start(0, Order.PCI) : new Start(chans.get(k - 1).gpus()[0], Order.REPLAY));
        if (g.sameChannels == 0 || k == 0) {
            for (int gpu = 0; gpu < topo.gpus; gpu++) {
                starts.add(new Start(gpu, Order.NORMAL));
            }
        }
        for (Start s : starts) {
            for (int[] order : orders(g, chans, s)) {
                Budget b = budget.copy();
                if (hops(g, b, order, 1, g.pattern == PATTERN_RING)) {
                    return new Step(new Channel(-1, -1, order), b);
                }
            }
        }
        return null;
    }
}

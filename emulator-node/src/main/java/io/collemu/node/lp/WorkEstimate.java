package io.collemu.node.lp;

import io.collemu.collectives.RankSchedule;
import io.collemu.topology.route.Router;

/**
 * How much work each LP of a model will do, estimated from the workload before anything runs: every segment of
 * every send counts once at its sender, once at each switch egress port on its path (the path the run takes with
 * no faults: {@link Router#path} with the stream's flow id, as {@link InstanceExec} routes it) and once at its
 * receiver. Measured on the bench scenarios the engines process 2.5-2.6 events per segment and hop (ring-ar-1024
 * and pkt-ar128: events / segment-hops), so these units are proportional to events; the grouping and the cluster
 * partition cut by them instead of by LP or port counts, which miss that spine ports of an all-to-all or the NIC
 * ports of a ring carry most of the traffic.
 *
 * <p>Ranks are sampled when the workload has more sends than {@link #SEND_BUDGET} (every k-th rank of every
 * instance, weighted by k): the estimate costs at most a few seconds on the largest fabrics. Deterministic: the
 * same model gives the same estimate on every member. Stateless.
 */
public final class WorkEstimate {
    /** The most send ops visited; above it ranks are sampled. */
    static final long SEND_BUDGET = 4_000_000;

    private WorkEstimate() {
    }

    /** Per LP id of the model, its estimated work (segments handled), at least 1. */
    public static long[] perLp(Model model) {
        return perLp(model.fabric(), model.workload(), model.options());
    }

    /** Per LP id, its estimated work (segments handled), at least 1. */
    public static long[] perLp(Fabric fabric, Workload workload, ModelOptions options) {
        long[] work = new long[fabric.lpCount()];
        long sends = 0;
        for (CollectiveInstance inst : workload.instances()) {
            RankSchedule first = inst.schedule().rank(0);
            sends += (long) inst.gpus().length * Math.max(1, first.opCount() / 2);
        }
        int stride = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (sends + SEND_BUDGET - 1) / SEND_BUDGET));
        Router router = fabric.router();
        int[] path = new int[Math.max(16, fabric.topology().nodeCount())];
        for (CollectiveInstance inst : workload.instances()) {
            int[] gpus = inst.gpus();
            long segmentBytes = inst.timing().segmentBytes(options.segmentBytes());
            for (int r = inst.id() % stride; r < gpus.length; r += stride) {
                RankSchedule rs = inst.schedule().rank(r);
                int gpu = gpus[r];
                for (int op = 0; op < rs.opCount(); op++) {
                    if (!rs.isSend(op)) {
                        continue;
                    }
                    long segments = stride * ((rs.bytes(op) + segmentBytes - 1) / segmentBytes);
                    int dst = gpus[rs.peer(op)];
                    long flowId = InstanceExec.flowId(options.seed(), inst.id(), rs.stream(op));
                    int hops = router.path(gpu, dst, flowId, path);
                    work[gpu] += segments;
                    work[dst] += segments;
                    for (int h = 0; h < hops; h++) {
                        int lp = fabric.lpOfPort(path[h]);
                        if (!fabric.isGpuLp(lp)) {
                            work[lp] += segments;
                        }
                    }
                }
            }
        }
        for (int lp = 0; lp < work.length; lp++) {
            work[lp] = Math.max(1, work[lp]);
        }
        return work;
    }
}

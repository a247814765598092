package io.collemu.node.lp;

import io.collemu.collectives.RankSchedule;
import io.collemu.topology.route.Router;
import java.util.BitSet;

/**
 * The smallest segment a workload sends, as a bound on how soon one LP can message another
 * ({@link Fabric#withMinSegment}). {@link InstanceExec} cuts every send op into segments of the instance's segment
 * size and a last piece of the remainder, so the smallest segment of an op is that remainder (or the segment size
 * when it divides); its protocol lines ({@link InstanceTiming#protocolBytes}, or
 * {@link InstanceTiming#switchProtocolBytes} for an NVLS op) are the fewest bytes it takes on any link.
 *
 * <p>NVLS segments are the exception: at the NVSwitch's port toward a GPU the contributions of a reduction leave
 * with their sum and take no time, and the switch returns their credit on arrival. Every switch port on the route
 * of an NVLS op ({@link Router#path} with the stream's flow id, as {@link InstanceExec} routes it) is left
 * unbounded; the GPU's own port still serializes what it sends.
 *
 * <p>The bound must hold for every segment, so it is not sampled: a workload of more than {@link #OP_BUDGET} ops gets
 * none (the fabric's link latencies alone). Deterministic: every cluster member computes the same. Stateless.
 */
public final class SegmentBound {
    /** The most ops visited; a larger workload gets no bound. */
    static final long OP_BUDGET = 64_000_000;

    private SegmentBound() {
    }

    /** {@code fabric} bounded by the smallest segment of {@code workload} (itself when there is no bound). */
    public static Fabric apply(Fabric fabric, Workload workload, ModelOptions options) {
        if (fabric.faults().any()) {
            return fabric;
        }
        long ops = 0;
        for (CollectiveInstance inst : workload.instances()) {
            ops += (long) inst.gpus().length * inst.schedule().rank(0).opCount();
        }
        if (ops > OP_BUDGET) {
            return fabric.withMinSegment(0, null);
        }
        long min = Long.MAX_VALUE;
        BitSet unbounded = new BitSet();
        Router router = fabric.router();
        int[] path = new int[Math.max(16, fabric.topology().nodeCount())];
        for (CollectiveInstance inst : workload.instances()) {
            InstanceTiming timing = inst.timing();
            long seg = timing.segmentBytes(options.segmentBytes());
            int[] gpus = inst.gpus();
            for (int r = 0; r < gpus.length; r++) {
                RankSchedule rs = inst.schedule().rank(r);
                for (int op = 0; op < rs.opCount(); op++) {
                    long b = rs.bytes(op);
                    if (!rs.isSend(op) || b == 0) {
                        continue;
                    }
                    long rem = b % seg;
                    long len = rem == 0 ? seg : rem;
                    if (rs.combine(op) == RankSchedule.COMBINE_NONE) {
                        min = Math.min(min, timing.protocolBytes(len));
                        continue;
                    }
                    min = Math.min(min, timing.switchProtocolBytes(len));
                    long flowId = InstanceExec.flowId(options.seed(), inst.id(), rs.stream(op));
                    int hops = router.path(gpus[r], gpus[rs.peer(op)], flowId, path);
                    for (int h = 1; h < hops; h++) {
                        unbounded.set(path[h]);
                    }
                }
            }
        }
        return fabric.withMinSegment(min == Long.MAX_VALUE ? 0 : min, unbounded);
    }
}

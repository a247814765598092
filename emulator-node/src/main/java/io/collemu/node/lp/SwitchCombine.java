package io.collemu.node.lp;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * NVLS combining ({@link io.collemu.collectives.RankSchedule#combine}), and the in-switch reductions in flight at one
 * switch port toward a GPU.
 * <ul>
 *   <li>Multicast, at the sending GPU's NVLink port ({@link InstanceExec} bundles the copies, {@link EgressPort}
 *       replicates them): the stored segment carries the one copy the GPU stores ({@code multimem.st}) plus the
 *       head's own copy of the piece that the switch read for the reduction ({@code multimem.ld_reduce} reads every
 *       GPU's copy, the head's too): twice its protocol bytes. The other copies take no time on this link; the
 *       switch sends each to its egress port.</li>
 *   <li>Reduction, at the switch's port toward the head: the contributions wait in the switch until all have come;
 *       then the sum leaves once, carrying also the head's own multicast copy of the piece (the switch writes the
 *       stored sum into every GPU, the head's included): twice the protocol bytes on the first, nothing on the
 *       others, which reach the head with it.</li>
 * </ul>
 * So each GPU's link carries {@code (n+1)/n x S} per direction, what NCCL's copy-based one-node NVLS all-reduce moves
 * (NVIDIA/nccl v2.30.7-1, src/device/all_reduce.h:390-460). The switch keeps the contributions in its reduction
 * state, not in the ingress buffer: their credit returns on arrival (a reduction waiting for a slow contributor does
 * not block the link for other pieces). Keys: (instance, sibling group, offset in the op), unique within a port.
 *
 * <p>Not thread-safe: owned by the port's LP.
 */
final class SwitchCombine {
    private record Key(int instance, long group, long offsetBytes) {
    }

    private static final Comparator<Segment> BY_SOURCE = Comparator.comparingInt(s -> s.srcGpu);
    private final Map<Key, Segment[]> reductions = new HashMap<>();

    /**
     * A contribution to a reduction has reached the switch's port toward the head.
     *
     * @return every contribution, by source GPU, once the last has come (the sum leaves with the first); else null
     */
    Segment[] contribute(Segment s) {
        if (s.combineSize <= 1) {
            return new Segment[] {s};
        }
        Key k = new Key(s.instance, s.combineGroup, s.opOffsetBytes);
        Segment[] held = reductions.get(k);
        if (held == null) {
            held = new Segment[s.combineSize];
            reductions.put(k, held);
        }
        int filled = 0;
        while (filled < held.length && held[filled] != null) {
            filled++;
        }
        held[filled] = s;
        if (filled + 1 < held.length) {
            return null;
        }
        reductions.remove(k);
        Arrays.sort(held, BY_SOURCE);
        return held;
    }
}

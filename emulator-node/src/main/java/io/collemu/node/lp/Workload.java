package io.collemu.node.lp;

import java.util.List;

/**
 * What the GPUs run in one emulation: the collective instances and, per GPU, its program of tasks.
 *
 * @param instances  by id (instances.get(i).id() == i)
 * @param programs   per GPU index, its tasks (empty array for idle GPUs)
 */
public record Workload(List<CollectiveInstance> instances, GpuTask[][] programs) {

    public Workload {
        for (int i = 0; i < instances.size(); i++) {
            if (instances.get(i).id() != i) {
                throw new IllegalArgumentException("instance ids must be dense: index " + i + " has id "
                        + instances.get(i).id());
            }
        }
    }

    /** The most bytes a segment of {@code segmentBytes} takes in the lines of any instance's protocol. */
    public long maxProtocolBytes(long segmentBytes) {
        long max = segmentBytes;
        for (CollectiveInstance i : instances) {
            long seg = i.timing().segmentBytes(segmentBytes);
            max = Math.max(max, Math.max(i.timing().protocolBytes(seg), i.timing().switchProtocolBytes(seg)));
        }
        return max;
    }
}

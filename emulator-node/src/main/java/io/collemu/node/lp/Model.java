package io.collemu.node.lp;

import java.util.function.IntPredicate;

/**
 * The LPs of one emulation: GPU LPs first (ids 0..gpus-1), then one LP per switch egress port. Built fresh for
 * every emulation from a shared {@link Fabric} and a {@link Workload}; an engine runs it once.
 */
public final class Model {
    private final Fabric fabric;
    private final Workload workload;
    private final ModelOptions options;
    private final Lp[] lps;

    /** Builds every LP of the fabric for the workload. */
    public Model(Fabric fabric, Workload workload, ModelOptions options) {
        this(fabric, workload, options, lp -> true);
    }

    /**
     * Builds only the LPs {@code hosted} accepts (a cluster member's partition: its GPUs with their programs and
     * its switch ports with their queues); the others stay null and cost nothing. The fabric (topology and
     * routing) and the workload's schedules are shared and computed lazily, so a flow's path is the same on every
     * member.
     */
    public Model(Fabric fabric, Workload workload, ModelOptions options, IntPredicate hosted) {
        this.fabric = fabric;
        this.workload = workload;
        this.options = options;
        this.lps = new Lp[fabric.lpCount()];
        for (int g = 0; g < fabric.gpuCount(); g++) {
            if (hosted.test(g)) {
                lps[g] = new GpuLp(g, fabric, options, workload);
            }
        }
        long maxProtocolBytes = workload.maxProtocolBytes(options.segmentBytes());
        for (int lp = fabric.gpuCount(); lp < fabric.lpCount(); lp++) {
            if (hosted.test(lp)) {
                lps[lp] = new SwitchPortLp(lp, fabric, maxProtocolBytes);
            }
        }
    }

    /** The fabric the LPs stand for. */
    public Fabric fabric() {
        return fabric;
    }

    /** What the GPUs run. */
    public Workload workload() {
        return workload;
    }

    /** The model's parameters. */
    public ModelOptions options() {
        return options;
    }

    /** Every LP, indexed by id (null where this member does not host it). The engine owns them while it runs. */
    public Lp[] lps() {
        return lps;
    }

    /** GPU LP {@code g}. */
    public GpuLp gpu(int g) {
        return (GpuLp) lps[g];
    }

    /** Switch-port LP {@code lp} (an id at or above {@code fabric().gpuCount()}). */
    public SwitchPortLp switchPort(int lp) {
        return (SwitchPortLp) lps[lp];
    }
}

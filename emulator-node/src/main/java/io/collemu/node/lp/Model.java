package io.collemu.node.lp;

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
        this.fabric = fabric;
        this.workload = workload;
        this.options = options;
        this.lps = new Lp[fabric.lpCount()];
        for (int g = 0; g < fabric.gpuCount(); g++) {
            lps[g] = new GpuLp(g, fabric, options, workload);
        }
        for (int lp = fabric.gpuCount(); lp < fabric.lpCount(); lp++) {
            lps[lp] = new SwitchPortLp(lp, fabric, workload.maxProtocolBytes(options.segmentBytes()));
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

    /** Every LP, indexed by id. The engine owns them while it runs. */
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

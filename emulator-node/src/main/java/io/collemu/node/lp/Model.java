package io.collemu.node.lp;

import io.collemu.node.engine.Lp;

/**
 * The LPs of one emulation: GPU LPs first (ids 0..gpus-1), then one LP per switch egress port. Built fresh for
 * every emulation from a shared {@link Fabric} and a {@link Workload}.
 */
public final class Model {
    private final Fabric fabric;
    private final Workload workload;
    private final ModelOptions options;
    private final Lp[] lps;
    private final io.collemu.node.cluster.ModelRecipe recipe;

    public Model(Fabric fabric, Workload workload, ModelOptions options) {
        this(fabric, workload, options, null);
    }

    /** @param recipe how to rebuild this model on another member, or null if it cannot be distributed */
    public Model(Fabric fabric, Workload workload, ModelOptions options, io.collemu.node.cluster.ModelRecipe recipe) {
        this.recipe = recipe;
        this.fabric = fabric;
        this.workload = workload;
        this.options = options;
        this.lps = new Lp[fabric.lpCount()];
        for (int g = 0; g < fabric.gpuCount(); g++) {
            lps[g] = new GpuLp(g, fabric, options, workload);
        }
        for (int lp = fabric.gpuCount(); lp < fabric.lpCount(); lp++) {
            lps[lp] = new SwitchPortLp(lp, fabric, options.segmentBytes());
        }
    }

    public io.collemu.node.cluster.ModelRecipe recipe() {
        return recipe;
    }

    public Fabric fabric() {
        return fabric;
    }

    public Workload workload() {
        return workload;
    }

    public ModelOptions options() {
        return options;
    }

    public Lp[] lps() {
        return lps;
    }

    public GpuLp gpu(int g) {
        return (GpuLp) lps[g];
    }

    public SwitchPortLp switchPort(int lp) {
        return (SwitchPortLp) lps[lp];
    }
}

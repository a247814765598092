package io.collemu.node.lp;

/** Test access to how a GPU LP names its flows. */
public final class GpuLpTestAccess {
    private GpuLpTestAccess() {
    }

    public static long flowId(long seed, int instance, int stream) {
        return InstanceExec.flowId(seed, instance, stream);
    }
}

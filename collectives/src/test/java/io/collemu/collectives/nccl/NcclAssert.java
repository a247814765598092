package io.collemu.collectives.nccl;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared fixtures and a relative-tolerance assertion for the NCCL model tests. */
final class NcclAssert {

    /** The spec's tolerance: NCCL mixes float and double (tuning.cc), the spec prints 6 digits. */
    static final double REL = 1e-5;

    private NcclAssert() {
    }

    static void assertRel(double expected, double actual, String what) {
        double tol = Math.abs(expected) * REL;
        assertEquals(expected, actual, tol, what + ": expected " + expected + " +-1e-5 relative, got " + actual);
    }

    /** The worked example's system (spec 10.1): 2 servers x 8 H100, 8 x 400G each, Intel. */
    static NcclSystem workedExample() {
        NcclGraph ring = new NcclGraph(8, 48, 48, PathType.NVL, PathType.PIX, NcclGraph.PATTERN_RING, false, 0);
        NcclGraph tree = new NcclGraph(8, 48, 48, PathType.NVL, PathType.PIX, NcclGraph.PATTERN_TREE, false, 0);
        NcclGraph nvls = new NcclGraph(8, 40, 48, PathType.NVL, PathType.PIX, NcclGraph.PATTERN_NVLS, false, 0);
        return new NcclSystem(16, 2, 90, CpuVendor.INTEL, ring, tree, nvls, 16, 16, true, false, 4);
    }

    /** The single-node cross-check's system (spec 10.6): 8 H100 on one NVSwitch. */
    static NcclSystem singleNode() {
        NcclGraph ring = new NcclGraph(12, 30, 30, PathType.NVL, PathType.PIX, NcclGraph.PATTERN_RING, true, 0);
        NcclGraph tree = new NcclGraph(12, 30, 30, PathType.NVL, PathType.PIX, NcclGraph.PATTERN_BALANCED_TREE,
                true, 0);
        NcclGraph nvls = new NcclGraph(8, 40, 60, PathType.NVL, PathType.PIX, NcclGraph.PATTERN_NVLS, false, 0);
        return new NcclSystem(8, 1, 90, CpuVendor.INTEL, ring, tree, nvls, 24, 16, true, false, 36);
    }
}

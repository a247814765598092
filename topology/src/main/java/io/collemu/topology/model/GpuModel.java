package io.collemu.topology.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A GPU as the nccl fidelity mode needs it: how fast it reduces (HBM bandwidth), how its NICs attach (the PCIe
 * path, in NCCL's GB/s), its NVLink in NCCL's units, and its compute capability (which selects NCCL's tables).
 *
 * @param hbmGBps        HBM bandwidth, GB/s (1e9 B/s)
 * @param pcieGBps       the GPU-to-NIC PCIe path as NCCL's topology search counts it (Gen5 x16 = 48.0)
 * @param nvlinkGBps     one NVLink as NCCL counts it (SM90 20.6, SM100 40.1, NVIDIA/nccl v2.30.7-1 topo.h)
 * @param nvlinkLinks    NVLinks per GPU (18 on H100 SXM and B200)
 * @param computeCapability NCCL's compCap: 90 Hopper, 100 Blackwell
 */
public record GpuModel(String name, double hbmGBps, double pcieGBps, double nvlinkGBps, int nvlinkLinks,
        int computeCapability) {

    /**
     * H100 SXM5 80 GB: HBM3 3.35 TB/s (NVIDIA H100 datasheet, quoted by glennklockwood.com/garden/processors/h100),
     * PCIe Gen5 x16 to its NIC (48.0 in NCCL's units: width 16 x 240 / 80, nccl topo.cc), 18 NVLink 4 links of
     * 20.6 GB/s (NCCL SM90_NVLINK_BW).
     */
    public static final GpuModel H100 = new GpuModel("h100", 3350, 48.0, 20.6, 18, 90);
    /**
     * B200: HBM3e 8 TB/s (NVIDIA, quoted by glennklockwood.com/garden/processors/B200), PCIe Gen6 x16 (96.0 in
     * NCCL's units: 16 x 480 / 80), 18 NVLink 5 links of 40.1 GB/s (NCCL SM100_NVLINK_BW).
     */
    public static final GpuModel B200 = new GpuModel("b200", 8000, 96.0, 40.1, 18, 100);

    private static final Map<String, GpuModel> BY_NAME = new LinkedHashMap<>();

    static {
        for (GpuModel g : List.of(H100, B200)) {
            BY_NAME.put(g.name(), g);
        }
    }

    /** @throws TopologyException for a value out of range */
    public GpuModel {
        if (!(hbmGBps > 0 && pcieGBps > 0 && nvlinkGBps > 0) || nvlinkLinks < 0 || computeCapability < 60) {
            throw new TopologyException("gpu model '" + name + "': figures out of range", "gpu");
        }
    }

    /** The preset named {@code name} (h100, b200), case-insensitive. */
    public static GpuModel get(String name) {
        GpuModel g = name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (g == null) {
            throw new TopologyException("unknown gpu '" + name + "' (known: " + String.join(", ", BY_NAME.keySet())
                    + ")", "gpu");
        }
        return g;
    }

    /** The preset names. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The GPU a fabric's scale-up link implies: NVLink 5 means a B200, anything else an H100. */
    public static GpuModel forScaleUp(LinkModel scaleUp) {
        return scaleUp != null && scaleUp.name().equals("nvlink5") ? B200 : H100;
    }

    /** NCCL's NVLink bandwidth of one GPU: links x per-link bandwidth (H100: 18 x 20.6 = 370.8). */
    public double nvlinkTotalGBps() {
        return nvlinkLinks * nvlinkGBps;
    }

    /**
     * A reduction reads two operands and writes one, so an HBM-bound reduce consumes received bytes at a third of
     * the HBM bandwidth: the time per received byte, in ps.
     */
    public double reducePsPerByte() {
        return 3 * 1000.0 / hbmGBps;
    }
}

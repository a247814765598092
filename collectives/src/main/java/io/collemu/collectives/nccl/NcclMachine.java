package io.collemu.collectives.nccl;

import java.util.Objects;

/**
 * A plain description of the machine NCCL's topology detection would see, enough for
 * {@link NcclSystem#derive(NcclMachine)} to rebuild NCCL's ring, tree and NVLS graphs. Every node is alike.
 *
 * <p>The assumed layout inside a node: {@code s = min(gpusPerNode, nicsPerNode)} PCIe switches; GPU
 * {@code g} sits on switch {@code g * s / gpusPerNode}, NIC {@code n} on switch {@code n * s / nicsPerNode}
 * (so with 8 GPUs and 8 NICs GPU g and NIC g share a switch, path PIX; with 4 NICs, GPUs 2k and 2k+1 share
 * NIC k). Every GPU and every NIC has one PCIe link of {@code pcieGBps} each way. With an NVSwitch each GPU
 * has {@code nvlinkGBpsPerGpu} each way to the switch; without one, that bandwidth is split evenly over
 * direct links to the other GPUs (a full NVLink mesh), and 0 means GPUs talk over PCIe only.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param gpusPerNode      GPUs (ranks) per node, at least 1
 * @param nNodes           nodes, at least 1
 * @param compCap          CUDA compute capability times ten: 80 A100, 90 H100/H200, 100 B200
 * @param nicsPerNode      network interfaces per node; at least 1 when {@code nNodes > 1}
 * @param nicGBps          NIC speed in NCCL units (link speed in Mb/s / 8000): 50 for 400G, 100 for 800G
 * @param pcieGBps         the GPU-NIC PCIe link in NCCL units (width x per-lane / 80): 48 for Gen5 x16, 96 Gen6
 * @param nvlinkGBpsPerGpu a GPU's NVLink bandwidth in NCCL units: links x per-link (H100 18 x 20.6 = 370.8,
 *                         B200 18 x 40.1 = 721.8), 0 for none
 * @param nvSwitch         true when the GPUs of a node share an NVSwitch (HGX/DGX)
 * @param cpu              the host CPU vendor
 */
public record NcclMachine(int gpusPerNode, int nNodes, int compCap, int nicsPerNode, double nicGBps,
                          double pcieGBps, double nvlinkGBpsPerGpu, boolean nvSwitch, CpuVendor cpu) {

    /** The most GPUs of one node the model describes (one NVLS head per GPU, and at most 64 NVLS channels). */
    public static final int MAX_GPUS_PER_NODE = NcclTables.MAX_CHANNELS;

    /** Validates the fields; throws {@link IllegalArgumentException} naming the bad one. */
    public NcclMachine {
        Objects.requireNonNull(cpu, "cpu");
        if (gpusPerNode < 1 || gpusPerNode > MAX_GPUS_PER_NODE) {
            throw new IllegalArgumentException("gpusPerNode must be 1..64, got " + gpusPerNode);
        }
        if (nNodes < 1) {
            throw new IllegalArgumentException("nNodes must be >= 1, got " + nNodes);
        }
        if (compCap < 60 || compCap > 200) {
            throw new IllegalArgumentException("compCap must be 60..200 (e.g. 90 for H100), got " + compCap);
        }
        if (nicsPerNode < (nNodes > 1 ? 1 : 0) || nicsPerNode > NcclTables.MAX_CHANNELS) {
            throw new IllegalArgumentException("nicsPerNode must be " + (nNodes > 1 ? 1 : 0) + "..64, got "
                    + nicsPerNode);
        }
        if (!(nicGBps > 0) || !(pcieGBps > 0) || !(nvlinkGBpsPerGpu >= 0)) {
            throw new IllegalArgumentException("need nicGBps > 0, pcieGBps > 0, nvlinkGBpsPerGpu >= 0, got "
                    + nicGBps + ", " + pcieGBps + ", " + nvlinkGBpsPerGpu);
        }
        if (nvSwitch && !(nvlinkGBpsPerGpu > 0)) {
            throw new IllegalArgumentException("an NVSwitch machine needs nvlinkGBpsPerGpu > 0");
        }
    }

    /**
     * One NVLink's bandwidth in NCCL units for a compute capability, {@code ncclTopoNVLinkBw}
     * (NVIDIA/nccl v2.30.7-1, src/graph/topo.h:19-24, 274-282): SM100 40.1, SM90 20.6, SM86 12, SM80 20,
     * SM70 20, SM60 18.
     */
    public static double nvlinkGBps(int compCap) {
        return compCap >= 100 ? 40.1 : compCap >= 90 ? 20.6 : compCap == 86 ? 12.0 : compCap >= 80 ? 20.0
                : compCap >= 70 ? 20.0 : compCap >= 60 ? 18.0 : 20.0;
    }

    /**
     * An HGX/DGX-style node: NVSwitch with 18 NVLinks per GPU, one PCIe Gen5 x16 (48) GPU-NIC path.
     *
     * @param nNodes      nodes
     * @param compCap     90 (H100) or 100 (B200, 18 x 40.1)
     * @param nicsPerNode NICs per node
     * @param nicGBps     NIC speed in NCCL units (50 = 400G, 100 = 800G)
     */
    public static NcclMachine hgx(int nNodes, int compCap, int nicsPerNode, double nicGBps) {
        return new NcclMachine(8, nNodes, compCap, nicsPerNode, nicGBps, 48.0, 18 * nvlinkGBps(compCap), true,
                CpuVendor.INTEL);
    }

    /** @return the ranks of the communicator, {@code gpusPerNode * nNodes} */
    public int nRanks() {
        return gpusPerNode * nNodes;
    }
}

package io.collemu.collectives.nccl;

/**
 * NCCL's path types between two topology nodes, in NCCL's order (a larger id is a worse path), as
 * {@code PATH_LOC .. PATH_DIS} in NVIDIA/nccl v2.30.7-1, src/include/graph.h:117-154, printed as in
 * src/graph/topo.cc:34. Note that in this release {@link #P2C} (6) comes before {@link #PXN} (7).
 *
 * <p>Stateless enum; thread-safe.
 */
public enum PathType {
    /** Local: a node to itself. */
    LOC,
    /** Through NVLink (directly or via NVSwitch). */
    NVL,
    /** Through NVLink using an intermediate GPU. */
    NVB,
    /** Through a chip-to-chip link (Grace). */
    C2C,
    /** Through at most one PCIe bridge (GPU and NIC behind the same PCIe switch). */
    PIX,
    /** Through several PCIe bridges, not through the host bridge. */
    PXB,
    /** GPU to NIC through C2C to the CPU, then PCIe. */
    P2C,
    /** GPU to NIC through an intermediate GPU over NVLink (PCI x NVLink, "PXN"). */
    PXN,
    /** Through PCIe and a PCIe host bridge (the CPU). */
    PHB,
    /** Through PCIe and the SMP interconnect between NUMA nodes. */
    SYS,
    /** Through the network. */
    NET,
    /** Disconnected. */
    DIS;

    /** @return NCCL's numeric id ({@code PATH_LOC} = 0 .. {@code PATH_DIS} = 11) */
    public int id() {
        return ordinal();
    }

    /** @return the path type with NCCL id {@code id} */
    public static PathType fromId(int id) {
        PathType[] all = values();
        if (id < 0 || id >= all.length) {
            throw new IllegalArgumentException("path type id must be 0.." + (all.length - 1) + ", got " + id);
        }
        return all[id];
    }

    /** @return true when this path is no worse than {@code other} ({@code id() <= other.id()}) */
    public boolean atMost(PathType other) {
        return ordinal() <= other.ordinal();
    }
}

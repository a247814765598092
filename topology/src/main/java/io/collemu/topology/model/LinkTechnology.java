package io.collemu.topology.model;

/**
 * The physical technology of one link end. Optical ends ({@link #DSP_PLUGGABLE}, {@link #LPO}, {@link #CPO})
 * are counted as transceivers or CPO ports by the inventory; {@link #NVLINK} and {@link #ELECTRICAL} ends are
 * copper and carry no optics power.
 */
public enum LinkTechnology {
    DSP_PLUGGABLE,
    LPO,
    CPO,
    NVLINK,
    ELECTRICAL;

    /**
     * Payload bytes per wire byte when a link of this technology carries collective traffic, unless a link model
     * says otherwise ({@code dataEfficiency}):
     * <ul>
     *   <li>NVLink: 0.824, NCCL's own figure for one H100 NVLink (20.6 of 25 GB/s, NVIDIA/nccl v2.30.7-1
     *       src/graph/topo.h SM90_NVLINK_BW), which matches the ~370 of 450 GB/s busbw NCCL reaches on 8 H100
     *       (nccl-tests#212, maintainer: "protocol overhead (~20%)"). No flit format is published.</li>
     *   <li>Optical and electrical NIC links: 0.9804, RoCEv2 at a 4096-byte MTU: per packet 82 bytes of
     *       preamble 8, inter-frame gap 12, Ethernet 14 + FCS 4, IPv4 20, UDP 8, InfiniBand BTH 12 and ICRC 4
     *       (Linux rdma-core ib_pack.h), 4096 / (4096 + 82) = 0.9804 (assumed: RoCEv2; InfiniBand NDR with
     *       LRH 8, BTH 12, ICRC 4, VCRC 2 is 0.9937, set it per link model).</li>
     * </ul>
     */
    public double defaultDataEfficiency() {
        return this == NVLINK ? 0.824 : 0.9804;
    }

    /** True for ends that hold optics (a pluggable module or a co-packaged optical engine). */
    public boolean isOptical() {
        return this == DSP_PLUGGABLE || this == LPO || this == CPO;
    }
}

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

    /**
     * Link flaps (down, then up by itself) per end-hour:
     * <ul>
     *   <li>DSP pluggables and LPO: 3.75e-6, half of 7.5e-6 per link-hour, the fleet projection "a link flap every
     *       48 seconds" over more than 10 million optical links (Borrill, arXiv:2603.03736 [S]); LPO has the same
     *       optics, assumed the same.</li>
     *   <li>CPO: 3.75e-7, a tenth (NVIDIA's "10x resiliency" for co-packaged optics [P]); consistent with Broadcom
     *       and Meta's one million flap-free device-hours on Bailly CPO (rule of three: under 3e-6 at 95% [P]).</li>
     *   <li>NVLink and copper: 1e-7, assumed (no optics; the same as their hard failure presets).</li>
     * </ul>
     */
    public double flapsPerEndHour() {
        return switch (this) {
            case DSP_PLUGGABLE, LPO -> 3.75e-6;
            case CPO -> 3.75e-7;
            default -> 1e-7;
        };
    }

    /**
     * How long a flap keeps the link down, in seconds: 2 s for an Ethernet link (PCS and FEC re-lock and link
     * training; assumed, no vendor figure is published), 1 s for NVLink (assumed).
     */
    public double flapDownSeconds() {
        return this == NVLINK ? 1 : 2;
    }

    /** True for ends that hold optics (a pluggable module or a co-packaged optical engine). */
    public boolean isOptical() {
        return this == DSP_PLUGGABLE || this == LPO || this == CPO;
    }
}

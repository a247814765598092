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

    /** True for ends that hold optics (a pluggable module or a co-packaged optical engine). */
    public boolean isOptical() {
        return this == DSP_PLUGGABLE || this == LPO || this == CPO;
    }
}

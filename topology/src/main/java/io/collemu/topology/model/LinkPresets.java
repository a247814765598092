package io.collemu.topology.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in link-model presets, one per link END (see {@link LinkModel}). Figures and sources come from
 * {@code shared/reference/link-presets.md}: [V] vendor or standard, [P] press quoting a vendor, [S] secondary;
 * "assumed" marks values no public source pins down.
 *
 * <p><b>Power split (assumed, all optical presets).</b> Sources give one figure: module (or CPO port) power at
 * full load, P. Optics draw most of it whether or not data moves (lasers, DSP and driver bias run continuously),
 * so each preset takes {@value #ASSUMED_STATIC_FRACTION} of P as {@code idleWatts} and the rest as dynamic
 * {@code pjPerBit} at line rate; full-load power {@link LinkModel#loadedWatts()} equals the sourced P, and
 * {@link LinkModel#pjPerBitAtFullLoad()} equals the sourced pJ/bit.
 *
 * <p><b>Common latency figures.</b> Host FEC RS(544,514) ~100 ns per link (range 50-120) [S] for every optical
 * preset (LPO: host FEC per the LPO MSA [V]; CPO: same, assumed); fibre propagation 5 ns/m. Pre-FEC BER limit
 * (KP4) is 2.4e-4 [V IEEE 802.3cm]; the presets carry the <i>typical</i> pre-FEC BER, which is assumed.
 *
 * <p><b>NVLink</b> ({@link #NVLINK4}, {@link #NVLINK5}) is electrical (copper) inside a server or rack: it has no
 * optics, so 0 pJ/bit and 0 W optics power; its PHY latency, BER and failure rate are assumed.
 *
 * <p>Thread-safe: immutable after class initialisation.
 */
public final class LinkPresets {

    /** Share of a module's full-load power drawn even when idle; assumed (no public source gives the split). */
    public static final double ASSUMED_STATIC_FRACTION = 0.7;

    private static final long NS = 1_000L;
    private static final long FIBRE_PS_PER_METRE = 5 * NS;
    private static final long HOST_FEC_PS = 100 * NS;
    /** Default cable length of an optical preset: a GPU-to-leaf run (assumed); builders set each tier's. */
    private static final double DEFAULT_OPTICAL_CABLE_METRES = 3.0;

    /**
     * 400G DSP pluggable (ConnectX-7 class NIC port). Power 8.5 W, assumed: the 800G module's ~21 pJ/bit
     * [V NVIDIA MMS4X00] applied to 400G. PHY 25 ns per end assumed (sources range 10-100 ns); typical
     * pre-FEC BER 1e-8 assumed; 1.5e-6 hard failures per end-hour (MTBF 0.5-1 M h, Meta field data [S]).
     */
    public static final LinkModel PLUGGABLE_DSP_400G = optical("pluggable-dsp-400g", LinkTechnology.DSP_PLUGGABLE,
            400e9, 25 * NS, 8.5, 1e-8, 1.5e-6);

    /**
     * 800G DSP pluggable: 17 W per module, ~21 pJ/bit [V NVIDIA MMS4X00 docs]. PHY 25 ns per end assumed
     * (10-100 ns in sources); typical pre-FEC BER 1e-8 assumed; 1.5e-6 hard failures per end-hour
     * (MTBF 0.5-1 M h, Meta field data as reported [S]).
     */
    public static final LinkModel PLUGGABLE_DSP_800G = optical("pluggable-dsp-800g", LinkTechnology.DSP_PLUGGABLE,
            800e9, 25 * NS, 17.0, 1e-8, 1.5e-6);

    /**
     * 1.6T DSP pluggable: 30 W per module, ~18.75 pJ/bit [P NVIDIA at Hot Chips 2025]. PHY 25 ns per end assumed;
     * pre-FEC BER 1e-8 assumed; 1.5e-6 hard failures per end-hour [S Meta field data].
     */
    public static final LinkModel PLUGGABLE_DSP_1_6T = optical("pluggable-dsp-1.6t", LinkTechnology.DSP_PLUGGABLE,
            1.6e12, 25 * NS, 30.0, 1e-8, 1.5e-6);

    /**
     * 800G linear pluggable optics (no DSP): 8.5 W (~10.6 pJ/bit; 8-9 W modules [S]). PHY 3 ns per end (2-5 ns,
     * no DSP [S]); pre-FEC BER 1e-7 assumed; 5e-7 hard failures per end-hour (Broadcom: 3x the MTTF of DSP
     * pluggables [P]; range 3-7e-7).
     */
    public static final LinkModel LPO_800G = optical("lpo-800g", LinkTechnology.LPO,
            800e9, 3 * NS, 8.5, 1e-7, 5e-7);

    /**
     * 1.6T linear pluggable optics: 17 W, assumed (the 800G LPO ~10.6 pJ/bit [S] at 1.6T). PHY 3 ns per end [S];
     * pre-FEC BER 1e-7 assumed; 5e-7 hard failures per end-hour [P Broadcom 3x MTTF].
     */
    public static final LinkModel LPO_1_6T = optical("lpo-1.6t", LinkTechnology.LPO,
            1.6e12, 3 * NS, 17.0, 1e-7, 5e-7);

    /**
     * 800G co-packaged optics port: 4.5 W, assumed (the 1.6T CPO ~5.6 pJ/bit [P NVIDIA] at 800G). PHY 5 ns per
     * end (Ayar Labs 5 ns per chiplet [V]; Intel OCI &lt;10 ns [S]); pre-FEC BER 1e-9 assumed; 3.8e-7 hard
     * failures per end-hour (MTBF ~2.6 M h [S]).
     */
    public static final LinkModel CPO_800G = optical("cpo-800g", LinkTechnology.CPO,
            800e9, 5 * NS, 4.5, 1e-9, 3.8e-7);

    /**
     * 1.6T co-packaged optics port: 9 W per port = 2 W laser + 7 W engine, ~5.6 pJ/bit [P NVIDIA]. PHY 5 ns per
     * end [V Ayar Labs]; pre-FEC BER 1e-9 assumed; 3.8e-7 hard failures per end-hour (MTBF ~2.6 M h [S]).
     */
    public static final LinkModel CPO_1_6T = optical("cpo-1.6t", LinkTechnology.CPO,
            1.6e12, 5 * NS, 9.0, 1e-9, 3.8e-7);

    /**
     * 3.2T co-packaged optics port (announced, not shipping): 18 W, assumed (the 1.6T CPO ~5.6 pJ/bit [P NVIDIA]
     * at 3.2T). PHY 5 ns per end [V Ayar Labs]; pre-FEC BER 1e-9 assumed; 3.8e-7 failures per end-hour [S].
     */
    public static final LinkModel CPO_3_2T = optical("cpo-3.2t", LinkTechnology.CPO,
            3.2e12, 5 * NS, 18.0, 1e-9, 3.8e-7);

    /**
     * NVLink 4 (H100): 900 GB/s per GPU both directions, so 450 GB/s = 3.6 Tb/s each way [V NVIDIA]. Copper,
     * no optics (0 W). PHY 10 ns per end assumed; no separate FEC term (assumed: counted in the PHY figure);
     * 1 m cable; pre-FEC BER 1e-12 assumed; 1e-7 hard failures per end-hour assumed.
     */
    public static final LinkModel NVLINK4 = nvlink("nvlink4", 3.6e12);

    /**
     * NVLink 5 (B200/GB200): 1.8 TB/s per GPU both directions, so 900 GB/s = 7.2 Tb/s each way [V NVIDIA].
     * Copper, no optics (0 W). PHY 10 ns per end, no separate FEC, BER 1e-12 and 1e-7 failures per end-hour,
     * all assumed as for {@link #NVLINK4}.
     */
    public static final LinkModel NVLINK5 = nvlink("nvlink5", 7.2e12);

    /** NVLink 4 payload per wire byte: NCCL's 20.6 of 25 GB/s per H100 link (see LinkTechnology). */
    static final double NVLINK4_EFFICIENCY = 0.824;
    /** NVLink 5 payload per wire byte: NCCL's SM100 40.1 of 50 GB/s per link (nccl v2.30.7-1 topo.h). */
    static final double NVLINK5_EFFICIENCY = 0.802;

    private static final Map<String, LinkModel> BY_NAME;

    static {
        Map<String, LinkModel> m = new LinkedHashMap<>();
        for (LinkModel p : List.of(PLUGGABLE_DSP_400G, PLUGGABLE_DSP_800G, PLUGGABLE_DSP_1_6T, LPO_800G, LPO_1_6T,
                CPO_800G, CPO_1_6T, CPO_3_2T, NVLINK4, NVLINK5)) {
            m.put(p.name(), p);
        }
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private LinkPresets() {
    }

    /** The preset of that name; a {@link TopologyException} naming it and listing the known ones otherwise. */
    public static LinkModel get(String name) {
        LinkModel m = name == null ? null : BY_NAME.get(name);
        if (m == null) {
            throw new TopologyException("unknown link model '" + name + "' (known: " + String.join(", ", names())
                    + ")", "link");
        }
        return m;
    }

    /** Whether a preset of that name exists. */
    public static boolean exists(String name) {
        return BY_NAME.containsKey(name);
    }

    /** All presets, in a stable order (pluggables, LPO, CPO, NVLink). */
    public static List<LinkModel> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The preset names, in the order of {@link #all()}. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    private static LinkModel optical(String name, LinkTechnology tech, double rateBps, long phyPs,
            double fullLoadWatts, double preFecBer, double failuresPerEndHour) {
        double idle = fullLoadWatts * ASSUMED_STATIC_FRACTION;
        double pj = (fullLoadWatts - idle) / (rateBps * 1e-12);
        return new LinkModel(name, tech, (long) rateBps, phyPs, HOST_FEC_PS, FIBRE_PS_PER_METRE,
                DEFAULT_OPTICAL_CABLE_METRES, pj, idle, preFecBer, failuresPerEndHour, tech.defaultDataEfficiency());
    }

    private static LinkModel nvlink(String name, double rateBps) {
        return new LinkModel(name, LinkTechnology.NVLINK, (long) rateBps, 10 * NS, 0, FIBRE_PS_PER_METRE,
                1.0, 0.0, 0.0, 1e-12, 1e-7, name.equals("nvlink5") ? NVLINK5_EFFICIENCY : NVLINK4_EFFICIENCY);
    }
}

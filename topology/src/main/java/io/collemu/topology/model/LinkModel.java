package io.collemu.topology.model;

import java.util.Objects;

/**
 * One link END: the module (or CPO port, or NVLink PHY) at one side of a cable, and the parts of the link's
 * latency and power that belong to it. A cable has two ends, which may differ (a hybrid NIC-to-CPO-switch
 * cable has a DSP pluggable at the NIC and a CPO port at the switch).
 *
 * <p>Units: rate in bits per second one way; latencies in picoseconds; propagation in picoseconds per metre of
 * cable; power as {@code idleWatts} (drawn whether or not data moves) plus {@code pjPerBit} (dynamic energy per
 * bit carried). The power model of one end: {@code watts(load) = idleWatts + pjPerBit * rateBps * 1e-12 * load}
 * with load in [0,1], so at full load {@link #loadedWatts()}. {@code preFecBer} is the typical pre-FEC bit error
 * ratio, {@code hardFailuresPerEndHour} the rate of hard failures of this end. {@code dataEfficiency} is the
 * payload carried per byte on the wire once the link's protocol framing is paid (packet headers, CRCs, the
 * inter-frame gap; NVLink's flit overhead), used by the nccl fidelity mode; the rate is the MAC data rate, so line
 * coding and FEC are already outside it (IEEE 802.3 rates are MAC rates).
 *
 * <p>How a cable's latency is assembled (see {@link Topology#portLinkLatencyPs(int)}): PHY of both ends, plus one
 * FEC decode per link (the larger of the two ends' figures), plus propagation (the larger per-metre figure)
 * times the cable length. {@code cableMetres} here is only a default; builders and explicit graphs set the
 * length of each cable.
 *
 * <p>Immutable value; thread-safe.
 */
public record LinkModel(String name, LinkTechnology technology, long rateBps, long phyLatencyPs,
        long fecLatencyPs, long propagationPsPerMetre, double cableMetres, double pjPerBit, double idleWatts,
        double preFecBer, double hardFailuresPerEndHour, double dataEfficiency) {
    /**
     * Slowest link: 1 Mb/s. Below that a 64 KiB segment takes over half a second to serialize and the engines'
     * rate arithmetic (Mb/s) loses its exactness; no fabric link is that slow.
     */
    public static final long MIN_RATE_BPS = 1_000_000L;
    /** Fastest link: 10 Pb/s, far beyond any lane count of today's optics. */
    public static final long MAX_RATE_BPS = 10_000_000_000_000_000L;
    /** Longest PHY or FEC latency of one link end: 1 s, so that a link's latency sum cannot overflow. */
    public static final long MAX_LATENCY_PS = 1_000_000_000_000L;
    /** Slowest propagation: 1 us per metre (fibre is 5 ns/m, copper about 4.5 ns/m). */
    public static final long MAX_PROPAGATION_PS_PER_METRE = 1_000_000L;
    /** Longest cable: 1000 km (a metro link); with {@link #MAX_PROPAGATION_PS_PER_METRE} at most 1 s. */
    public static final double MAX_CABLE_METRES = 1e6;

    public LinkModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(technology, "technology");
        if (name.isBlank()) {
            throw new TopologyException("link model name must not be blank", "name");
        }
        Ids.require(name, "name");
        if (rateBps < MIN_RATE_BPS || rateBps > MAX_RATE_BPS) {
            throw new TopologyException("link model '" + name + "': rate must be in " + MIN_RATE_BPS + ".."
                    + MAX_RATE_BPS + " bps (1 Mb/s to 10 Pb/s), got " + rateBps + " bps", "rateBps");
        }
        requireInRange(name, "phyLatencyPs", phyLatencyPs, MAX_LATENCY_PS);
        requireInRange(name, "fecLatencyPs", fecLatencyPs, MAX_LATENCY_PS);
        requireInRange(name, "propagationPsPerMetre", propagationPsPerMetre, MAX_PROPAGATION_PS_PER_METRE);
        requireInRange(name, "cableMetres", cableMetres, MAX_CABLE_METRES);
        requireNonNegative(name, "pjPerBit", pjPerBit);
        requireNonNegative(name, "idleWatts", idleWatts);
        requireNonNegative(name, "preFecBer", preFecBer);
        requireNonNegative(name, "hardFailuresPerEndHour", hardFailuresPerEndHour);
        if (!(dataEfficiency > 0 && dataEfficiency <= 1)) {
            throw new TopologyException("link model '" + name + "': dataEfficiency (payload bytes per wire byte) "
                    + "must be in (0, 1], got " + dataEfficiency, "dataEfficiency");
        }
        if (preFecBer > 1) {
            throw new TopologyException("link model '" + name + "': preFecBer must be at most 1, got " + preFecBer,
                    "preFecBer");
        }
    }

    private static void requireInRange(String name, String field, double value, double max) {
        if (!(value >= 0 && value <= max)) {
            throw new TopologyException("link model '" + name + "': " + field + " must be in 0.." + (long) max
                    + ", got " + value, field);
        }
    }

    private static void requireNonNegative(String name, String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new TopologyException("link model '" + name + "': " + field + " must be a finite number >= 0, got "
                    + value, field);
        }
    }

    /** This end with another data efficiency (payload bytes per wire byte). */
    public LinkModel withDataEfficiency(double v) {
        return new LinkModel(name, technology, rateBps, phyLatencyPs, fecLatencyPs, propagationPsPerMetre,
                cableMetres, pjPerBit, idleWatts, preFecBer, hardFailuresPerEndHour, v);
    }

    /** Power of this end at full load: idle power plus dynamic energy per bit at line rate. */
    public double loadedWatts() {
        return idleWatts + pjPerBit * rateBps * 1e-12;
    }

    /** Energy per bit at full load, idle power included: the figure vendors quote as "pJ/bit". */
    public double pjPerBitAtFullLoad() {
        return loadedWatts() / (rateBps * 1e-12);
    }

    /** True when this end holds optics (a pluggable module or a CPO port). */
    public boolean isOptical() {
        return technology.isOptical();
    }

    public LinkModel withName(String v) {
        return new LinkModel(v, technology, rateBps, phyLatencyPs, fecLatencyPs, propagationPsPerMetre,
                cableMetres, pjPerBit, idleWatts, preFecBer, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withTechnology(LinkTechnology v) {
        return new LinkModel(name, v, rateBps, phyLatencyPs, fecLatencyPs, propagationPsPerMetre,
                cableMetres, pjPerBit, idleWatts, preFecBer, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withRateBps(long v) {
        return new LinkModel(name, technology, v, phyLatencyPs, fecLatencyPs, propagationPsPerMetre,
                cableMetres, pjPerBit, idleWatts, preFecBer, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withPhyLatencyPs(long v) {
        return new LinkModel(name, technology, rateBps, v, fecLatencyPs, propagationPsPerMetre,
                cableMetres, pjPerBit, idleWatts, preFecBer, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withFecLatencyPs(long v) {
        return new LinkModel(name, technology, rateBps, phyLatencyPs, v, propagationPsPerMetre,
                cableMetres, pjPerBit, idleWatts, preFecBer, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withPropagationPsPerMetre(long v) {
        return new LinkModel(name, technology, rateBps, phyLatencyPs, fecLatencyPs, v,
                cableMetres, pjPerBit, idleWatts, preFecBer, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withCableMetres(double v) {
        return new LinkModel(name, technology, rateBps, phyLatencyPs, fecLatencyPs, propagationPsPerMetre,
                v, pjPerBit, idleWatts, preFecBer, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withPjPerBit(double v) {
        return new LinkModel(name, technology, rateBps, phyLatencyPs, fecLatencyPs, propagationPsPerMetre,
                cableMetres, v, idleWatts, preFecBer, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withIdleWatts(double v) {
        return new LinkModel(name, technology, rateBps, phyLatencyPs, fecLatencyPs, propagationPsPerMetre,
                cableMetres, pjPerBit, v, preFecBer, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withPreFecBer(double v) {
        return new LinkModel(name, technology, rateBps, phyLatencyPs, fecLatencyPs, propagationPsPerMetre,
                cableMetres, pjPerBit, idleWatts, v, hardFailuresPerEndHour, dataEfficiency);
    }

    public LinkModel withHardFailuresPerEndHour(double v) {
        return new LinkModel(name, technology, rateBps, phyLatencyPs, fecLatencyPs, propagationPsPerMetre,
                cableMetres, pjPerBit, idleWatts, preFecBer, v, dataEfficiency);
    }
}

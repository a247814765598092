package io.collemu.node.run;

import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prices and rates of the cost tables: capital cost per optical end (a pluggable module or a CPO port, with its
 * share of laser modules) and per switch, energy at a price per kWh and a PUE, lost GPU-hours at a price per
 * GPU-hour, the flap rate per link end, and the equipment lifetime over which capital is spread. Every default is
 * marked assumed in the outputs unless a user overrides it; the sources are those of the project's research notes:
 * <ul>
 *   <li>800G DSP pluggable $1,000 (OSFP DR8 $1,100-1,400 at volume, SR8 $799-999 [S]); 800G LPO $800 ($700-900 [S]);
 *       1.6T DSP $2,000 and 1.6T LPO $1,600 (assumed: twice the 800G module, the same $/Gb); 400G DSP $500
 *       (assumed: half the 800G module).</li>
 *   <li>CPO per port, with its share of external laser modules: $600 at 800G, $1,100 at 1.6T, $2,000 at 3.2T
 *       (assumed: below LPO, no module shell, DSP or connector; no public price).</li>
 *   <li>A switch (no optics): $200,000 for 51.2 Tb/s (64 x 800G, TH5 / Spectrum-4 class, $150-250k [S]), $350,000
 *       for 102.4 Tb/s (assumed: 1.75 x); other capacities pro rata at the 51.2T price per Tb/s (assumed). NVSwitches
 *       are part of the server and not counted.</li>
 *   <li>GPU-hour: H100 $2.50, B200 $5.00 (assumed: between one-year contracts and specialty on-demand prices [S]).
 *       Electricity $0.08 per kWh (EIA US industrial 2023 [V]), PUE 1.3 (assumed: a new AI facility; Uptime's
 *       average is 1.56). Lifetime 4 years (assumed).</li>
 * </ul>
 *
 * @param overridden the keys a user set (the rest are assumed)
 */
public record CostModel(Map<String, Double> endPrice, double switchPricePer51T, double switchPrice102T,
        double gpuHourPrice, double kwhPrice, double pue, double lifetimeYears, Map<String, Double> flapsPerEndHour,
        Map<String, Double> failuresPerEndHour, Set<String> overridden) {

    /** The defaults for a fabric whose GPUs cost {@code gpuHourPrice} an hour. */
    public static CostModel defaults(double gpuHourPrice) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("pluggable-dsp-400g", 500.0);
        p.put("pluggable-dsp-800g", 1_000.0);
        p.put("pluggable-dsp-1.6t", 2_000.0);
        p.put("lpo-800g", 800.0);
        p.put("lpo-1.6t", 1_600.0);
        p.put("cpo-800g", 600.0);
        p.put("cpo-1.6t", 1_100.0);
        p.put("cpo-3.2t", 2_000.0);
        return new CostModel(p, 200_000, 350_000, gpuHourPrice, 0.08, 1.3, 4, Map.of(), Map.of(), Set.of());
    }

    /** @throws UserError naming the key if a price or rate is negative or not a number */
    public CostModel {
        endPrice = Map.copyOf(endPrice);
        flapsPerEndHour = Map.copyOf(flapsPerEndHour);
        failuresPerEndHour = Map.copyOf(failuresPerEndHour);
        overridden = Set.copyOf(overridden);
        for (var e : endPrice.entrySet()) {
            nonNegative("prices." + e.getKey(), e.getValue());
        }
        nonNegative("switch51T", switchPricePer51T);
        nonNegative("switch102T", switchPrice102T);
        nonNegative("gpuHour", gpuHourPrice);
        nonNegative("kwh", kwhPrice);
        if (!(pue >= 1 && pue <= 5)) {
            throw new UserError("costs: pue " + pue + " is out of range 1..5");
        }
        if (!(lifetimeYears > 0 && lifetimeYears <= 50)) {
            throw new UserError("costs: lifetimeYears " + lifetimeYears + " is out of range (0, 50]");
        }
        for (var e : flapsPerEndHour.entrySet()) {
            nonNegative("flapsPerEndHour." + e.getKey(), e.getValue());
        }
        for (var e : failuresPerEndHour.entrySet()) {
            nonNegative("failuresPerEndHour." + e.getKey(), e.getValue());
        }
    }

    private static void nonNegative(String key, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new UserError("costs: " + key + " must be a finite number >= 0, got " + v);
        }
    }

    /** "assumed" unless the user set {@code key}. */
    public String basis(String key) {
        return overridden.contains(key) ? "given" : "assumed";
    }

    /** Hard failures per end-hour of a link end: the user's override for its preset, else the preset's. */
    public double failures(LinkModel end) {
        return failuresPerEndHour.getOrDefault(end.name(), end.hardFailuresPerEndHour());
    }

    /** Flaps per end-hour of a link end: the user's override for its preset, else its technology's. */
    public double flaps(LinkModel end) {
        return flapsPerEndHour.getOrDefault(end.name(), end.technology().flapsPerEndHour());
    }

    /** Capital cost of one optical end of {@code m}: its preset's price, else by $/Gb of its technology's 800G. */
    public double endPrice(LinkModel m) {
        Double p = endPrice.get(m.name());
        if (p != null) {
            return p;
        }
        String base = switch (m.technology()) {
            case LPO -> "lpo-800g";
            case CPO -> "cpo-800g";
            default -> "pluggable-dsp-800g";
        };
        return endPrice.getOrDefault(base, 0.0) * m.rateBps() / 800e9;
    }

    /** A switch's price from its capacity (radix x port rate). */
    public double switchPrice(double capacityBps) {
        if (Math.abs(capacityBps - 102.4e12) < 1e9) {
            return switchPrice102T;
        }
        return switchPricePer51T * capacityBps / 51.2e12;
    }

    /**
     * Capital cost of a fabric's network.
     *
     * @param optics   optical ends (modules, CPO ports)
     * @param switches network switches (not NVSwitches)
     */
    public record Capex(double optics, double switches) {
        public double total() {
            return optics + switches;
        }
    }

    /** The capital cost of {@code t}'s optics and network switches. */
    public Capex capex(Topology t) {
        double optics = 0;
        for (int p = 0; p < t.portCount(); p++) {
            LinkModel near = t.portNearEnd(p);
            if (near.technology().isOptical()) {
                optics += endPrice(near); // each end is the near end of one port
            }
        }
        double switches = 0;
        for (int n = 0; n < t.nodeCount(); n++) {
            if (t.nodeKind(n) != NodeKind.SWITCH || isScaleUp(t, n)) {
                continue;
            }
            double cap = 0;
            for (int i = 0; i < t.portCountOf(n); i++) {
                cap += t.portRateBps(t.portOf(n, i));
            }
            // price by the switch's radix at its fastest port, as a catalogue does
            long fastest = 0;
            for (int i = 0; i < t.portCountOf(n); i++) {
                fastest = Math.max(fastest, t.portRateBps(t.portOf(n, i)));
            }
            switches += switchPrice(Math.max(cap, (double) t.radix(n) * fastest));
        }
        return new Capex(optics, switches);
    }

    private static boolean isScaleUp(Topology t, int node) {
        for (int i = 0; i < t.portCountOf(node); i++) {
            if (t.portNearEnd(t.portOf(node, i)).technology() == LinkTechnology.NVLINK) {
                return true;
            }
        }
        return false;
    }

    /** Dollars of {@code watts} of optics over {@code hours}, with the facility's PUE. */
    public double energyDollars(double watts, double hours) {
        return watts * pue * hours / 1000 * kwhPrice;
    }

    /** The cost table's rows for one link model: what each line is and whether it is assumed. */
    public List<String> assumptions() {
        TreeSet<String> a = new TreeSet<>();
        for (String k : List.of("prices", "switch51T", "switch102T", "gpuHour", "kwh", "pue", "lifetimeYears")) {
            if (!overridden.contains(k)) {
                a.add(k);
            }
        }
        return List.copyOf(a);
    }
}

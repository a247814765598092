package io.collemu.topology.inventory;

import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.LinkPresets;
import java.util.Locale;

/**
 * The text table of link-model presets that {@code collemu topology presets} prints: one row per link END,
 * full-load power and the vendor-style pJ/bit (idle included) beside the idle/dynamic split the emulator uses.
 * Stateless; thread-safe.
 */
public final class PresetTable {
    private PresetTable() {
    }

    /** The table, with a header and a footnote on units and assumptions; no trailing newline. */
    public static String render() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-19s %-13s %7s %8s %7s %8s %7s %7s %7s %8s %8s %8s %9s %6s%n";
        sb.append(String.format(Locale.ROOT, fmt, "preset", "technology", "Gb/s", "PHY ns", "FEC ns", "ns/m",
                "cable m", "idle W", "full W", "pJ/b@100", "dyn pJ/b", "preFEC", "fail/end-h", "data"));
        for (LinkModel m : LinkPresets.all()) {
            sb.append(String.format(Locale.ROOT, fmt, m.name(), m.technology().name().toLowerCase(Locale.ROOT),
                    num(m.rateBps() / 1e9), num(m.phyLatencyPs() / 1e3), num(m.fecLatencyPs() / 1e3),
                    num(m.propagationPsPerMetre() / 1e3), num(m.cableMetres()), num(m.idleWatts()),
                    num(m.loadedWatts()), num(m.pjPerBitAtFullLoad()), num(m.pjPerBit()), sci(m.preFecBer()),
                    sci(m.hardFailuresPerEndHour()), num(m.dataEfficiency())));
        }
        sb.append("Per link end. PHY per end; FEC once per link; propagation x cable length. Full-load power ="
                + " idle W + dyn pJ/b x rate; idle share " + (int) (LinkPresets.ASSUMED_STATIC_FRACTION * 100)
                + "% of the sourced module power (assumed). NVLink is copper: no optics power. data = payload bytes per"
                + " wire byte in the nccl mode (RoCEv2 framing at 4 KiB MTU, assumed; NVLink: NCCL's 20.6/25).");
        return sb.toString().replace(System.lineSeparator(), "\n");
    }

    private static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e9) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static String sci(double d) {
        return d == 0 ? "0" : String.format(Locale.ROOT, "%.1e", d);
    }
}

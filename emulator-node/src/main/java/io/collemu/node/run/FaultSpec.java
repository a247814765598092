package io.collemu.node.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One fault as the user wrote it, parsed but not yet resolved against a fabric (that is {@link FaultPlans}).
 * Written as {@code --fault KIND,key=value,...} or as one entry of a faults file's {@code faults:} list with the
 * same keys:
 *
 * <pre>
 *   link-down   link=A/B[#k] | port=NODE:i   at=TIME  [end=A]            for good (from at on)
 *   link-flap   link=... | port=...          at=TIME  for=DURATION [end=A]
 *   switch-down switch=NAME                  at=TIME  [for=DURATION]     every link of the switch
 *   ber         link=... | port=... | preset=NAME | all   ber=PROBABILITY [end=A]
 * </pre>
 *
 * {@code A/B} is the cable between nodes A and B ({@code #k}: the k-th of parallel cables, from 0), {@code port} a
 * node's k-th port and its cable; {@code end=A} takes only the direction A transmits on (a one-way failure, or the
 * bit errors of the receiver at B); without it both directions. Times count from the start of each sweep step (or
 * of the profile), with units ps, ns, us, ms or s.
 *
 * @param origin where it was written, for error messages ({@code --fault #2}, {@code faults.yaml:7})
 */
public record FaultSpec(String kind, String link, String port, String end, String switchName, String preset,
        boolean all, long atPs, long durationPs, double ber, String origin) {

    /** The kinds, as written. */
    public static final List<String> KINDS = List.of("link-down", "link-flap", "switch-down", "ber");

    /** @throws UserError naming the origin and the key if the fault is incomplete or out of range */
    public FaultSpec {
        String where = origin + ": ";
        if (!KINDS.contains(kind)) {
            throw new UserError(where + "unknown fault kind '" + kind + "' (one of " + String.join(", ", KINDS) + ")");
        }
        int targets = (link != null ? 1 : 0) + (port != null ? 1 : 0) + (switchName != null ? 1 : 0)
                + (preset != null ? 1 : 0) + (all ? 1 : 0);
        if (targets != 1) {
            throw new UserError(where + kind + " needs exactly one target: "
                    + (kind.equals("switch-down") ? "switch=NAME" : kind.equals("ber")
                            ? "link=A/B, port=NODE:i, preset=NAME or all" : "link=A/B or port=NODE:i"));
        }
        if (kind.equals("switch-down") != (switchName != null)) {
            throw new UserError(where + (switchName != null ? kind + " takes a link, not switch="
                    : "switch-down takes switch=NAME"));
        }
        if (!kind.equals("ber") && (preset != null || all)) {
            throw new UserError(where + kind + " takes link= or port=; preset= and all are for ber");
        }
        if (atPs < 0) {
            throw new UserError(where + "at=" + atPs / 1e6 + "us is in the past: times count from 0, the start of each"
                    + " step");
        }
        if (kind.equals("link-flap") && durationPs <= 0) {
            throw new UserError(where + "link-flap needs for=DURATION > 0");
        }
        if (durationPs < 0) {
            throw new UserError(where + "for= must not be negative");
        }
        if (kind.equals("ber")) {
            if (!(ber >= 0 && ber <= 1)) {
                throw new UserError(where + "ber=" + ber + " is not a probability in 0..1");
            }
        } else if (ber != 0) {
            throw new UserError(where + "ber= is only for kind ber");
        }
    }

    /**
     * Parses {@code --fault KIND,key=value,...}.
     *
     * @throws UserError naming the flag occurrence and the key
     */
    public static FaultSpec parse(String text, String origin) {
        String[] parts = text.split(",", -1);
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.equals("all")) {
                kv.put("all", "true");
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new UserError(origin + ": '" + p + "' is not key=value (in '" + text + "')");
            }
            String key = p.substring(0, eq).trim();
            if (kv.put(key, p.substring(eq + 1).trim()) != null) {
                throw new UserError(origin + ": key '" + key + "' given twice");
            }
        }
        return of(parts[0].trim().toLowerCase(Locale.ROOT), kv, origin);
    }

    /** The keys a fault may have. */
    public static final List<String> KEYS = List.of("kind", "link", "port", "end", "switch", "preset", "all", "at",
            "for", "ber");

    /**
     * A fault from its kind and keys (a flag's or a file entry's).
     *
     * @throws UserError naming the origin and the key
     */
    public static FaultSpec of(String kind, Map<String, String> kv, String origin) {
        for (String k : kv.keySet()) {
            if (!KEYS.contains(k) || k.equals("kind")) {
                throw new UserError(origin + ": unknown key '" + k + "' (keys: link, port, end, switch, preset, all, at,"
                        + " for, ber)");
            }
        }
        long at = kv.containsKey("at") ? Durations.parsePs(kv.get("at"), origin + ": at") : 0;
        if (!kind.equals("ber") && !kv.containsKey("at")) {
            throw new UserError(origin + ": " + kind + " needs at=TIME (e.g. at=1ms)");
        }
        long dur = kv.containsKey("for") ? Durations.parsePs(kv.get("for"), origin + ": for") : 0;
        double ber = 0;
        if (kv.containsKey("ber")) {
            try {
                ber = Double.parseDouble(kv.get("ber"));
            } catch (NumberFormatException e) {
                throw new UserError(origin + ": ber='" + kv.get("ber") + "' is not a number");
            }
        } else if (kind.equals("ber")) {
            throw new UserError(origin + ": ber needs ber=PROBABILITY (pre-FEC bit error ratio, e.g. ber=5e-4)");
        }
        boolean all = Boolean.parseBoolean(kv.getOrDefault("all", "false"));
        return new FaultSpec(kind, blankToNull(kv.get("link")), blankToNull(kv.get("port")),
                blankToNull(kv.get("end")), blankToNull(kv.get("switch")), blankToNull(kv.get("preset")), all, at, dur,
                ber, origin);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The fault written back as a {@code --fault} value. */
    public String text() {
        StringBuilder b = new StringBuilder(kind);
        if (link != null) {
            b.append(",link=").append(link);
        }
        if (port != null) {
            b.append(",port=").append(port);
        }
        if (switchName != null) {
            b.append(",switch=").append(switchName);
        }
        if (preset != null) {
            b.append(",preset=").append(preset);
        }
        if (all) {
            b.append(",all");
        }
        if (end != null) {
            b.append(",end=").append(end);
        }
        if (!kind.equals("ber")) {
            b.append(",at=").append(Durations.format(atPs));
        }
        if (durationPs > 0) {
            b.append(",for=").append(Durations.format(durationPs));
        }
        if (kind.equals("ber")) {
            b.append(",ber=").append(ber);
        }
        return b.toString();
    }
}

package io.collemu.node.run;

import java.util.Locale;

/** Times as users write them: a number with a unit (ps, ns, us, ms, s, min, h), or 0. Stateless. */
public final class Durations {
    /** The longest time a fault may be given at or for: one virtual day. */
    public static final long MAX_PS = 86_400L * 1_000_000_000_000L;

    private Durations() {
    }

    /**
     * Parses {@code 250us}, {@code 1.5ms}, {@code 2s}, {@code 0}.
     *
     * @param where names the flag or file:line:field in the error
     * @throws UserError if it is not a time, is negative, or is longer than a day
     */
    public static long parsePs(String text, String where) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit;
        String num;
        if (t.endsWith("min")) {
            unit = 60_000_000_000_000L;
            num = t.substring(0, t.length() - 3);
        } else if (t.endsWith("h")) {
            unit = 3_600_000_000_000_000L;
            num = t.substring(0, t.length() - 1);
        } else if (t.endsWith("ps")) {
            unit = 1;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ns")) {
            unit = 1_000;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            unit = 1_000_000;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ms")) {
            unit = 1_000_000_000;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1_000_000_000_000L;
            num = t.substring(0, t.length() - 1);
        } else if (t.equals("0")) {
            return 0;
        } else {
            throw new UserError(where + ": '" + text + "' is not a time (a number with ps, ns, us, ms, s, min or h, e.g. 1ms)");
        }
        double v;
        try {
            v = Double.parseDouble(num.trim());
        } catch (NumberFormatException e) {
            throw new UserError(where + ": '" + text + "' is not a time (a number with ps, ns, us, ms or s, e.g. 1ms)");
        }
        if (v < 0) {
            throw new UserError(where + ": '" + text + "' is negative");
        }
        if (!(v * unit <= MAX_PS)) {
            throw new UserError(where + ": '" + text + "' is longer than a day (86400s)");
        }
        return Math.round(v * unit);
    }

    /** A time in the largest unit that keeps it short: 1ms, 250us, 34.36s. */
    public static String format(long ps) {
        if (ps == 0) {
            return "0";
        }
        String[] units = {"s", "ms", "us", "ns"};
        long[] scale = {1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (ps >= scale[i]) {
                double v = (double) ps / scale[i];
                return (v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v)
                        .replaceAll("0+$", "").replaceAll("\\.$", "")) + units[i];
            }
        }
        return ps + "ps";
    }
}

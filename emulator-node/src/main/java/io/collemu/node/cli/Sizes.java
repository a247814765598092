package io.collemu.node.cli;

import io.collemu.node.run.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Byte sizes as nccl-tests users write them: {@code 64K}, {@code 1M}, {@code 8G} (powers of 1024), lists
 * {@code 1M,4M,16M}, and ranges {@code MIN:MAX:xF} (multiply) or {@code MIN:MAX:+STEP} (add), as
 * {@code -b 8 -e 8G -f 2} would give.
 */
public final class Sizes {
    /** The most sizes one sweep may have (nccl-tests' 8 B to 8 GiB by x2 is 31). */
    static final int MAX_STEPS = 1_024;

    private Sizes() {
    }

    /** Sizes from a list of sizes and ranges, in order; errors name {@code flag}. */
    public static List<Long> parseList(String text, String flag) {
        List<Long> out = new ArrayList<>();
        if (text.isBlank() || text.trim().equals(",")) {
            throw new UserError(flag + ": no size given (e.g. 1M:1G:x2 or 1M,64M)");
        }
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new UserError(flag + ": empty entry in '" + text + "'");
            }
            if (p.contains(":")) {
                out.addAll(parseRange(p, flag));
            } else {
                out.add(parse(p, flag));
            }
        }
        if (out.size() > MAX_STEPS) {
            throw new UserError(flag + ": " + out.size() + " sizes; a sweep has at most " + MAX_STEPS);
        }
        return out;
    }

    static List<Long> parseRange(String p, String flag) {
        String[] f = p.split(":");
        if (f.length != 3) {
            throw new UserError(flag + ": '" + p + "' is not MIN:MAX:xFACTOR or MIN:MAX:+STEP");
        }
        long min = parse(f[0], flag);
        long max = parse(f[1], flag);
        if (max < min) {
            throw new UserError(flag + ": range '" + p + "' ends below its start");
        }
        String step = f[2].trim().toLowerCase(Locale.ROOT);
        List<Long> out = new ArrayList<>();
        if (step.startsWith("x") || step.startsWith("*")) {
            long factor = parseCount(step.substring(1), flag, p);
            if (factor < 2) {
                throw new UserError(flag + ": factor in '" + p + "' must be at least 2");
            }
            for (long v = min; v <= max; v = Math.multiplyExact(v, factor)) {
                if (out.size() >= MAX_STEPS) {
                    throw new UserError(flag + ": range '" + p + "' has more than " + MAX_STEPS + " sizes");
                }
                out.add(v);
                if (v > Long.MAX_VALUE / factor) {
                    break;
                }
            }
        } else if (step.startsWith("+")) {
            long inc = parse(step.substring(1), flag);
            for (long v = min; v <= max; v += inc) {
                if (out.size() >= MAX_STEPS) {
                    throw new UserError(flag + ": range '" + p + "' has more than " + MAX_STEPS + " sizes");
                }
                out.add(v);
            }
        } else {
            throw new UserError(flag + ": step '" + f[2] + "' in '" + p + "' must be xFACTOR or +STEP");
        }
        return out;
    }

    private static long parseCount(String s, String flag, String whole) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new UserError(flag + ": '" + s + "' in '" + whole + "' is not a whole number");
        }
    }

    /** One size: digits with an optional K, M, G or T suffix (powers of 1024) and optional trailing B. */
    public static long parse(String text, String flag) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B") && s.length() > 1) {
            s = s.substring(0, s.length() - 1);
        }
        long mult = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> mult = 1L << 10;
                case 'M' -> mult = 1L << 20;
                case 'G' -> mult = 1L << 30;
                case 'T' -> mult = 1L << 40;
                default -> mult = 1;
            }
            if (mult > 1) {
                s = s.substring(0, s.length() - 1);
            }
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new UserError(flag + ": '" + text + "' is not a size (e.g. 4096, 64K, 1M, 8G)");
        }
        if (v <= 0) {
            throw new UserError(flag + ": size '" + text + "' must be positive");
        }
        try {
            return Math.multiplyExact(v, mult);
        } catch (ArithmeticException e) {
            throw new UserError(flag + ": size '" + text + "' is too large");
        }
    }

    /** 1048576 -> "1M", 1536 -> "1536", for labels. */
    public static String format(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + units[u];
    }
}

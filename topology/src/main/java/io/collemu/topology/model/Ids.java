package io.collemu.topology.model;

import java.util.Locale;

/**
 * The rule for names that end up in output files (node ids, tier names, link model names): no control
 * characters (NUL, tab, CR/LF, ESC, DEL, the C1 range) and no Unicode line separators, so that a name can never
 * break a CSV row, a terminal or a report. Stateless.
 */
public final class Ids {
    private Ids() {
    }

    /** @return null when {@code id} is acceptable, else what is wrong with it, in the user's terms */
    public static String problem(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return "'" + printable(id) + "' contains the control character " + codePoint(c) + " at position "
                        + (i + 1) + " (names may not contain control characters or line breaks)";
            }
        }
        return null;
    }

    /** @throws TopologyException naming {@code field} when {@link #problem} finds something */
    public static void require(String id, String field) {
        String p = problem(id);
        if (p != null) {
            throw new TopologyException(p, field);
        }
    }

    /** {@code id} with every control character shown as {@code \\uXXXX}, safe to print on one line. */
    public static String printable(String id) {
        StringBuilder sb = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String codePoint(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }
}

package io.collemu.topology.yaml;

import io.collemu.topology.model.Ids;
import io.collemu.topology.model.TopologyException;
import java.util.Map;

/**
 * Line numbers of a YAML document by JSON pointer ({@code /links/3/a} to its line), recorded while
 * {@link YamlDocument} reads it, so that errors found after mapping (unknown preset, duplicate id, radix) can still
 * name file and line. A value reached through an alias has the line of the alias. Immutable once built.
 */
public final class YamlLineIndex {
    private final String file;
    private final Map<String, Integer> lineByPointer;

    YamlLineIndex(String file, Map<String, Integer> lineByPointer) {
        this.file = file;
        this.lineByPointer = lineByPointer;
    }

    /** The line of the node at this pointer, or of its nearest enclosing node; 1 if unknown. */
    public int lineOf(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lineByPointer.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 1;
            }
            int slash = p.lastIndexOf('/');
            p = slash <= 0 ? "" : p.substring(0, slash);
        }
    }

    /** Whether the document has a node at exactly this pointer. */
    boolean has(String pointer) {
        return lineByPointer.containsKey(pointer);
    }

    /** A one-line error: {@code file:line: field 'links[3].a': message}. */
    TopologyException error(String pointer, String message) {
        return new TopologyException(file + ":" + lineOf(pointer) + ": field '" + fieldPath(pointer) + "': "
                + message);
    }

    public String file() {
        return file;
    }

    /** {@code /links/3/a} as {@code links[3].a}; control characters in keys shown as {@code \\uXXXX}. */
    public static String fieldPath(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String seg : pointer.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            String s = Ids.printable(seg.replace("~1", "/").replace("~0", "~"));
            if (s.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(s).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(s);
            }
        }
        return sb.length() == 0 ? "(document)" : sb.toString();
    }

    /** The first line of a (library) message, trimmed. */
    public static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}

package io.collemu.topology.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.collemu.topology.model.TopologyException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line numbers of a YAML document by JSON pointer ({@code /links/3/a} to its line), read in one pass over the
 * tokens so that errors found after mapping (unknown preset, duplicate id, radix) can still name file and line.
 * Also rejects malformed YAML and duplicate keys with a located one-line error. Immutable once built.
 */
public final class YamlLineIndex {
    /** How a user of the index reports a malformed or unreadable document. */
    public interface Errors {
        RuntimeException syntax(String file, int line, String message);

        RuntimeException unreadable(String file, String message);
    }

    private static final Errors TOPOLOGY_ERRORS = new Errors() {
        @Override
        public RuntimeException syntax(String file, int line, String message) {
            return new TopologyException(file + ":" + line + ": YAML syntax error: " + message);
        }

        @Override
        public RuntimeException unreadable(String file, String message) {
            return new TopologyException(file + ": cannot read: " + message);
        }
    };

    private final String file;
    private final Map<String, Integer> lineByPointer;

    private YamlLineIndex(String file, Map<String, Integer> lineByPointer) {
        this.file = file;
        this.lineByPointer = lineByPointer;
    }

    static YamlLineIndex of(String text, String file, YAMLFactory factory) {
        return of(text, file, factory, TOPOLOGY_ERRORS);
    }

    /** Indexes {@code text}; malformed YAML and duplicate keys fail through {@code errors}, with their line. */
    public static YamlLineIndex of(String text, String file, YAMLFactory factory, Errors errors) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            while (p.nextToken() != null) {
                String pointer = p.getParsingContext().pathAsPointer().toString();
                lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw errors.syntax(file, line, firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw errors.unreadable(file, e.getMessage());
        }
        return new YamlLineIndex(file, lines);
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

    /** {@code /links/3/a} as {@code links[3].a}. */
    public static String fieldPath(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String seg : pointer.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            String s = seg.replace("~1", "/").replace("~0", "~");
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

    public static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}

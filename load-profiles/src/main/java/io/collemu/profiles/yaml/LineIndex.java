package io.collemu.profiles.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.collemu.profiles.ProfileException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line of every node of a YAML document by JSON pointer ({@code /jobs/0/ops/2/size}), read in one pass over
 * the tokens, so that errors found while walking the tree name the line. Rejects malformed YAML and duplicate
 * keys with a located one-line error. Immutable once built.
 */
final class LineIndex {
    private final String file;
    private final Map<String, Integer> lineByPointer;

    private LineIndex(String file, Map<String, Integer> lineByPointer) {
        this.file = file;
        this.lineByPointer = lineByPointer;
    }

    static LineIndex of(String text, String file, YAMLFactory factory) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            while (p.nextToken() != null) {
                String pointer = p.getParsingContext().pathAsPointer().toString();
                lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new ProfileException(file, line, "(document)", "YAML syntax error: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ProfileException(file + ": cannot read: " + e.getMessage());
        }
        return new LineIndex(file, lines);
    }

    /** The line of the node at this pointer, or of its nearest enclosing node; 1 if unknown. */
    int lineOf(String pointer) {
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

    String file() {
        return file;
    }

    /** {@code /jobs/0/ops/2} as {@code jobs[0].ops[2]}. */
    static String fieldPath(String pointer) {
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

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}

package io.collemu.topology.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * One YAML document read into a Jackson tree with the line of every node ({@link YamlLineIndex}), within
 * {@link YamlLimits}: the one reader of topology files and load profiles.
 *
 * <pre>
 *   text --pre-scan--> (size, control characters, runs without spaces)
 *        --YAML tokens--> tree: depth, value length, duplicate keys, aliases and merge keys resolved
 *        --> root JsonNode + YamlLineIndex            every problem: one line through {@link YamlErrors}
 * </pre>
 *
 * <p>Anchors and aliases ({@code &d {...}} then {@code *d}) and merge keys ({@code <<: *d},
 * {@code <<: [*a, *b]}, explicit keys win) are resolved here, as YAML 1.1 defines them; Jackson alone would read an
 * alias as the anchor's name. An alias is not copied (the tree shares the node) but counts at every use towards
 * {@link YamlLimits#maxValues()} and {@link YamlLimits#maxDepth()}, so an exponential "billion laughs" document
 * is refused in linear time; an alias inside the node it names is refused.
 *
 * <p>The pre-scan exists because the YAML scanner is quadratic in the length of a run of characters without a
 * space or line break (3 MB take 2.5 s, 50 MB about ten minutes): such runs are refused beyond
 * {@link YamlLimits#maxValueChars()} before the scanner sees them. Control characters other than tab and line
 * breaks are not YAML text; inside values (from escapes such as {@code "\0"}) they are refused too.
 *
 * <p>Immutable once read; the reader itself is single use.
 */
public final class YamlDocument {
    private final JsonNode root;
    private final YamlLineIndex lines;

    private YamlDocument(JsonNode root, YamlLineIndex lines) {
        this.root = root;
        this.lines = lines;
    }

    /** The root value, or null for an empty document. */
    public JsonNode root() {
        return root;
    }

    /** Lines by JSON pointer. */
    public YamlLineIndex lines() {
        return lines;
    }

    /** Reads a file (see {@link YamlSource}) and parses it; the path as given names it in errors. */
    public static YamlDocument read(java.nio.file.Path file, YamlLimits limits, YamlErrors errors) {
        return parse(YamlSource.read(file, limits, errors), file.toString(), limits, errors);
    }

    /** Parses {@code text}; {@code file} names it in errors. */
    public static YamlDocument parse(String text, String file, YamlLimits limits, YamlErrors errors) {
        if (text.length() > limits.maxDocumentBytes()) {
            throw errors.input(YamlSource.tooLarge(file, text.length(), limits));
        }
        preScan(text, file, limits, errors);
        Reader r = new Reader(file, limits, errors);
        try (JsonParser p = factory(limits).createParser(text)) {
            JsonNode root = r.document((YAMLParser) p);
            return new YamlDocument(root, new YamlLineIndex(file, r.lineByPointer));
        } catch (StreamConstraintsException e) {
            throw errors.at(file, line(e), "(document)", "exceeds the limits of a " + limits.label() + " (depth "
                    + limits.maxDepth() + ", values of " + limits.maxValueChars() + " characters, "
                    + limits.maxDocumentBytes() + " bytes)");
        } catch (JsonProcessingException e) {
            throw errors.syntax(file, line(e), YamlLineIndex.firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw errors.input("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static int line(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? 1 : e.getLocation().getLineNr();
    }

    /** Jackson's and SnakeYAML's own limits a little above ours, as a backstop: ours are checked first. */
    private static YAMLFactory factory(YamlLimits limits) {
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxDocumentBytes() + 1024));
        YAMLFactory f = YAMLFactory.builder().loaderOptions(loader).build();
        f.setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth() + 1)
                .maxStringLength(2 * limits.maxValueChars())
                .maxNameLength(2 * limits.maxValueChars())
                .maxDocumentLength(2 * limits.maxDocumentBytes())
                .build());
        return f;
    }

    /** Refuses control characters and runs without whitespace longer than a value may be, with their line. */
    private static void preScan(String text, String file, YamlLimits limits, YamlErrors errors) {
        int line = 1;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            }
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\u0085') {
                throw errors.at(file, line, "(document)", "contains the control character "
                        + String.format(Locale.ROOT, "U+%04X", (int) c) + ", which YAML text may not have (is this"
                        + " a text file?)");
            }
            if (Character.isWhitespace(c) || c == '\u0085') {
                run = 0;
                continue;
            }
            if (++run > limits.maxValueChars()) {
                throw errors.at(file, line, "(document)", "has more than " + limits.maxValueChars()
                        + " characters without a space or line break (a value may have at most "
                        + limits.maxValueChars() + ")");
            }
        }
    }

    /** Builds the tree from the token stream, resolving anchors, aliases and merge keys. Single use. */
    private static final class Reader {
        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

        /** An anchored node: its tree, values in it (aliases expanded) and its height. */
        private record Anchored(JsonNode node, long values, int height) {
        }

        final Map<String, Integer> lineByPointer = new HashMap<>();
        private final String file;
        private final YamlLimits limits;
        private final YamlErrors errors;
        private final Map<String, Anchored> anchors = new HashMap<>();
        private final Set<String> open = new HashSet<>();
        private YAMLParser p;
        private long values;
        private int deepest;

        Reader(String file, YamlLimits limits, YamlErrors errors) {
            this.file = file;
            this.limits = limits;
            this.errors = errors;
        }

        JsonNode document(YAMLParser parser) throws IOException {
            this.p = parser;
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            JsonNode root = value(t, "", 0);
            if (p.nextToken() != null) {
                throw errors.syntax(file, line(), "a second YAML document ('---'); a " + limits.label()
                        + " holds one");
            }
            return root;
        }

        private JsonNode value(JsonToken t, String pointer, int depth) throws IOException {
            int line = line();
            lineByPointer.putIfAbsent(pointer, line);
            if (t == JsonToken.VALUE_STRING && p.isCurrentAlias()) {
                return alias(p.getText(), pointer, depth, line);
            }
            String anchor = p.getCurrentAnchor();
            long valuesBefore = values;
            int deepestBefore = deepest;
            deepest = depth;
            if (anchor != null) {
                open.add(anchor);
            }
            JsonNode n = switch (t) {
                case START_OBJECT -> object(pointer, depth + 1);
                case START_ARRAY -> array(pointer, depth + 1);
                default -> scalar(t, pointer, line);
            };
            count(1, pointer, line);
            if (anchor != null) {
                open.remove(anchor);
                anchors.put(anchor, new Anchored(n, values - valuesBefore, deepest - depth));
            }
            deepest = Math.max(deepest, deepestBefore);
            return n;
        }

        private JsonNode alias(String name, String pointer, int depth, int line) {
            Anchored a = anchors.get(name);
            if (a == null) {
                throw errors.at(file, line, field(pointer), open.contains(name)
                        ? "alias '*" + name + "' is inside the node it refers to (recursive aliases are not allowed)"
                        : "unknown alias '*" + name + "' (no anchor '&" + name + "' before it)");
            }
            checkDepth(depth + a.height(), pointer, line);
            deepest = Math.max(deepest, depth + a.height());
            count(a.values(), pointer, line);
            return a.node();
        }

        private ObjectNode object(String pointer, int depth) throws IOException {
            checkDepth(depth, pointer, line());
            ObjectNode o = NODES.objectNode();
            List<JsonNode> merges = new ArrayList<>();
            int mergeLine = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String key = p.currentName();
                String child = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
                checkText(key, child, line());
                lineByPointer.putIfAbsent(child, line());
                if (key.equals("<<")) {
                    mergeLine = line();
                    merges.add(value(p.nextToken(), child, depth));
                    continue;
                }
                if (o.has(key)) {
                    throw errors.syntax(file, line(), "Duplicate field '" + key + "'");
                }
                o.set(key, value(p.nextToken(), child, depth));
            }
            for (JsonNode m : merges) {
                merge(o, m, pointer, mergeLine);
            }
            return o;
        }

        /** YAML merge: keys of the merged mapping(s) the mapping does not have itself; the first source wins. */
        private void merge(ObjectNode into, JsonNode from, String pointer, int line) {
            List<JsonNode> sources = new ArrayList<>();
            if (from.isArray()) {
                from.forEach(sources::add);
            } else {
                sources.add(from);
            }
            for (JsonNode s : sources) {
                if (!s.isObject()) {
                    throw errors.at(file, line, field(pointer + "/<<"),
                            "'<<' merges a mapping or a list of mappings, got a " + (s.isArray() ? "list" : "value"));
                }
                s.properties().forEach(e -> {
                    if (!into.has(e.getKey())) {
                        into.set(e.getKey(), e.getValue());
                        lineByPointer.putIfAbsent(pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"),
                                line);
                    }
                });
            }
        }

        private JsonNode array(String pointer, int depth) throws IOException {
            checkDepth(depth, pointer, line());
            var a = NODES.arrayNode();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                a.add(value(t, pointer + "/" + a.size(), depth));
            }
            return a;
        }

        private JsonNode scalar(JsonToken t, String pointer, int line) throws IOException {
            switch (t) {
                case VALUE_STRING -> {
                    String s = p.getText();
                    checkText(s, pointer, line);
                    return NODES.textNode(s);
                }
                case VALUE_NUMBER_INT -> {
                    return switch (p.getNumberType()) {
                        case INT -> NODES.numberNode(p.getIntValue());
                        case LONG -> NODES.numberNode(p.getLongValue());
                        default -> NODES.numberNode(p.getBigIntegerValue());
                    };
                }
                case VALUE_NUMBER_FLOAT -> {
                    return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                            ? NODES.numberNode(p.getDecimalValue()) : NODES.numberNode(p.getDoubleValue());
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
                }
                case VALUE_NULL -> {
                    return NODES.nullNode();
                }
                case VALUE_EMBEDDED_OBJECT -> {
                    Object o = p.getEmbeddedObject();
                    return o instanceof byte[] b ? NODES.binaryNode(b) : NODES.pojoNode(o);
                }
                default -> throw errors.syntax(file, line, "unexpected " + t);
            }
        }

        private void checkText(String s, String pointer, int line) {
            if (s.length() > limits.maxValueChars()) {
                throw errors.at(file, line, field(pointer), "is " + s.length()
                        + " characters long, more than the " + limits.maxValueChars() + " a value may have");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                    throw errors.at(file, line, field(pointer), "contains the control character "
                            + String.format(Locale.ROOT, "U+%04X", (int) c) + " (only tab and line breaks may"
                            + " appear in values)");
                }
            }
        }

        private void checkDepth(int depth, String pointer, int line) {
            if (depth > limits.maxDepth()) {
                throw errors.at(file, line, field(pointer), "nested more than "
                        + limits.maxDepth() + " levels deep (mappings and lists inside each other)");
            }
        }

        private void count(long n, String pointer, int line) {
            values += n;
            if (values > limits.maxValues()) {
                throw errors.at(file, line, field(pointer), "the document holds more than "
                        + limits.maxValues() + " values (aliases count at every use): a " + limits.label()
                        + " may have at most " + limits.maxValues());
            }
        }

        /** The field path of a pointer, shortened: a document nested 64 deep or a huge key must not flood a line. */
        private static String field(String pointer) {
            String f = YamlLineIndex.fieldPath(pointer);
            return f.length() <= 80 ? f : f.substring(0, 60) + "..." + f.substring(f.length() - 17);
        }

        private int line() {
            int l = p.currentTokenLocation().getLineNr();
            return l < 1 ? 1 : l;
        }
    }
}

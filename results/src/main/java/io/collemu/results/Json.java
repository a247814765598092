package io.collemu.results;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A tiny pretty-printing JSON writer, so that the main code needs no JSON library.
 *
 * <p>Accepts a tree of: {@link Map} (keys written with {@code toString()}, in the map's iteration order, so use a
 * {@link java.util.LinkedHashMap}), {@link Iterable} and arrays, {@link CharSequence}, {@link Number},
 * {@link Boolean}, {@code null}, records (written as objects of their components), enums, {@link Path} and
 * {@link Optional}. NaN and infinities become {@code null}, since JSON has no such numbers. Stateless and
 * thread-safe.
 */
public final class Json {

    private static final String INDENT = "  ";

    private Json() {
    }

    /**
     * @return {@code tree} as pretty-printed JSON, two spaces per level, no trailing newline
     * @throws IllegalArgumentException naming the JSON path of a value of an unsupported type
     */
    public static String write(Object tree) {
        StringBuilder out = new StringBuilder(256);
        value(out, tree, 0, "$");
        return out.toString();
    }

    /** Writes {@code tree} as JSON to {@code p} in UTF-8, ending with a newline; replaces an existing file. */
    public static void write(Path p, Object tree) throws IOException {
        Files.writeString(p, write(tree) + "\n", StandardCharsets.UTF_8);
    }

    private static void value(StringBuilder out, Object v, int depth, String path) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof CharSequence || v instanceof Enum<?> || v instanceof Path || v instanceof Character) {
            string(out, v.toString());
        } else if (v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Number n) {
            number(out, n);
        } else if (v instanceof Map<?, ?> map) {
            object(out, map, depth, path);
        } else if (v instanceof Iterable<?> list) {
            array(out, list, depth, path);
        } else if (v.getClass().isArray()) {
            array(out, arrayItems(v), depth, path);
        } else if (v instanceof Optional<?> optional) {
            value(out, optional.orElse(null), depth, path);
        } else if (v instanceof Record record) {
            object(out, recordMap(record), depth, path);
        } else {
            throw new IllegalArgumentException("Json: cannot write a " + v.getClass().getName() + " at " + path);
        }
    }

    private static void number(StringBuilder out, Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                out.append("null");
            } else if (n instanceof Float) {
                out.append(Float.toString(n.floatValue()));
            } else {
                out.append(Double.toString(d));
            }
        } else if (n instanceof BigDecimal bd) {
            out.append(bd.toString());
        } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
            || n instanceof BigInteger) {
            out.append(n);
        } else {
            // AtomicLong, DoubleAdder and the like: their double value is what a reader would see anyway
            number(out, n.doubleValue());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, int depth, String path) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, depth + 1);
            String key = String.valueOf(e.getKey());
            string(out, key);
            out.append(": ");
            value(out, e.getValue(), depth + 1, path + "." + key);
        }
        out.append('\n');
        indent(out, depth);
        out.append('}');
    }

    private static void array(StringBuilder out, Iterable<?> items, int depth, String path) {
        if (!items.iterator().hasNext()) {
            out.append("[]");
            return;
        }
        out.append('[');
        int index = 0;
        for (Object item : items) {
            out.append(index == 0 ? "\n" : ",\n");
            indent(out, depth + 1);
            value(out, item, depth + 1, path + "[" + index + "]");
            index++;
        }
        out.append('\n');
        indent(out, depth);
        out.append(']');
    }

    private static Iterable<Object> arrayItems(Object array) {
        int length = Array.getLength(array);
        java.util.List<Object> items = new java.util.ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            items.add(Array.get(array, i));
        }
        return items;
    }

    private static Map<String, Object> recordMap(Record record) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                map.put(c.getName(), c.getAccessor().invoke(record));
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                throw new IllegalArgumentException(
                    "Json: cannot read component " + c.getName() + " of " + record.getClass().getName() + ": " + e, e);
            }
        }
        return map;
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // U+2028/2029 are legal JSON but break JavaScript string literals when a page inlines the file
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void indent(StringBuilder out, int depth) {
        out.append(INDENT.repeat(depth));
    }
}

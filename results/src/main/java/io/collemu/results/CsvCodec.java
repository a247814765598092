package io.collemu.results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV as the results files use it: comma separated, fields quoted when they hold a comma, a quote or a
 * line break (CR or LF), quotes doubled inside, "\n" line ends. Numbers are written with {@link Long#toString} and
 * {@link Double#toString} so that they read back bit for bit. Nothing raw leaks: any other control character (NUL,
 * ESC, DEL, the C1 range; RFC 4180 allows none) is written as U+FFFD, so a name can never carry a terminal escape
 * or a NUL into a file (the inputs refuse such names anyway). Stateless; the {@link Table} it parses is not
 * thread-safe.
 */
final class CsvCodec {

    private CsvCodec() {
    }

    static void appendRow(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String f = withoutControlCharacters(fields.get(i));
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                out.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                out.append(f);
            }
        }
        out.append('\n');
    }

    /** {@code f} with every control character except tab, CR and LF replaced by U+FFFD. */
    static String withoutControlCharacters(String f) {
        StringBuilder sb = null;
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                if (sb == null) {
                    sb = new StringBuilder(f);
                }
                sb.setCharAt(i, '\uFFFD');
            }
        }
        return sb == null ? f : sb.toString();
    }

    /** A parsed file: the header, then rows, each with the line it started on. */
    static final class Table {
        private final Path file;
        private final Map<String, Integer> columns = new HashMap<>();
        private final List<List<String>> rows = new ArrayList<>();
        private final List<Integer> lines = new ArrayList<>();
        private int current;

        private Table(Path file) {
            this.file = file;
        }

        int size() {
            return rows.size();
        }

        void requireColumns(List<String> names) throws MalformedResultsFileException {
            for (String name : names) {
                if (!columns.containsKey(name)) {
                    throw new MalformedResultsFileException(file, 1, name, "missing column '" + name + "'");
                }
            }
        }

        /** Whether the header has a column of that name. */
        boolean hasColumn(String name) {
            return columns.containsKey(name);
        }

        /** Moves to row {@code index} (0-based, after the header) for the accessors below. */
        void select(int index) {
            current = index;
        }

        String text(String name) {
            return rows.get(current).get(columns.get(name));
        }

        long longValue(String name) throws MalformedResultsFileException {
            String s = text(name).trim();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw error(name, "'" + s + "' is not an integer");
            }
        }

        int intValue(String name) throws MalformedResultsFileException {
            long v = longValue(name);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw error(name, v + " does not fit an int");
            }
            return (int) v;
        }

        double doubleValue(String name) throws MalformedResultsFileException {
            String s = text(name).trim();
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw error(name, "'" + s + "' is not a number");
            }
        }

        MalformedResultsFileException error(String name, String detail) {
            return new MalformedResultsFileException(file, lines.get(current), name, detail);
        }
    }

    /** Parses {@code text} (the whole file) whose first record is the header. */
    static Table parse(String text, Path file) throws MalformedResultsFileException {
        Table table = new Table(file);
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int line = 1;
        int recordLine = 1;
        int n = text.length();
        List<String> header = null;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '\n';
            if (quoted) {
                if (i == n) {
                    throw new MalformedResultsFileException(file, recordLine, null, "quoted field never closed");
                }
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                boolean blank = fields.isEmpty() && field.length() == 0 && !wasQuoted;
                if (!blank) {
                    fields.add(field.toString());
                    if (header == null) {
                        header = List.copyOf(fields);
                        for (int k = 0; k < header.size(); k++) {
                            table.columns.put(header.get(k).trim(), k);
                        }
                    } else if (fields.size() != header.size()) {
                        throw new MalformedResultsFileException(file, recordLine, null,
                            fields.size() + " fields where the header has " + header.size());
                    } else {
                        table.rows.add(List.copyOf(fields));
                        table.lines.add(recordLine);
                    }
                }
                fields.clear();
                field.setLength(0);
                wasQuoted = false;
                if (i < n) {
                    line++;
                }
                recordLine = line;
            } else if (wasQuoted) {
                throw new MalformedResultsFileException(file, recordLine, null, "text after a closing quote");
            } else {
                field.append(c);
            }
        }
        if (header == null) {
            throw new MalformedResultsFileException(file, 0, null, "empty file, no header");
        }
        return table;
    }
}

package io.collemu.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file of any table (header names carry units, as in every collemu CSV), quoted as {@link CollectivesCsv}
 * quotes. Used for {@code iterations.csv} and {@code ops.csv} of profile runs. Stateless.
 */
public final class TableCsv {
    private TableCsv() {
    }

    public static void write(Path p, List<String> header, List<List<Object>> rows) throws IOException {
        StringBuilder out = new StringBuilder();
        CsvCodec.appendRow(out, header);
        for (List<Object> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(p + ": row of " + row.size() + " fields for " + header.size()
                        + " columns");
            }
            List<String> fields = new ArrayList<>(row.size());
            for (Object o : row) {
                fields.add(o == null ? "" : String.valueOf(o));
            }
            CsvCodec.appendRow(out, fields);
        }
        Files.writeString(p, out);
    }
}

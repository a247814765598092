package io.collemu.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ports.csv}: one row per egress port with utilization, bytes, peak queue and the optics energy of both
 * link ends; header names carry units. {@code total_joules} is derived and ignored by {@link #read}. Stateless and
 * thread-safe.
 */
public final class PortsCsv {

    /** The header, in the order written. */
    public static final List<String> COLUMNS = List.of(
        "port", "node", "tier", "peer", "near_model", "far_model", "rate_bps", "bytes", "busy_ps",
        "peak_queue_bytes", "segments", "utilization", "near_dynamic_joules", "far_dynamic_joules",
        "near_idle_joules", "far_idle_joules", "total_joules");

    /** Columns added when the run had faults. */
    public static final List<String> FAULT_COLUMNS = List.of("down_us", "drops");

    private PortsCsv() {
    }

    /** Writes {@code rows} in the given order to {@code p} (UTF-8), replacing an existing file. */
    public static void write(Path p, List<PortRecord> rows) throws IOException {
        StringBuilder out = new StringBuilder(128 + rows.size() * 160);
        boolean faults = rows.stream().anyMatch(r -> r.faults() != null);
        List<String> header = new ArrayList<>(COLUMNS);
        if (faults) {
            header.addAll(FAULT_COLUMNS);
        }
        CsvCodec.appendRow(out, header);
        for (PortRecord r : rows) {
            List<String> row = new ArrayList<>(List.of(
                Integer.toString(r.port()), r.node(), r.tier(), r.peer(), r.nearModel(), r.farModel(),
                Long.toString(r.rateBps()), Long.toString(r.bytes()), Long.toString(r.busyPs()),
                Long.toString(r.peakQueueBytes()), Long.toString(r.segments()), Double.toString(r.utilization()),
                Double.toString(r.nearDynamicJoules()), Double.toString(r.farDynamicJoules()),
                Double.toString(r.nearIdleJoules()), Double.toString(r.farIdleJoules()),
                Double.toString(r.totalJoules())));
            if (faults) {
                PortRecord.Faults f = r.faults() != null ? r.faults() : new PortRecord.Faults(0, 0);
                row.add(Double.toString(f.downPs() / 1e6));
                row.add(Long.toString(f.drops()));
            }
            CsvCodec.appendRow(out, row);
        }
        Files.writeString(p, out, StandardCharsets.UTF_8);
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @throws MalformedResultsFileException naming file, line and field of the first bad value
     */
    public static List<PortRecord> read(Path p) throws IOException {
        CsvCodec.Table t = CsvCodec.parse(Files.readString(p, StandardCharsets.UTF_8), p);
        t.requireColumns(COLUMNS.subList(0, COLUMNS.size() - 1));
        List<PortRecord> rows = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            t.select(i);
            rows.add(new PortRecord(t.intValue("port"), t.text("node"), t.text("tier"), t.text("peer"),
                t.text("near_model"), t.text("far_model"), t.longValue("rate_bps"), t.longValue("bytes"),
                t.longValue("busy_ps"), t.longValue("peak_queue_bytes"), t.longValue("segments"),
                t.doubleValue("utilization"), t.doubleValue("near_dynamic_joules"),
                t.doubleValue("far_dynamic_joules"), t.doubleValue("near_idle_joules"),
                t.doubleValue("far_idle_joules"), t.hasColumn("drops")
                    ? new PortRecord.Faults(Math.round(t.doubleValue("down_us") * 1e6), t.longValue("drops")) : null));
        }
        return rows;
    }
}

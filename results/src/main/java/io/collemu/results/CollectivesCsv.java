package io.collemu.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code collectives.csv}: one row per collective instance, header names carrying units ({@code size_bytes},
 * {@code start_ps}, {@code busbw_GBps} with GB = 1e9 bytes). {@code duration_ps} and {@code pj_per_bit} are
 * derived columns for spreadsheet users; {@link #read} ignores them. Columns are found by name, so extra columns
 * are ignored and order does not matter. Stateless and thread-safe.
 */
public final class CollectivesCsv {

    /** The header, in the order written. */
    public static final List<String> COLUMNS = List.of(
        "job", "iteration", "kind", "algorithm", "protocol", "size_bytes", "count_elements", "type", "redop", "root",
        "ranks", "channels", "segment_bytes", "start_ps", "end_ps", "duration_ps", "algbw_GBps", "busbw_GBps",
        "segments", "latency_p50_ns", "latency_p99_ns", "latency_p999_ns", "latency_max_ns",
        "energy_joules", "bits_moved", "pj_per_bit");

    private static final List<String> DERIVED = List.of("duration_ps", "pj_per_bit");

    /** Columns added when the run had faults. */
    public static final List<String> FAULT_COLUMNS = List.of("retransmitted_bytes", "stall_us", "failed");

    private CollectivesCsv() {
    }

    /** Writes {@code rows} in the given order to {@code p} (UTF-8), replacing an existing file. */
    public static void write(Path p, List<CollectiveRecord> rows) throws IOException {
        StringBuilder out = new StringBuilder(128 + rows.size() * 200);
        boolean faults = rows.stream().anyMatch(r -> r.faults() != null);
        List<String> header = new ArrayList<>(COLUMNS);
        if (faults) {
            header.addAll(FAULT_COLUMNS);
        }
        CsvCodec.appendRow(out, header);
        for (CollectiveRecord r : rows) {
            List<String> row = new ArrayList<>(List.of(
                r.job(), Integer.toString(r.iteration()), r.kind(), r.algorithm(), r.protocol(),
                Long.toString(r.sizeBytes()), Long.toString(r.countElements()), r.type(), r.redop(),
                Integer.toString(r.root()), Integer.toString(r.ranks()), Integer.toString(r.channels()),
                Long.toString(r.segmentBytes()), Long.toString(r.startPs()), Long.toString(r.endPs()),
                Long.toString(r.durationPs()), Double.toString(r.algbwGBps()), Double.toString(r.busbwGBps()),
                Long.toString(r.segments()), Long.toString(r.latencyP50Ns()), Long.toString(r.latencyP99Ns()),
                Long.toString(r.latencyP999Ns()), Long.toString(r.latencyMaxNs()),
                Double.toString(r.energyJoules()), Double.toString(r.bitsMoved()),
                Double.toString(r.picojoulesPerBit())));
            if (faults) {
                CollectiveRecord.Faults f = r.faults() != null ? r.faults() : new CollectiveRecord.Faults(0, 0, false);
                row.add(Long.toString(f.retransmittedBytes()));
                row.add(Double.toString(f.stallPs() / 1e6));
                row.add(f.failed() ? "1" : "0");
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
    public static List<CollectiveRecord> read(Path p) throws IOException {
        CsvCodec.Table t = CsvCodec.parse(Files.readString(p, StandardCharsets.UTF_8), p);
        List<String> required = new ArrayList<>(COLUMNS);
        required.removeAll(DERIVED);
        t.requireColumns(required);
        List<CollectiveRecord> rows = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            t.select(i);
            long startPs = t.longValue("start_ps");
            long endPs = t.longValue("end_ps");
            if (endPs < startPs) {
                throw t.error("end_ps", "end " + endPs + " ps before start " + startPs + " ps");
            }
            rows.add(new CollectiveRecord(t.text("job"), t.intValue("iteration"), t.text("kind"),
                t.text("algorithm"), t.text("protocol"), t.longValue("size_bytes"), t.longValue("count_elements"), t.text("type"),
                t.text("redop"), t.intValue("root"), t.intValue("ranks"), t.intValue("channels"),
                t.longValue("segment_bytes"), startPs, endPs, t.doubleValue("algbw_GBps"),
                t.doubleValue("busbw_GBps"), t.longValue("segments"), t.longValue("latency_p50_ns"),
                t.longValue("latency_p99_ns"), t.longValue("latency_p999_ns"), t.longValue("latency_max_ns"),
                t.doubleValue("energy_joules"), t.doubleValue("bits_moved"),
                t.hasColumn("failed") ? new CollectiveRecord.Faults(t.longValue("retransmitted_bytes"),
                    Math.round(t.doubleValue("stall_us") * 1e6), t.intValue("failed") != 0) : null));
        }
        return rows;
    }
}

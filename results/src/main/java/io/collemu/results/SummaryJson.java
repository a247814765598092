package io.collemu.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: everything needed to reproduce and judge a run: inputs, collemu version, seed, engine,
 * members and every figure. The caller builds the tree (a {@link LinkedHashMap} keeps key order; see {@link Json}
 * for the value types); this class checks the keys every summary must carry and stamps the schema name first.
 * Stateless and thread-safe.
 */
public final class SummaryJson {

    /** Schema name written as the first key. */
    public static final String SCHEMA = "collemu-summary/1";
    /** Keys every summary must carry. */
    public static final List<String> REQUIRED_KEYS = List.of("collemuVersion", "seed", "engine", "members", "inputs");

    private SummaryJson() {
    }

    /**
     * Writes {@code summary} to {@code p}, with {@code "schema"} first.
     *
     * @throws IllegalArgumentException when a required key is missing or a value cannot be written
     */
    public static void write(Path p, Map<String, Object> summary) throws IOException {
        Json.write(p, withSchema(summary));
    }

    /** @return the text {@link #write} writes, without the final newline */
    public static String render(Map<String, Object> summary) {
        return Json.write(withSchema(summary));
    }

    /**
     * @return one entry per (kind, ranks, size), in the order of {@link SizeAggregate#of}: mean completion time
     *     and the nccl-tests bandwidths, a convenient "figures" part for a summary
     */
    public static List<Map<String, Object>> collectiveFigures(List<CollectiveRecord> rows) {
        return SizeAggregate.of(rows).stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", a.kind());
            m.put("algorithm", a.algorithm());
            m.put("ranks", a.ranks());
            m.put("sizeBytes", a.sizeBytes());
            m.put("instances", a.instances());
            m.put("meanTimeUs", a.meanDurationPs() / 1e6);
            m.put("algbwGBps", a.algbwGBps());
            m.put("busbwGBps", a.busbwGBps());
            m.put("energyJoules", a.energyJoules());
            m.put("pjPerBit", EnergyMath.pjPerBit(a.energyJoules(), a.bitsMoved()));
            return m;
        }).toList();
    }

    private static Map<String, Object> withSchema(Map<String, Object> summary) {
        for (String key : REQUIRED_KEYS) {
            if (!summary.containsKey(key)) {
                throw new IllegalArgumentException("summary.json: missing required key '" + key + "'");
            }
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("schema", SCHEMA);
        tree.putAll(summary);
        return tree;
    }
}

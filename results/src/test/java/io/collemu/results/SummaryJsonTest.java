package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {

    @TempDir
    Path dir;

    private static Map<String, Object> summary() {
        List<CollectiveRecord> rows = Fixtures.sweep(100, 900_000, 21.0);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("collemuVersion", "0.1.0-SNAPSHOT");
        s.put("seed", 7L);
        s.put("engine", "sequential");
        s.put("members", 1);
        s.put("inputs", Map.of("topology", "fat-tree k=4", "link", "cpo"));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("latency", LatencyHistograms.figures(Fixtures.latencies(1, 1000, 500)));
        figures.put("collectives", SummaryJson.collectiveFigures(rows));
        figures.put("opticsIdleWatts", 4500.0);
        s.put("figures", figures);
        return s;
    }

    @Test
    void shouldWriteSchemaFirstAndRoundTripThroughJackson() throws IOException {
        Map<String, Object> s = summary();
        Path file = dir.resolve("summary.json");
        SummaryJson.write(file, s);
        JsonNode node = new ObjectMapper().readTree(file.toFile());
        assertEquals("schema", node.fieldNames().next());
        assertEquals(SummaryJson.SCHEMA, node.get("schema").asText());
        assertEquals(7, node.get("seed").asLong());
        JsonNode collectives = node.get("figures").get("collectives");
        // 9 all-reduce sizes and 2 all-gather sizes
        assertEquals(11, collectives.size());
        assertEquals("all-reduce", collectives.get(0).get("kind").asText());
        assertEquals(1024, collectives.get(0).get("sizeBytes").asLong());
        assertEquals(3, collectives.get(0).get("instances").asInt());
        assertEquals(21.0, collectives.get(0).get("pjPerBit").asDouble(), 1e-9);
        Map<?, ?> back = new ObjectMapper().readValue(file.toFile(), Map.class);
        assertEquals(new ObjectMapper().readValue(Json.write(s), Map.class).get("figures"), back.get("figures"));
    }

    @Test
    void shouldRefuseASummaryWithoutARequiredKey() {
        Map<String, Object> s = summary();
        s.remove("seed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SummaryJson.write(dir.resolve("summary.json"), s));
        assertTrue(e.getMessage().contains("'seed'"), e.getMessage());
    }
}

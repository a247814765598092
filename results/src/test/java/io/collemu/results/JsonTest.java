package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripThroughJackson() throws IOException {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 unicode é ✓ \u2028");
        tree.put("int", 42);
        tree.put("long", Long.MAX_VALUE);
        tree.put("negative", -7L);
        tree.put("double", 0.1 + 0.2);
        tree.put("tiny", 4.9e-324);
        tree.put("huge", 1.7976931348623157e308);
        tree.put("true", true);
        tree.put("null", null);
        tree.put("list", List.of(1, "two", List.of(), Map.of()));
        tree.put("nested", Map.of("k", List.of(Map.of("deep", 1.5))));
        Path file = dir.resolve("tree.json");
        Json.write(file, tree);

        Map<?, ?> back = MAPPER.readValue(file.toFile(), Map.class);
        assertEquals(tree.keySet().stream().toList(), back.keySet().stream().toList(), "key order kept");
        assertEquals(tree.get("text"), back.get("text"));
        assertEquals(42, back.get("int"));
        assertEquals(Long.MAX_VALUE, back.get("long"));
        assertEquals(0.1 + 0.2, back.get("double"));
        assertEquals(4.9e-324, back.get("tiny"));
        assertEquals(1.7976931348623157e308, back.get("huge"));
        assertEquals(Boolean.TRUE, back.get("true"));
        assertTrue(back.containsKey("null") && back.get("null") == null);
        assertEquals(List.of(1, "two", List.of(), Map.of()), back.get("list"));
        assertEquals(Map.of("k", List.of(Map.of("deep", 1.5))), back.get("nested"));
    }

    @Test
    void shouldWriteNonFiniteNumbersAsNull() throws IOException {
        JsonNode node = MAPPER.readTree(Json.write(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 1.0)));
        assertTrue(node.get(0).isNull() && node.get(1).isNull() && node.get(2).isNull());
        assertEquals(1.0, node.get(3).asDouble());
    }

    @Test
    void shouldWriteRecordsArraysEnumsAndOptionals() throws IOException {
        record Pair(String name, long sizeBytes) {
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("pair", new Pair("a", 5));
        tree.put("longs", new long[] {1, 2});
        tree.put("unit", java.util.concurrent.TimeUnit.SECONDS);
        tree.put("absent", Optional.empty());
        tree.put("path", Path.of("runs", "x"));
        JsonNode node = MAPPER.readTree(Json.write(tree));
        assertEquals("a", node.get("pair").get("name").asText());
        assertEquals(5, node.get("pair").get("sizeBytes").asLong());
        assertEquals(2, node.get("longs").get(1).asLong());
        assertEquals("SECONDS", node.get("unit").asText());
        assertTrue(node.get("absent").isNull());
        assertEquals(Path.of("runs", "x").toString(), node.get("path").asText());
    }

    @Test
    void shouldPrettyPrintWithTwoSpaces() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("a", 1);
        tree.put("b", List.of(true, "x"));
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    true,\n    \"x\"\n  ]\n}", Json.write(tree));
        assertEquals("{}", Json.write(Map.of()));
        assertEquals("[]", Json.write(List.of()));
    }

    @Test
    void shouldNameThePathOfAValueItCannotWrite() {
        Map<String, Object> tree = Map.of("inputs", List.of(1, new Object()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(tree));
        assertTrue(e.getMessage().contains("$.inputs[1]"), e.getMessage());
    }
}

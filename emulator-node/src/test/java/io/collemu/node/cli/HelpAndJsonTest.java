package io.collemu.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command's --help prints without picocli warnings; --iterations adds nccl-tests' i_ columns; --json. */
class HelpAndJsonTest {
    @TempDir
    Path tmp;

    @Test
    void shouldPrintEveryHelpWithoutWarnings() {
        for (String c : List.of("run", "compare", "sweep", "reliability", "bench", "node", "topology", "profiles")) {
            CliTest.Result r = CliTest.run(c, "--help");
            assertEquals(0, r.code(), c + ": " + r.err());
            assertFalse((r.out() + r.err()).contains("WARN"), c + " --help: " + r.err());
        }
    }

    @Test
    void shouldPrintPerIterationColumnsAndJson() throws IOException {
        Path json = tmp.resolve("out.json");
        CliTest.Result r = CliTest.run("run", "--topology", "single-switch:gpus=8,link=cpo-800g", "--collective",
                "all-reduce", "--sizes", "1M,4M", "--iterations", "4", "--engine", "sequential", "--no-progress",
                "--out", tmp.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("i_min    i_max    i_p99   i_cv%"), r.out());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        JsonNode first = doc.get("results").get(0);
        assertEquals("all_reduce_perf", first.get("name").asText());
        assertEquals(1048576, first.get("size").asLong());
        assertEquals(4, first.get("instances").asInt());
        assertTrue(first.get("i_min").asDouble() <= first.get("time").asDouble());
        assertTrue(first.get("i_max").asDouble() >= first.get("time").asDouble());
        try (Stream<Path> s = Files.list(tmp)) {
            Path dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
            assertTrue(Files.readString(dir.resolve("nccl-tests.txt")).contains("i_cv%"));
        }
    }
}

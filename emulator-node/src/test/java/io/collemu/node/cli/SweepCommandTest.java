package io.collemu.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.node.run.Grid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code collemu sweep}: the grid's points, one table and grid.csv over them, and a resume that runs only the rest. */
class SweepCommandTest {
    @TempDir
    Path tmp;

    static final String[] GRID = {"sweep", "--topology", "single-switch:gpus={4,8},link=cpo-800g", "--link",
        "pluggable-dsp-800g,cpo-1.6t", "--collective", "all-reduce", "--sizes", "1M,4M", "--engine", "sequential",
        "--no-progress"};

    static String[] with(String... extra) {
        String[] out = new String[GRID.length + extra.length];
        System.arraycopy(GRID, 0, out, 0, GRID.length);
        System.arraycopy(extra, 0, out, GRID.length, extra.length);
        return out;
    }

    @Test
    void shouldRunTheGridAndResumeOnlyWhatIsLeft() throws Exception {
        CliTest.Result first = CliTest.run(with("--out", tmp.toString()));
        assertEquals(0, first.code(), first.err());
        Path dir;
        try (Stream<Path> s = Files.list(tmp)) {
            dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        List<String> csv = Files.readAllLines(dir.resolve(Grid.CSV));
        assertEquals(1 + 4 * 2, csv.size(), "a row per point (2 topologies x 2 links) and size:\n" + csv);
        assertTrue(first.out().contains("point 4: single-switch:gpus=8,link=cpo-800g | cpo-1.6t | all-reduce"),
                first.out());
        assertTrue(Files.exists(dir.resolve("report.html")));

        // interrupt the last point: its summary says partial, as a run killed half way leaves it
        Path last = dir.resolve("point-004").resolve("summary.json");
        Files.writeString(last, Files.readString(last).replaceAll("\"partial\"\\s*:\\s*false", "\"partial\": true"));
        CliTest.Result resumed = CliTest.run(with("--resume", dir.toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(3, resumed.out().lines().filter(l -> l.contains("(read back)")).count(), resumed.out());
        assertEquals(csv, Files.readAllLines(dir.resolve(Grid.CSV)), "the same grid, file for file");

        CliTest.Result other = CliTest.run("sweep", "--topology", "single-switch:gpus=4,link=cpo-800g", "--sizes",
                "1M", "--engine", "sequential", "--no-progress", "--resume", dir.toString());
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("another grid"), other.err());
    }
}

package io.collemu.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default what-if (`collemu run` with no flags but the output folder, seed 1) against its golden results: any
 * change to the model, the schedules, routing or the exports that moves a single number shows here. When a change
 * is meant to move them, regenerate with {@code mvn -pl emulator-node test -Dtest=GoldenDefaultRunTest
 * -Dcollemu.golden.update=true} and say why in the commit.
 */
class GoldenDefaultRunTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    Path tmp;

    @Test
    void shouldReproduceTheGoldenDefaultRun() throws IOException {
        CliTest.Result r = CliTest.run("run", "--engine", "sequential", "--out", tmp.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        Path dir;
        try (Stream<Path> s = Files.list(tmp)) {
            dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        boolean update = Boolean.getBoolean("collemu.golden.update");
        for (String f : List.of("collectives.csv", "nccl-tests.txt", "latency.hgrm")) {
            Path golden = GOLDEN.resolve("default-" + f);
            if (update) {
                Files.copy(dir.resolve(f), golden, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            assertEquals(Files.readString(golden), Files.readString(dir.resolve(f)), f + " differs from " + golden);
        }
    }
}

package io.collemu.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.TopologyException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that are not topology text at all: refused before (or instead of) being read, in one line. */
class YamlInputTest {
    @TempDir
    Path dir;

    private TopologyException refused(Path p) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(TopologyException.class,
                () -> TopologySpecs.parse(p.toString())));
    }

    @Test
    void shouldRefuseANamedPipeWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe.yaml");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor() == 0, "mkfifo is available");
        assertEquals(fifo + ": is not a regular file (a named pipe, device or socket), not a topology file",
                refused(fifo).getMessage());
    }

    @Test
    void shouldSayADirectoryIsADirectory() throws IOException {
        Path d = Files.createDirectory(dir.resolve("fabric.yaml"));
        assertEquals(d + ": is a directory, not a topology file", refused(d).getMessage());
    }

    @Test
    void shouldNameTheFirstByteThatIsNotUtf8() throws IOException {
        Path f = dir.resolve("binary.yaml");
        Files.write(f, new byte[] {'k', ':', ' ', '4', '\n', (byte) 0xFF, (byte) 0xFE, 0, 1});
        assertEquals(f + ": is not UTF-8 text (byte 5, on line 2, is 0xFF)", refused(f).getMessage());
    }

    @Test
    void shouldRefuseAFileLargerThanTheLimitWithoutReadingIt() throws IOException {
        Path f = dir.resolve("huge.yaml");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(50L << 20);
        }
        assertEquals(f + ": is 50 MiB, more than the 16 MiB a topology file may have", refused(f).getMessage());
    }

    @Test
    void shouldSayPermissionDenied() throws IOException {
        Path f = Files.writeString(dir.resolve("secret.yaml"), "builder: fat-tree\nparams: {k: 4}\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(f), "not running as root (root reads anything)");
        assertEquals("cannot read " + f + ": permission denied", refused(f).getMessage());
    }

    @Test
    void shouldDescribeAccessDeniedInWords() {
        Path f = dir.resolve("secret.yaml");
        assertEquals("cannot read " + f + ": permission denied", YamlSource.ioProblem(f,
                new java.nio.file.AccessDeniedException(f.toString()), YamlLimits.TOPOLOGY));
    }

    @Test
    void shouldRefuseALongRunWithoutSpacesBeforeTheQuadraticScannerSeesIt() throws IOException {
        Path ok = Files.writeString(dir.resolve("long.yaml"), "name: \"" + "a".repeat(65_000) + "\"\n"
                + "builder: fat-tree\nparams: {k: 4}\n");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> TopologySpecs.parse(ok.toString()));
        Path tooLong = Files.writeString(dir.resolve("longer.yaml"), "name: \"" + "a".repeat(10_000_000) + "\"\n");
        assertEquals(tooLong + ":1: field '(document)': has more than 65536 characters without a space or line break"
                + " (a value may have at most 65536)", refused(tooLong).getMessage());
    }
}

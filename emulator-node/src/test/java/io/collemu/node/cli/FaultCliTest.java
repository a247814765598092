package io.collemu.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults from the command line: an interruption is a result (exit 0, one line on stderr, the failed size marked
 * in every file), a faults file reads like the flags, and a bad entry in it names file:line.
 */
class FaultCliTest {
    static final String FABRIC = "leaf-spine:leaves=2,spines=2,hosts-per-leaf=4,link=pluggable-dsp-800g";

    @TempDir
    Path tmp;

    static Path runDir(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void shouldRecordAnInterruptionAsAResultAndGoOn() throws IOException {
        CliTest.Result r = CliTest.run("run", "--topology", FABRIC, "--collective", "all-reduce", "--sizes", "1M,4M",
                "--engine", "sequential", "--no-progress", "--out", tmp.toString(),
                "--fault", "link-down,link=gpu0/leaf0,at=20us");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.err().lines().filter(l -> l.contains("interruption:")).count(), r.err());
        assertTrue(r.err().lines().allMatch(l -> l.startsWith("collemu run: interruption: all-reduce ")), r.err());
        Path d = runDir(tmp);
        String csv = Files.readString(d.resolve("collectives.csv"));
        assertTrue(csv.lines().findFirst().orElseThrow().endsWith(",retransmitted_bytes,stall_us,failed"));
        assertEquals(2, csv.lines().filter(l -> l.endsWith(",1")).count(), csv);
        assertTrue(Files.readString(d.resolve("nccl-tests.txt")).contains("FAILED"));
        String log = Files.readString(d.resolve("faults.csv"));
        assertTrue(log.contains("link-down,gpu0->leaf0") && log.contains("interruption"), log);
        assertTrue(Files.readString(d.resolve("ports.csv")).lines().findFirst().orElseThrow().endsWith(",down_us,drops"));
        assertTrue(Files.readString(d.resolve("summary.json")).contains("\"interruptions\""));
    }

    @Test
    void shouldReadAFaultsFileLikeTheFlags() throws IOException {
        Path f = tmp.resolve("faults.yaml");
        Files.writeString(f, """
                reroute-remote: 200ms
                faults:
                  - {kind: link-flap, link: leaf0/spine0, at: 30us, for: 1ms}
                  - kind: ber
                    link: leaf1/spine1
                    ber: 7e-4
                """);
        Path a = Files.createDirectories(tmp.resolve("file"));
        Path b = Files.createDirectories(tmp.resolve("flags"));
        String[] common = {"run", "--topology", FABRIC, "--collective", "all-reduce", "--sizes", "2M", "--engine",
            "sequential", "--no-progress"};
        CliTest.Result ra = CliTest.run(concat(common, "--out", a.toString(), "--faults", f.toString()));
        CliTest.Result rb = CliTest.run(concat(common, "--out", b.toString(), "--reroute-remote", "200ms",
                "--fault", "link-flap,link=leaf0/spine0,at=30us,for=1ms", "--fault", "ber,link=leaf1/spine1,ber=7e-4"));
        assertEquals(0, ra.code(), ra.err());
        assertEquals(0, rb.code(), rb.err());
        for (String file : new String[] {"collectives.csv", "ports.csv", "faults.csv", "latency.hgrm"}) {
            assertEquals(Files.readString(runDir(b).resolve(file)), Files.readString(runDir(a).resolve(file)), file);
        }
    }

    @Test
    void shouldNameFileAndLineOfABadEntry() throws IOException {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, """
                faults:
                  - {kind: link-flap, link: leaf0/spine0, at: 30us, for: 1ms}
                  - {kind: link-down, link: leaf0/spine7, at: 1ms}
                """);
        Path out = Files.createDirectories(tmp.resolve("out"));
        CliTest.Result r = CliTest.run("run", "--topology", FABRIC, "--sizes", "1M", "--no-progress", "--out",
                out.toString(), "--faults", f.toString());
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(f + ":3") && err.contains("spine7"), err);
        assertFalse(err.contains("Exception"), err);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(0, s.count());
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package io.collemu.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

public class CliTest {
    @TempDir
    Path tmp;

    /** What one in-process run of the command line gave. */
    public record Result(int code, String out, String err) {
    }

    /** Runs the command line in this JVM, capturing both streams. */
    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CollemuCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(List.of("run", "--link", "cpo-9t"), "cpo-9t"),
                Arguments.of(List.of("run", "--topology", "mesh:gpus=4"), "mesh"),
                Arguments.of(List.of("run", "--topology", "fat-tree:k=5"), "k"),
                Arguments.of(List.of("run", "--sizes", "1M:1K:x2"), "--sizes"),
                Arguments.of(List.of("run", "--sizes", "banana"), "--sizes"),
                Arguments.of(List.of("run", "--channels", "65"), "--channels"),
                Arguments.of(List.of("run", "--channels", "many"), "--channels"),
                Arguments.of(List.of("run", "--segment-bytes", "1K"), "--segment-bytes"),
                Arguments.of(List.of("run", "--collective", "all-sum"), "all-sum"),
                Arguments.of(List.of("run", "--algorithm", "zigzag"), "zigzag"),
                Arguments.of(List.of("run", "--engine", "gpu"), "--engine"),
                Arguments.of(List.of("run", "--iterations", "-3"), "--iterations"),
                Arguments.of(List.of("run", "--no-such-flag"), "no-such-flag"),
                Arguments.of(List.of("topology", "show", "leaf-spine:leaves=0,spines=1,hosts-per-leaf=4,link=lpo-800g"),
                        "leaves"),
                Arguments.of(List.of("bench", "--scenario", "nope"), "nope"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void shouldRejectBadInputWithOneLineAndExitTwo(List<String> args, String mentions) {
        List<String> withOut = new java.util.ArrayList<>(args);
        if ("run".equals(args.get(0))) {
            withOut.add("--out");
            withOut.add(tmp.toString());
        }
        Result r = run(withOut.toArray(String[]::new));
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line on stderr, got:\n" + err);
        assertTrue(err.contains(mentions), "the error should name '" + mentions + "': " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertFalse(Files.exists(tmp.resolve("summary.json")));
    }

    @Test
    void shouldRejectMalformedTopologyFileNamingFileAndLine() throws IOException {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, "builder: leaf-spine\nparams:\n  leaves: 4\n  spines: [oops\n");
        Result r = run("run", "--topology", f.toString(), "--out", tmp.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("bad.yaml"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void shouldRunInOneJvmWhileAnotherProgramHoldsTheClusterPort() throws IOException {
        // a run in one JVM listens nowhere: a member serving runs on this machine may hold the default port
        try (java.net.ServerSocket held = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Result r = run("run", "--topology", "single-switch:gpus=8,link=cpo-1.6t", "--sizes", "64K", "--port",
                    String.valueOf(held.getLocalPort()), "--out", tmp.toString(), "--no-progress");
            assertEquals(0, r.code(), r.err());
            Result cluster = run("run", "--members", "2", "--topology", "single-switch:gpus=8,link=cpo-1.6t",
                    "--sizes", "64K", "--port", String.valueOf(held.getLocalPort()), "--out", tmp.toString(),
                    "--no-progress");
            assertEquals(2, cluster.code(), cluster.err());
            assertTrue(cluster.err().contains("--port " + held.getLocalPort() + ": already in use"), cluster.err());
        }
    }

    @Test
    void shouldRunASmallSweepAndWriteEveryFile() throws IOException {
        Result r = run("run", "--topology", "single-switch:gpus=8,link=cpo-1.6t", "--sizes", "64K:1M:x4",
                "--collective", "all-reduce,all-gather", "--out", tmp.toString(), "--no-progress", "--engine",
                "sequential");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("busbw"), r.out());
        Path dir;
        try (Stream<Path> s = Files.list(tmp)) {
            dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        for (String name : List.of("summary.json", "collectives.csv", "nccl-tests.txt", "latency.hgrm",
                "latency.hlog", "ports.csv")) {
            assertTrue(Files.size(dir.resolve(name)) > 0, name);
        }
        String summary = Files.readString(dir.resolve("summary.json"));
        assertTrue(summary.contains("\"partial\" : false") || summary.contains("\"partial\": false"), summary);
        assertEquals(2 * 3 + 1, Files.readAllLines(dir.resolve("collectives.csv")).size());
    }

    @Test
    void shouldListAndShowBuiltInProfiles() {
        Result list = run("profiles", "list");
        assertEquals(0, list.code(), list.err());
        for (String p : List.of("nccl-sweep", "dense-training-step", "moe-step", "pipeline-step", "two-jobs")) {
            assertTrue(list.out().contains(p), p);
            Result show = run("profiles", "show", p);
            assertEquals(0, show.code(), show.err());
            assertTrue(show.out().contains("jobs:"), show.out());
        }
        Result unknown = run("profiles", "show", "gpt-17");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("gpt-17"), unknown.err());
    }

    @Test
    void shouldRejectABadProfileWithFileLineAndField() throws IOException {
        Path f = tmp.resolve("broken.yaml");
        Files.writeString(f, "name: broken\njobs:\n  - name: a\n    ops:\n      - {name: x, kind: all-reduce, "
                + "size: -5M, communicator: dp}\n");
        Result r = run("run", "--profile", f.toString(), "--out", tmp.toString(), "--no-progress");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("broken.yaml:5"), r.err());
        Result unknown = run("run", "--profile", "no-such-profile", "--out", tmp.toString());
        assertEquals(2, unknown.code(), unknown.err());
        Result param = run("run", "--param", "tp=8", "--out", tmp.toString());
        assertEquals(2, param.code(), param.err());
    }

    @Test
    void shouldListPresetsAndShowEveryBuilder() {
        Result presets = run("topology", "presets");
        assertEquals(0, presets.code());
        for (String p : List.of("pluggable-dsp-400g", "pluggable-dsp-800g", "pluggable-dsp-1.6t", "lpo-800g",
                "lpo-1.6t", "cpo-800g", "cpo-1.6t", "cpo-3.2t", "nvlink4", "nvlink5")) {
            assertTrue(presets.out().contains(p), p);
        }
        for (String spec : List.of("single-switch:gpus=8,link=nvlink4",
                "leaf-spine:leaves=16,spines=8,hosts-per-leaf=32,link=pluggable-dsp-800g,oversubscription=4",
                "fat-tree:k=16,link=lpo-800g",
                "rail-optimized:gpus=1024,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t")) {
            Result r = run("topology", "show", spec);
            assertEquals(0, r.code(), spec + ": " + r.err());
            assertTrue(r.out().toLowerCase().contains("gpu"), r.out());
        }
    }
}

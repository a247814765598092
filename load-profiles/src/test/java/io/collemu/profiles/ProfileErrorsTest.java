package io.collemu.profiles;

import io.collemu.profiles.spec.Profile;
import io.collemu.profiles.spec.ProfileException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed profile gives one line naming file, line and field. */
class ProfileErrorsTest {

    private static final String GOOD = """
            name: moe
            params:
              size: 4M
            jobs:
              - name: train
                layout:
                  tp: 2
                ops:
                  - {name: fwd, kind: compute, duration: 1ms}
                  - {name: ar, kind: all-reduce, size: "${size}", communicator: dp}
                  - name: a2a
                    kind: all-to-all
                    size: 1M
                    communicator: tp
            """;

    static Stream<Arguments> loadErrors() {
        return Stream.of(
                // the example of the issue: a negative size, on its own line
                Arguments.of(GOOD.replace("size: 1M", "size: -5M"),
                        "moe.yaml:13: jobs[0].ops[2].size: '-5M' is not a positive size"),
                Arguments.of(GOOD.replace("size: 1M", "size: 2T"),
                        "moe.yaml:13: jobs[0].ops[2].size: '2T' is out of range: at most 1099511627776 bytes"),
                Arguments.of(GOOD.replace("size: 1M", "size: 0"),
                        "moe.yaml:13: jobs[0].ops[2].size: '0' is not a positive size"),
                Arguments.of(GOOD.replace("size: 1M", "size: 3ms"),
                        "moe.yaml:13: jobs[0].ops[2].size: '3ms' is a duration, expected a size"),
                Arguments.of(GOOD.replace("size: 1M", "sise: 1M"),
                        "moe.yaml:13: jobs[0].ops[2].sise: unknown field (known: after, algorithm,"),
                Arguments.of(GOOD.replace("  tp: 2", "  tp: 2\n      xp: 3"),
                        "moe.yaml:8: jobs[0].layout.xp: unknown field (known: dp, ep, order, placement, pp, tp)"),
                Arguments.of(GOOD.replace("name: moe", "name: moe\ncolour: red"),
                        "moe.yaml:2: colour: unknown field (known: description, fabric, jobs, name, params)"),
                Arguments.of(GOOD.replace("duration: 1ms", "duration: 1"),
                        "moe.yaml:9: jobs[0].ops[0].duration: '1' is not a duration (give a unit"),
                Arguments.of(GOOD.replace("duration: 1ms", "duration: -1ms"),
                        "moe.yaml:9: jobs[0].ops[0].duration: '-1ms' is a negative duration"),
                Arguments.of(GOOD.replace("size: \"${size}\"", "size: \"${sizee}\""),
                        "moe.yaml:10: jobs[0].ops[1].size: '${sizee}': unknown parameter 'sizee'"),
                Arguments.of(GOOD.replace("size: 4M", "size: -4M"),
                        "moe.yaml:10: jobs[0].ops[1].size: '${size}' is not a positive size (= -4194304)"),
                Arguments.of(GOOD.replace("kind: all-to-all", "kind: all-to-one"),
                        "moe.yaml:12: jobs[0].ops[2].kind: unknown kind 'all-to-one' (kinds: compute, recv,"
                                + " all-reduce,"),
                Arguments.of(GOOD.replace("communicator: tp", "communicator: cp"),
                        "moe.yaml:14: jobs[0].ops[2].communicator: 'cp' is not a communicator"),
                Arguments.of(GOOD.replace("communicator: tp", "communicator: tp\n        algorithm: tree"),
                        "moe.yaml:15: jobs[0].ops[2].algorithm: 'tree' is not an algorithm of all-to-all (known:"
                                + " auto, pairwise, direct)"),
                Arguments.of(GOOD.replace("duration: 1ms}", "duration: 1ms, size: 1M}"),
                        "moe.yaml:9: jobs[0].ops[0].size: not used by kind 'compute'"),
                // a cycle in the DAG
                Arguments.of(GOOD.replace("duration: 1ms}", "duration: 1ms, after: [a2a]}"),
                        "moe.yaml:9: jobs[0].ops[0].after[0]: cycle in the operation graph: "),
                Arguments.of(GOOD.replace("duration: 1ms}", "duration: 1ms, after: [nothing]}"),
                        "moe.yaml:9: jobs[0].ops[0].after[0]: unknown op 'nothing' (ops of job 'train': fwd, ar, a2a)"),
                Arguments.of(GOOD.replace("name: a2a", "name: fwd"),
                        "moe.yaml:11: jobs[0].ops[2].name: duplicate op name 'fwd' in job 'train'"),
                // communicators that do not divide the job's GPUs (explicit GPU list: caught at load)
                Arguments.of(GOOD.replace("    layout:", "    gpus: 0-5\n    layout:").replace("tp: 2", "tp: 4"),
                        "moe.yaml:7: jobs[0].layout: tp*pp*ep = 4*1*1 = 4 does not divide the job's 6 GPUs"),
                Arguments.of(GOOD.replace("    layout:", "    gpus: 0-7\n    layout:").replace("tp: 2",
                        "tp: 2\n      dp: 3"),
                        "moe.yaml:9: jobs[0].layout.dp: dp*tp*pp*ep = 3*2*1*1 = 6 GPUs, but the job has 8"),
                Arguments.of(GOOD.replace("tp: 2", "tp: ${i}"),
                        "moe.yaml:7: jobs[0].layout.tp: '${i}': 'i' is only defined inside a repeat"),
                Arguments.of(GOOD.replace("size: 4M", "size: ${other}\n  other: ${size}"),
                        "moe.yaml:11: jobs[0].ops[1].size: '${size}': parameter 'size' = '${other}': parameter"
                                + " 'other' = '${size}': parameter 'size' refers to itself"),
                Arguments.of(GOOD.replace("- {name: fwd", "- {name: \"fwd\", name: x"),
                        "moe.yaml:9: (document): YAML syntax error: Duplicate field 'name'"),
                Arguments.of(GOOD.replace("    ops:", "    ops: [oops"),
                        "moe.yaml:"),
                Arguments.of(GOOD.replace("jobs:", "jobz:"),
                        "moe.yaml:4: jobz: unknown field"),
                Arguments.of("name: x\njobs: []\n", "moe.yaml:2: jobs: must not be empty"),
                // hardening: bounded work, bounded documents, whole bytes, no control characters
                Arguments.of(GOOD.replace("size: 1M", "size: 1.5"),
                        "moe.yaml:13: jobs[0].ops[2].size: size 1.5 is not a whole number of bytes"),
                Arguments.of(GOOD.replace("    layout:", "    iterations: 1000000\n    layout:")
                        .replace("duration: 1ms}", "duration: 1ms, repeat: 100000}"),
                        "moe.yaml:6: jobs[0].iterations: 1000000 iterations of 100002 operations would plan 100 G GPU"
                                + " tasks, more than the "),
                Arguments.of(GOOD + manyRepeats(), "moe.yaml:24: jobs[0].ops[12].repeat: one iteration of job"
                        + " 'train' would have 1000003 operations, more than 1000000: lower the repeat counts"),
                Arguments.of(GOOD.replace("size: \"${size}\"", "size: \"${" + "(".repeat(3000) + "1"
                        + ")".repeat(3000) + "}\""), "moe.yaml:10: jobs[0].ops[1].size: '${(((((("),
                Arguments.of(GOOD.replace("name: moe", "name: \"moe\\e[2J\""),
                        "moe.yaml:1: name: contains the control character U+001B"),
                Arguments.of(GOOD.replace("size: 1M", "size: *nowhere"),
                        "moe.yaml:13: jobs[0].ops[2].size: unknown alias '*nowhere'"),
                Arguments.of("jobs: " + "[".repeat(3000) + "]".repeat(3000) + "\n",
                        "moe.yaml:1: jobs[0][0][0]"));
    }

    /** Eleven ops of 100,000 copies each: 1.1 M operations in one iteration. */
    private static String manyRepeats() {
        StringBuilder y = new StringBuilder();
        for (int b = 0; b <= 10; b++) {
            y.append("      - {name: r").append(b).append(", kind: compute, duration: 1ms, repeat: 100000}\n");
        }
        return y.toString();
    }

    @ParameterizedTest
    @MethodSource("loadErrors")
    void shouldNameFileLineAndFieldOnOneLine(String yaml, String expectedStart) {
        ProfileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                ProfileException.class,
                () -> ProfileLoader.parse(yaml, "moe.yaml", Map.of()).jobs().forEach(j -> { })));
        assertFalse(e.getMessage().contains("StreamReadConstraints"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(expectedStart), "got: " + e.getMessage());
    }

    @Test
    void shouldParseTheGoodBase() {
        Profile p = ProfileLoader.parse(GOOD, "moe.yaml", Map.of());
        assertEquals(3, p.jobs().get(0).ops().size());
    }

    static Stream<Arguments> buildErrors() {
        return Stream.of(
                // dp*tp*pp*ep does not divide the fabric's GPUs ("all" is only known when bound)
                Arguments.of(GOOD.replace("tp: 2", "tp: 3"), 16,
                        "moe.yaml:6: jobs[0].layout: tp*pp*ep = 3*1*1 = 3 does not divide the job's 16 GPUs"),
                // the layout needs more GPUs than the fabric has
                Arguments.of(GOOD.replace("    layout:", "    gpus: 0-31\n    layout:"), 16,
                        "moe.yaml:6: jobs[0].gpus: GPU 31 in '0-31' is outside the fabric's 16 GPUs (0-15)"),
                // tp inside a server: with order [dp, tp] the tp pairs are 8 GPUs apart, across servers
                Arguments.of(GOOD.replace("  tp: 2", "  tp: 2\n      order: [dp, tp]\n"
                        + "      placement: {tp: inside-server}"), 16,
                        "moe.yaml:9: jobs[0].layout.placement.tp: tp groups must be inside a server, but tp group 0"),
                Arguments.of(GOOD.replace("size: 4M", "size: 4M\n  slowGpus: 3,40"), 16,
                        "moe.yaml:4: params.slowGpus: GPU 40 in '3,40' is outside the fabric's 16 GPUs"),
                Arguments.of(GOOD.replace("size: 1M", "size: ${gpuCount * 1T}"), 16,
                        "moe.yaml:13: jobs[0].ops[2].size: '${gpuCount * 1T}' is out of range"),
                Arguments.of(GOOD.replace("communicator: tp", "communicator: tp\n        pairs: [[0, 1]]"), 16,
                        "moe.yaml:"),
                // 3 ops of 64 GPUs for a million iterations: fine without a fabric, refused once the GPUs are known
                Arguments.of(GOOD.replace("    layout:", "    iterations: 1000000\n    layout:"), 64,
                        "moe.yaml:6: jobs[0].iterations: 1000000 iterations of 3 operations would plan 192 M GPU tasks,"
                                + " more than the "));
    }

    @ParameterizedTest
    @MethodSource("buildErrors")
    void shouldNameFileLineAndFieldWhenBoundToAFabric(String yaml, int gpus, String expectedStart) {
        ProfileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                ProfileException.class, () -> PlanBuilder.build(ProfileLoader.parse(yaml, "moe.yaml", Map.of()), gpus,
                        8, 1)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(expectedStart), "got: " + e.getMessage());
    }

    @Test
    void shouldRejectAnUnknownParameterOverride() {
        ProfileException e = assertThrows(ProfileException.class,
                () -> ProfileLoader.parse(GOOD, "moe.yaml", Map.of("bucket", "2M")));
        assertTrue(e.getMessage().startsWith("--param bucket=2M: unknown parameter of profile 'moe' (known: size,"
                + " "), e.getMessage());
    }

    @Test
    void shouldLocateABadOverrideAtItsUse() {
        ProfileException e = assertThrows(ProfileException.class,
                () -> ProfileLoader.parse(GOOD, "moe.yaml", Map.of("size", "lots")));
        assertEquals("moe.yaml:10: jobs[0].ops[1].size: '${size}': parameter 'size' = 'lots': 'lots' is not a"
                + " number; write ${lots} to use a parameter", e.getMessage());
    }

    @Test
    void shouldReportADeadlockAcrossGpus() {
        // rank order of two collectives differs between the two tp ranks: GPU 0 runs a then b, GPU 1 b then a
        String yaml = """
                name: dl
                jobs:
                  - name: j
                    gpus: 0-1
                    ops:
                      - {name: a, kind: send-recv, pairs: [[0, 1]], size: 1M, stream: s}
                      - {name: b, kind: send-recv, pairs: [[1, 0]], size: 1M, stream: s}
                      - {name: ra, kind: recv, of: a, stream: s, after: [b]}
                """;
        ProfileException e = assertThrows(ProfileException.class,
                () -> PlanBuilder.build(ProfileLoader.parse(yaml, "dl.yaml", Map.of()), 2, 2, 1));
        assertTrue(e.getMessage().startsWith("dl.yaml:3: jobs[0]: deadlock: GPUs wait on each other's collectives"),
                e.getMessage());
    }

    @Test
    void shouldLoadFilesAndNameThemInErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("moe.yaml");
        Files.writeString(f, GOOD.replace("size: 1M", "size: -5M"));
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileLoader.loadOrBuiltin(f.toString(),
                Map.of()));
        assertEquals(f + ":13: jobs[0].ops[2].size: '-5M' is not a positive size", e.getMessage());
        Files.writeString(f, GOOD);
        assertEquals("moe", ProfileLoader.loadOrBuiltin(f.toString(), Map.of()).name());
        ProfileException missing = assertThrows(ProfileException.class,
                () -> ProfileLoader.loadOrBuiltin(dir.resolve("none.yaml").toString(), Map.of()));
        assertTrue(missing.getMessage().startsWith("profile file not found: "), missing.getMessage());
    }

    @Test
    void shouldSayWhatAnInputIsWhenItIsNotAProfileFile(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectory(dir.resolve("step.yaml"));
        assertEquals(d + ": is a directory, not a profile file", assertThrows(ProfileException.class,
                () -> ProfileLoader.loadOrBuiltin(d.toString(), Map.of())).getMessage());
        Path bin = Files.write(dir.resolve("bin.yaml"), new byte[] {'n', ':', ' ', (byte) 0xC3, '\n'});
        assertEquals(bin + ": is not UTF-8 text (byte 3, on line 1, is 0xC3)", assertThrows(ProfileException.class,
                () -> ProfileLoader.loadOrBuiltin(bin.toString(), Map.of())).getMessage());
        Path fifo = dir.resolve("pipe.yaml");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        ProfileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                ProfileException.class, () -> ProfileLoader.loadOrBuiltin(fifo.toString(), Map.of())));
        assertEquals(fifo + ": is not a regular file (a named pipe, device or socket), not a profile file",
                e.getMessage());
    }

    @Test
    void shouldAcceptAnchorsAliasesAndMergeKeys() {
        String yaml = """
                name: anchors
                jobs:
                  - name: train
                    ops:
                      - &ar {name: ar, kind: all-reduce, size: 4M, communicator: world, channels: 2}
                      - {<<: *ar, name: ar2, size: 8M}
                      - {name: ar3, <<: *ar}
                """;
        Plan p = PlanBuilder.build(ProfileLoader.parse(yaml, "a.yaml", Map.of()), 8, 8, 1);
        assertEquals(3, p.collectives().size());
        assertEquals(8L << 20, p.collectives().get(1).schedule().request().sizeBytes(), "own key wins");
        assertEquals(2, p.collectives().get(2).schedule().request().channels(), "merged from the anchor");
    }
}

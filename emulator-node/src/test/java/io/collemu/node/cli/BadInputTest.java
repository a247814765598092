package io.collemu.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classes of bad input a hostile tester found escaping the contract (one line naming what and where, exit 2,
 * no stack trace, nothing left behind), one case or more each.
 */
class BadInputTest {
    @TempDir
    static Path tmp;

    static Path regularFile() throws IOException {
        Path f = tmp.resolve("a-file");
        if (!Files.exists(f)) {
            Files.writeString(f, "not a folder");
        }
        return f;
    }

    static Stream<Arguments> cases() throws IOException {
        String file = regularFile().toString();
        return Stream.of(
                // an unusable --out, for run, compare and --profile
                Arguments.of(List.of("run", "--sizes", "1M", "--out", file), "is not a directory"),
                Arguments.of(List.of("run", "--sizes", "1M", "--out", "/dev/null"), "--out"),
                Arguments.of(List.of("run", "--sizes", "1M", "--out", "/proc"), "--out"),
                Arguments.of(List.of("compare", "--link", "cpo-800g,lpo-800g", "--sizes", "1M", "--out", file),
                        "--out"),
                Arguments.of(List.of("run", "--profile", "two-jobs", "--out", "/proc"), "--out"),
                // work or memory without bound
                Arguments.of(List.of("run", "--sizes", "1:1T:x2"), "events"),
                Arguments.of(List.of("run", "--sizes", "1:100000:+1"), "--sizes"),
                Arguments.of(List.of("run", "--topology", "single-switch:gpus=16384,link=cpo-800g", "--collective",
                        "all-to-all", "--sizes", "64M", "--segment-bytes", "4K"), "heap"),
                Arguments.of(List.of("bench", "--segment-bytes", "1"), "--segment-bytes"),
                // uncaught exceptions
                Arguments.of(List.of("run", "--sizes", ","), "--sizes"),
                Arguments.of(List.of("bench", "--segment-bytes", "5M"), "--segment-bytes"),
                // invalid values accepted
                Arguments.of(List.of("run", "--port", "70000"), "--port"),
                Arguments.of(List.of("run", "--threads", "-1"), "--threads"),
                Arguments.of(List.of("run", "--threads", "100000"), "--threads"),
                Arguments.of(List.of("run", "--failure-timeout", "NaN"), "--failure-timeout"),
                Arguments.of(List.of("run", "--member-wait", "NaN"), "--member-wait"),
                Arguments.of(List.of("run", "--seed-nodes", "127.0.0.1:99999"), "--seed-nodes"),
                Arguments.of(List.of("run", "--profile", "two-jobs", "--sizes", "1M"), "--sizes"),
                Arguments.of(List.of("run", "--profile", "two-jobs", "--collective", "all-reduce"), "--collective"),
                // send-recv and all-to-all-v have real flags now
                Arguments.of(List.of("run", "--collective", "send-recv", "--pattern", "pairs:0-999"), "--pattern"),
                Arguments.of(List.of("run", "--collective", "send-recv", "--pattern", "zigzag"), "--pattern"),
                Arguments.of(List.of("run", "--collective", "all-to-all-v", "--skew", "-1"), "--skew"),
                // bad fault specs
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "link-down,link=su0-leaf0/nowhere,at=1ms"),
                        "--fault #1: unknown link"),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "link-down,link=gpu0/gpu1,at=1ms"),
                        "no cable between gpu0 and gpu1"),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "link-down,link=gpu0/nvs0,at=-1ms"),
                        "negative"),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "link-flap,link=gpu0/nvs0,at=1ms,for=-2s"),
                        "for"),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "ber,link=gpu0/nvs0,ber=2"),
                        "not a probability"),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "meltdown,link=gpu0/nvs0,at=1ms"),
                        "unknown fault kind"),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "link-down,link=gpu0/nvs0"), "needs at="),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "switch-down,switch=gpu3,at=1ms"),
                        "is not a switch"),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "link-down,port=nvs0:999,at=1ms"),
                        "has ports"),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "link-down,link=gpu0/nvs0,at=1ms,end=gpu9"),
                        "is not an end"),
                Arguments.of(List.of("run", "--sizes", "1M", "--fault", "link-down,link=gpu0/nvs0,at=1lightyear"),
                        "is not a time"),
                Arguments.of(List.of("run", "--sizes", "1M", "--ib-timeout", "40"), "--ib-timeout"),
                Arguments.of(List.of("run", "--sizes", "1M", "--random-faults", "-1"), "--random-faults"),
                Arguments.of(List.of("run", "--sizes", "1M", "--faults", "/nonexistent/faults.yaml"), "--faults"),
                // found by FlagCampaignTest: list flags of only separators, a NUL byte in a path
                Arguments.of(List.of("compare", "--link", ",", "--sizes", "1M"), "--link: an empty list"),
                Arguments.of(List.of("sweep", "--collective", ",", "--sizes", "1M"), "--collective: an empty list"),
                Arguments.of(List.of("sweep", "--profile", ","), "names no profile"),
                Arguments.of(List.of("run", "--sizes", "1M", "--faults", "a\u0000b"), "is not a usable path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRefuseWithOneLineAndExitTwo(List<String> args, String mentions) throws IOException {
        List<String> full = new ArrayList<>(args);
        Path out = Files.createTempDirectory(tmp, "out");
        if (!full.contains("--out") && !full.get(0).equals("bench")) {
            full.add("--out");
            full.add(out.toString());
        }
        full.add(full.get(0).equals("bench") ? "--engine" : "--no-progress");
        if (full.get(0).equals("bench")) {
            full.add("sequential");
        }
        CliTest.Result r = CliTest.run(full.toArray(String[]::new));
        String err = r.err().strip();
        assertEquals(2, r.code(), "exit code; stderr: " + err);
        assertEquals(1, err.lines().count(), "one line on stderr, got:\n" + err);
        assertTrue(err.contains(mentions), "the error should name '" + mentions + "': " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace or class name: " + err);
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(0, left.count(), "nothing written");
        }
    }
}

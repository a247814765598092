package io.collemu.node.cli;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A campaign over every value-taking flag of the commands users run: each gets each of a set of hostile values on
 * top of a tiny valid invocation, in this JVM. The contract: exit 0 (the value was fine) or exit 2 with one line on
 * stderr and no stack trace; never another exit code, never a hang (30 s each). The cluster's flags are left to
 * {@code ClusterStartupTest} (a valid value would wait for members), and {@code --out} to {@code BadInputTest}.
 *
 * <p>Every 7th case runs in the build; {@code -Dcollemu.campaign=true} runs them all and prints the count that met
 * the contract.
 */
class FlagCampaignTest {
    @TempDir
    static Path tmp;

    static final List<String> VALUES = List.of("", "-1", "0", "abc", "1e999", "99999999999999999999", "NaN", ",",
            "-0.5", "1:0:x0", "\u0000", "x".repeat(5000), "${", "=", "1M:1G:x1");
    static final Set<String> SKIPPED = Set.of("--members", "--port", "--host", "--bind", "--seed-nodes",
            "--tls-keystore", "--tls-password", "--failure-timeout", "--member-wait", "--join-attempts", "--out",
            "--resume", "--json");
    private static int met;
    private static int tried;

    /** A small valid invocation of each command. */
    static List<String> base(String command, Path out) {
        return switch (command) {
            case "run", "compare", "sweep" -> new ArrayList<>(List.of(command, "--topology",
                    "single-switch:gpus=2,link=cpo-800g", "--collective", "all-reduce", "--sizes", "4K", "--engine",
                    "sequential", "--no-progress", "--out", out.toString()));
            case "reliability" -> new ArrayList<>(List.of(command, "--topology",
                    "single-switch:gpus=8,link=cpo-800g", "--days", "1", "--trials", "10", "--engine", "sequential",
                    "--no-progress", "--out", out.toString()));
            case "bench" -> new ArrayList<>(List.of(command, "--scenario", "small", "--engine", "sequential"));
            default -> throw new IllegalArgumentException(command);
        };
    }

    static Stream<Arguments> cases() {
        boolean all = Boolean.getBoolean("collemu.campaign");
        CommandLine root = new CommandLine(new CollemuCommand());
        List<Arguments> out = new ArrayList<>();
        int k = 0;
        for (String command : List.of("run", "compare", "sweep", "reliability", "bench")) {
            CommandLine sub = root.getSubcommands().get(command);
            for (OptionSpec o : sub.getCommandSpec().options()) {
                String name = o.longestName();
                if (o.arity().max == 0 || o.usageHelp() || o.versionHelp() || SKIPPED.contains(name)) {
                    continue;
                }
                for (String v : VALUES) {
                    if (all || k % 7 == 0) {
                        out.add(Arguments.of(command, name, v));
                    }
                    k++;
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} ''{2}''")
    @MethodSource("cases")
    void shouldAcceptOrRefuseWithOneLine(String command, String flag, String value) throws IOException {
        Path out = Files.createTempDirectory(tmp, "out");
        List<String> args = base(command, out);
        int at = args.indexOf(flag);
        if (at >= 0) {
            args.set(at + 1, value);
        } else {
            args.add(flag);
            args.add(value);
        }
        CliTest.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> CliTest.run(args.toArray(String[]::new)), "no answer within 30 s: " + args);
        String err = r.err().strip();
        boolean ok = r.code() == 0 || (r.code() == 2 && err.lines().count() == 1 && !err.contains("Exception")
                && !err.contains("\tat "));
        synchronized (FlagCampaignTest.class) {
            tried++;
            met += ok ? 1 : 0;
        }
        assertTrue(ok, "exit " + r.code() + " for " + command + " " + flag + " '" + value.substring(0,
                Math.min(40, value.length())) + "'; stderr:\n" + err.substring(0, Math.min(2000, err.length())));
    }

    @AfterAll
    static void report() {
        System.out.printf("flag campaign: %d of %d inputs met the contract%n", met, tried);
    }
}

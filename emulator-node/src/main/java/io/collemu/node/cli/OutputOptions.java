package io.collemu.node.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where results go and whether a progress bar shows: {@code --out}, {@code --no-progress}. */
public final class OutputOptions {
    @Option(names = "--out", paramLabel = "DIR",
            description = "Where run directories go (default: runs/ at the collemu checkout, else ./runs).")
    Path out;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    /** The folder run directories go into: --out, else runs/ at the checkout (the launcher says where). */
    Path runsRoot() {
        if (out != null) {
            return out;
        }
        String home = System.getProperty("collemu.home");
        return home == null ? Path.of("runs") : Path.of(home, "runs");
    }

    /** Whether to show progress on stderr. */
    boolean progress() {
        return !noProgress;
    }
}

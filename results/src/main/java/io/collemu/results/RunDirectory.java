package io.collemu.results;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The output directory of one run, {@code <runsRoot>/<yyyyMMdd-HHmmss>} in local wall-clock time, with
 * {@code -1}, {@code -2}... appended when that name is taken: an existing directory is never reused, so no run
 * overwrites another. Creation is atomic per name, so concurrent runs get distinct directories. Thread-safe.
 */
public final class RunDirectory {

    public static final String SUMMARY_JSON = "summary.json";
    public static final String COLLECTIVES_CSV = "collectives.csv";
    public static final String NCCL_TESTS_TXT = "nccl-tests.txt";
    public static final String LATENCY_HGRM = "latency.hgrm";
    public static final String LATENCY_HLOG = "latency.hlog";
    public static final String PORTS_CSV = "ports.csv";
    public static final String REPORT_HTML = "report.html";

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final int MAX_SUFFIX = 10_000;

    private RunDirectory() {
    }

    /** @return a new, empty directory under {@code runsRoot} (created with its parents if needed) */
    public static Path create(Path runsRoot) throws IOException {
        return create(runsRoot, Clock.systemDefaultZone());
    }

    /** @return a new, empty directory under {@code runsRoot} named from {@code clock} */
    public static Path create(Path runsRoot, Clock clock) throws IOException {
        Files.createDirectories(runsRoot);
        String base = LocalDateTime.now(clock).format(NAME);
        for (int n = 0; n < MAX_SUFFIX; n++) {
            Path candidate = runsRoot.resolve(n == 0 ? base : base + "-" + n);
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException taken) {
                // another run of the same second: try the next suffix
            }
        }
        throw new IOException(runsRoot + ": " + MAX_SUFFIX + " run directories already named " + base + "*");
    }
}

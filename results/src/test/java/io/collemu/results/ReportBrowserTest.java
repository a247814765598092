package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in headless Chromium: the page's own script must have run and found every chart, no script
 * error may be logged, and a screenshot must come out. Under CI (CI=true) a missing browser fails; elsewhere the
 * test is skipped with a message. The screenshot is kept in target/report-check/ for a human to look at.
 */
class ReportBrowserTest {

    private static final long TIMEOUT_SECONDS = 60;
    private static String browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void findBrowser() {
        for (String candidate : List.of(System.getenv().getOrDefault("CHROMIUM", ""), "chromium",
            "chromium-browser", "google-chrome", "google-chrome-stable")) {
            if (!candidate.isEmpty() && onPath(candidate) != null) {
                browser = onPath(candidate);
                return;
            }
        }
        String message = "no chromium on PATH (apt-get install chromium): report.html not checked in a browser";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        System.out.println("SKIPPED: " + message);
        Assumptions.assumeTrue(false, message);
    }

    @Test
    void shouldRunThePageScriptFindEveryChartAndLogNoError() throws Exception {
        Path page = dir.resolve("report.html");
        ComparisonReport.write(page, Fixtures.threeRuns(), "collemu compare: browser check",
            ComparisonReportTest.inputs());
        Result dom = run(page, "--dump-dom", "--enable-logging=stderr", "--v=0");
        assertTrue(dom.stdout.contains("data-ready=\"ok\""), "the page's script ran to the end:\n" + head(dom));
        assertTrue(dom.stdout.contains("data-charts=\"" + ComparisonReport.CHART_IDS.size() + "\""), head(dom));
        assertFalse(dom.stdout.contains("data-errors=\""), "no script error:\n" + head(dom));
        for (String id : ComparisonReport.CHART_IDS) {
            assertTrue(dom.stdout.contains("<svg id=\"" + id + "\""), id + " in the DOM");
        }
        for (String line : dom.stderr.split("\n")) {
            assertFalse(line.contains("Uncaught") || (line.contains(":CONSOLE") && line.contains("rror")),
                "console error: " + line);
        }
    }

    @Test
    void shouldDetectAScriptErrorOnABrokenPage() throws Exception {
        // the check above must be able to fail: break the page and expect the markers to say so
        String html = ComparisonReport.html(Fixtures.threeRuns(), "broken", ComparisonReportTest.inputs())
            .replace("<svg id=\"chart-busbw\"", "<svg id=\"renamed\"")
            .replace("</body>", "<script>notDefinedAnywhere();</script>\n</body>");
        Path page = dir.resolve("broken.html");
        Files.writeString(page, html);
        Result dom = run(page, "--dump-dom");
        assertTrue(dom.stdout.contains("data-ready=\"missing-charts\""), head(dom));
        assertTrue(dom.stdout.contains("data-errors=\"") && dom.stdout.contains("notDefinedAnywhere"), head(dom));
    }

    @Test
    void shouldTakeANonTrivialScreenshot() throws Exception {
        Path page = dir.resolve("report.html");
        ComparisonReport.write(page, Fixtures.threeRuns(), "collemu compare: pluggable-dsp vs lpo vs cpo",
            ComparisonReportTest.inputs());
        Path keep = Path.of("target", "report-check").toAbsolutePath();
        Files.createDirectories(keep);
        Path png = keep.resolve("report-screenshot.png");
        Files.deleteIfExists(png);
        Files.copy(page, keep.resolve("report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        run(page, "--screenshot=" + png, "--window-size=1280,2400", "--hide-scrollbars");
        assertTrue(Files.exists(png), "screenshot written to " + png);
        byte[] bytes = Files.readAllBytes(png);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
        // a blank 1280x2400 page compresses to a few kB; charts and tables make it far larger
        assertTrue(bytes.length > 60_000, "screenshot is " + bytes.length + " bytes");
    }

    private record Result(String stdout, String stderr) {
    }

    private Result run(Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> command = new ArrayList<>(List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        Result result = new Result(Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
        assertNotNull(result.stdout);
        return result;
    }

    private static String head(Result r) {
        return r.stdout.substring(0, Math.min(600, r.stdout.length())) + "\n--- stderr ---\n"
            + r.stderr.substring(0, Math.min(2000, r.stderr.length()));
    }

    private static String onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}

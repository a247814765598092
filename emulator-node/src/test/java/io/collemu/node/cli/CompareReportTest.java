package io.collemu.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collemu compare} end to end: two link models on one workload, the table on stdout, and report.html
 * rendered by a real headless Chromium (its own script marks the page ready and counts the charts; no console
 * errors), with a screenshot.
 */
class CompareReportTest {
    @TempDir
    Path tmp;

    @Test
    void shouldCompareTwoLinkModelsAndRenderTheReportInChromium() throws Exception {
        CliTest.Result r = CliTest.run("compare", "--link", "pluggable-dsp-800g,cpo-1.6t", "--topology",
                "rail-optimized:gpus=16,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g", "--sizes",
                "1M,16M", "--engine", "sequential", "--out", tmp.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("cpo-1.6t"), r.out());
        assertTrue(r.out().contains("%"), "the differences table should show percentages:\n" + r.out());
        Path dir;
        try (Stream<Path> s = Files.list(tmp)) {
            dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path report = dir.resolve("report.html");
        assertTrue(Files.size(report) > 5_000);
        for (String link : List.of("pluggable-dsp-800g", "cpo-1.6t")) {
            assertTrue(Files.exists(dir.resolve(link).resolve("collectives.csv")), link);
        }
        String html = Files.readString(report);
        assertFalse(html.contains("http://") || html.contains("https://"), "report must be self-contained");

        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but no chromium: .ci/run must install Debian's chromium");
            }
            Assumptions.assumeTrue(false, "chromium is not installed: report.html not checked in a browser");
        }
        String dom = chromium(chromium, report, "--dump-dom");
        java.util.regex.Matcher body = java.util.regex.Pattern.compile("<body[^>]*>").matcher(dom);
        assertTrue(body.find(), "no body in the rendered page");
        String bodyTag = body.group();
        assertTrue(bodyTag.contains("data-ready=\"ok\""), "the page's script did not finish: " + bodyTag);
        assertTrue(bodyTag.contains("data-charts=\"6\""), "not every chart was drawn: " + bodyTag);
        assertFalse(bodyTag.contains("data-errors"), "the page logged errors: " + bodyTag);
        Path png = tmp.resolve("report.png");
        chromium(chromium, report, "--screenshot=" + png, "--window-size=1280,2400");
        assertTrue(Files.size(png) > 20_000, "screenshot too small");
    }

    @Test
    void shouldWriteAReportForASingleRunThatRendersInChromium() throws Exception {
        CliTest.Result r = CliTest.run("run", "--topology", "single-switch:gpus=8,link=cpo-1.6t", "--sizes",
                "1M,4M", "--engine", "sequential", "--out", tmp.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        Path dir;
        try (Stream<Path> s = Files.list(tmp)) {
            dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path report = dir.resolve("report.html");
        assertTrue(Files.size(report) > 5_000, "report.html of a run");
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but no chromium: .ci/run must install Debian's chromium");
            }
            Assumptions.assumeTrue(false, "chromium is not installed: report.html not checked in a browser");
        }
        String dom = chromium(chromium, report, "--dump-dom");
        java.util.regex.Matcher body = java.util.regex.Pattern.compile("<body[^>]*>").matcher(dom);
        assertTrue(body.find(), "no body in the rendered page");
        assertTrue(body.group().contains("data-ready=\"ok\""), body.group());
        assertTrue(body.group().contains("data-charts=\"6\""), body.group());
        assertFalse(body.group().contains("data-errors"), body.group());
    }

    @Test
    void shouldCompareATrainingStepPerLinkModel() throws Exception {
        Path profile = tmp.resolve("step.yaml");
        Files.writeString(profile, "name: step\njobs:\n  - name: train\n    iterations: 2\n    warmup: 1\n"
                + "    layout: {dp: auto}\n    ops:\n"
                + "      - {name: bwd, kind: compute, duration: 100us, stream: compute}\n"
                + "      - {name: grad, kind: all-reduce, size: 16M, communicator: dp, stream: dp, after: [bwd]}\n");
        // a faster NIC helps only below the GPU's PCIe path: on B200 (Gen6, 96 GB/s) 400G -> 800G does, while on
        // H100 (48 GB/s) even 400G is PCIe-bound
        CliTest.Result r = CliTest.run("compare", "--profile", profile.toString(), "--link",
                "pluggable-dsp-400g,pluggable-dsp-800g", "--topology", "single-switch:gpus=8,link=pluggable-dsp-800g",
                "--gpu", "b200", "--engine", "sequential", "--out", tmp.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("training step"), r.out());
        assertTrue(r.out().contains("exposed comm (us)"), r.out());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("train\\s+iteration \\(us\\)\\s+([0-9.]+)\\s+"
                + "([0-9.]+)\\s+([-+][0-9.]+)%").matcher(r.out());
        assertTrue(m.find(), r.out());
        double g400 = Double.parseDouble(m.group(1));
        double g800 = Double.parseDouble(m.group(2));
        assertTrue(g800 < 0.8 * g400, "an 800G link should shorten an all-reduce-bound step: " + g400 + " vs " + g800);
    }

    private static String head(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) : s;
    }

    private String chromium(Path chromium, Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "chromium");
        List<String> cmd = new java.util.ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(extra));
        cmd.add(page.toUri().toString());
        Path out = tmp.resolve("chromium-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}

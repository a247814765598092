package io.collemu.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.collemu.node.run.CostModel;
import io.collemu.node.run.FailureClasses;
import io.collemu.node.run.FaultPlans;
import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collemu reliability}: the Monte Carlo agrees with rate x ends x hours, seeds reproduce, a CPO engine failure
 * takes its whole switch, the degraded slowdown is what {@code run} with that fault measures, overrides change the
 * costs as arithmetic says, every assumed figure says so, and bad campaign inputs are one line with exit 2.
 */
class ReliabilityTest {
    static final String FABRIC = "leaf-spine:leaves=2,spines=2,hosts-per-leaf=4,link=pluggable-dsp-800g";
    static final String PROFILE = """
            name: one-all-to-all
            jobs:
              - name: train
                gpus: all
                iterations: 1
                warmup: 0
                ops:
                  - {name: a2a, kind: all-to-all, size: 16M, communicator: dp, stream: dp}
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path profile() throws IOException {
        Path p = tmp.resolve("one-all-to-all.yaml");
        Files.writeString(p, PROFILE);
        return p;
    }

    static Path runDir(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    JsonNode reliability(Path out, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("reliability", "--topology", FABRIC, "--profile",
                profile().toString(), "--engine", "sequential", "--no-progress", "--out", out.toString()));
        args.addAll(List.of(extra));
        CliTest.Result r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(runDir(out).resolve("reliability.json").toFile());
    }

    @Test
    void shouldMatchRateTimesEndsTimesHoursWithoutRepairOrSlowdown() throws IOException {
        double days = 365;
        JsonNode j = reliability(Files.createDirectories(tmp.resolve("a")), "--no-route-around", "--days", "365",
                "--trials", "4000");
        JsonNode link = j.get("reliability").get("links").get(0);
        Topology t = TopologySpecs.parse(FABRIC);
        double rate = 0;
        for (int p = 0; p < t.portCount(); p++) {
            if (t.portReverse(p) > p) {
                rate += t.portNearEnd(p).hardFailuresPerEndHour() + t.portFarEnd(p).hardFailuresPerEndHour();
            }
        }
        for (int n = 0; n < t.nodeCount(); n++) {
            if (t.nodeKind(n) == NodeKind.SWITCH) {
                rate += FaultPlans.SWITCH_FAILURES_PER_HOUR;
            }
        }
        double expected = rate * days * 24;
        double mean = link.get("interruptionsMean").asDouble();
        double se = Math.sqrt(expected / 4000); // Poisson: variance = mean
        assertTrue(Math.abs(mean - expected) <= 4 * se, "mean " + mean + " vs " + expected + " +- " + se);
    }

    @Test
    void shouldReproduceWithTheSameSeed() throws IOException {
        JsonNode a = reliability(Files.createDirectories(tmp.resolve("a")), "--seed", "5", "--trials", "300");
        JsonNode b = reliability(Files.createDirectories(tmp.resolve("b")), "--seed", "5", "--trials", "300");
        JsonNode c = reliability(Files.createDirectories(tmp.resolve("c")), "--seed", "6", "--trials", "300");
        assertEquals(a.get("reliability"), b.get("reliability"));
        assertNotEquals(a.get("reliability").get("links").get(0).get("lostGpuHoursMean"),
                c.get("reliability").get("links").get(0).get("lostGpuHoursMean"));
    }

    @Test
    void shouldTakeAWholeCpoSwitchOnAnEngineFailure() {
        Topology t = TopologySpecs.parse("single-switch:gpus=64,link=cpo-800g");
        var params = new FailureClasses.Params(4, 4, 24, 0.7, 8, 0, 1, true);
        var classes = FailureClasses.of(t, CostModel.defaults(2.5), params);
        var engine = classes.stream().filter(c -> c.name().startsWith("CPO optical engine")).findFirst()
                .orElseThrow();
        assertEquals(64, engine.ports().size() / 2, "links down");
        assertEquals(64, engine.servers(), "GPUs isolated");
        assertTrue(engine.waitsRepair());
        var laser = classes.stream().filter(c -> c.name().startsWith("CPO laser")).findFirst().orElseThrow();
        assertEquals(8, laser.ports().size() / 2);
        LinkModel cpo = t.portFarEnd(0); // the switch's end of a GPU's cable
        assertEquals(64 * cpo.hardFailuresPerEndHour() * 0.3, engine.ratePerHour(), 1e-15);
    }

    @Test
    void shouldUseTheSlowdownThatRunMeasures() throws IOException {
        JsonNode j = reliability(Files.createDirectories(tmp.resolve("a")), "--trials", "10");
        JsonNode link = j.get("reliability").get("links").get(0);
        double healthyUs = link.get("healthyIterationUs").asDouble();
        double slowdown = 0;
        for (JsonNode c : link.get("classes")) {
            if (c.get("class").asText().equals("switch failure, spine")) {
                slowdown = c.get("slowdown").asDouble();
            }
        }
        assertTrue(slowdown > 1, "a spine down slows an all-to-all across two leaves: " + slowdown);
        Path out = Files.createDirectories(tmp.resolve("run"));
        CliTest.Result r = CliTest.run("run", "--topology", FABRIC, "--profile", profile().toString(), "--engine",
                "sequential", "--segment-bytes", "1M", "--no-progress", "--out", out.toString(), "--fault",
                "switch-down,switch=spine0,at=0", "--fault-detect", "0", "--reroute-local", "0", "--reroute-remote",
                "0");
        assertEquals(0, r.code(), r.err());
        List<String> its = Files.readAllLines(runDir(out).resolve("iterations.csv"));
        double runUs = Long.parseLong(its.get(1).split(",")[5]) / 1e6;
        assertEquals(runUs, healthyUs * slowdown, runUs * 1e-9);
    }

    @Test
    void shouldMarkAssumptionsAndApplyOverrides() throws IOException {
        JsonNode base = reliability(Files.createDirectories(tmp.resolve("a")), "--trials", "10");
        Path costs = tmp.resolve("costs.yaml");
        Files.writeString(costs, "prices: {pluggable-dsp-800g: 2000}\ngpuHour: 10\n");
        JsonNode over = reliability(Files.createDirectories(tmp.resolve("b")), "--trials", "10", "--costs",
                costs.toString());
        JsonNode a = base.get("reliability").get("links").get(0);
        JsonNode b = over.get("reliability").get("links").get(0);
        assertEquals(2 * a.get("capexOptics").asDouble(), b.get("capexOptics").asDouble(), 1e-6, "$1000 -> $2000");
        assertEquals(4 * a.get("downtimeDollars").asDouble(), b.get("downtimeDollars").asDouble(), 1e-6,
                "$2.50 -> $10 per GPU-hour");
        String assumedA = base.get("assumed").toString();
        String assumedB = over.get("assumed").toString();
        assertTrue(assumedA.contains("cost prices") && assumedA.contains("cost gpuHour"), assumedA);
        assertFalse(assumedB.contains("cost prices") || assumedB.contains("cost gpuHour"), assumedB);
        String text = Files.readString(runDir(tmp.resolve("a")).resolve("report.html"));
        assertTrue(text.contains("Assumed") && text.contains("Cost per training run"));
    }

    @Test
    void shouldRefuseBadCampaignInputs() throws IOException {
        for (String[] bad : new String[][] {{"--days", "-3"}, {"--days", "1", "--checkpoint-interval", "48h"},
            {"--compare-links", "pluggable-dsp-800g,no-such-preset"}, {"--trials", "0"}, {"--laser-share", "2"}}) {
            Path out = Files.createDirectories(tmp.resolve("bad" + System.nanoTime()));
            List<String> args = new ArrayList<>(List.of("reliability", "--topology", FABRIC, "--profile",
                    profile().toString(), "--no-progress", "--out", out.toString()));
            args.addAll(List.of(bad));
            CliTest.Result r = CliTest.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }
}

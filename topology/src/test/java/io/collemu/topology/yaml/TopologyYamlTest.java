package io.collemu.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.model.LinkPresets;
import io.collemu.topology.model.Topology;
import io.collemu.topology.model.TopologyException;
import io.collemu.topology.route.PathAssertions;
import io.collemu.topology.route.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopologyYamlTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static final String SMALL_GRAPH = """
            nodes:
              - {id: g0, kind: gpu, server: 0}
              - {id: g1, kind: gpu, server: 0}
              - {id: leaf, kind: switch, radix: 4}
            links:
              - {a: g0, b: leaf, model: pluggable-dsp-800g}
              - {a: g1, b: leaf, model: pluggable-dsp-800g}
            """;

    @Test
    void shouldLoadBuilderWithParamsAndOwnLinkModels() throws IOException {
        Path f = write("ls.yaml", """
                builder: leaf-spine
                params: {leaves: 4, hosts-per-leaf: 8, oversubscription: 2, link: fast-cpo}
                linkModels:
                  fast-cpo: {base: cpo-1.6t, phyLatencyNs: 3}
                  cpo-1.6t: {idleWatts: 1.0}
                switches: {latencyNs: 250, bufferBytes: 2097152}
                """);
        Topology t = TopologySpecs.parse(f.toString());
        assertEquals(f.toString(), t.spec());
        assertEquals(32, t.gpuCount());
        int leaf = t.nodeByName("leaf0");
        assertEquals(250_000, t.switchLatencyPs(leaf));
        assertEquals(2L << 20, t.ingressBufferBytes(leaf));
        int up = -1;
        for (int i = 0; i < t.portCountOf(leaf); i++) {
            if (t.tier(t.portPeer(t.portOf(leaf, i))) == 2) {
                up = t.portOf(leaf, i);
            }
        }
        assertEquals("fast-cpo", t.portNearEnd(up).name());
        assertEquals(3_000, t.portNearEnd(up).phyLatencyPs());
        assertEquals(LinkPresets.CPO_1_6T.idleWatts(), t.portNearEnd(up).idleWatts(), "base is the real preset");
        assertEquals(2.0, Inventory.of(t).oversubscription(), 1e-12);
        Topology overridden = TopologySpecs.parse(f.toString(), Map.of("link", "cpo-1.6t"));
        assertEquals(1.0, overridden.portNearEnd(overridden.portOf(leaf, 0)).idleWatts(),
                "the file's own cpo-1.6t override");
    }

    @Test
    void shouldLoadExplicitHybridCubeMesh() throws IOException {
        // DGX-1-like: 8 GPUs, NVLink between cube-mesh neighbours, one IB leaf reaching all of them
        StringBuilder y = new StringBuilder("nodes:\n");
        for (int g = 0; g < 8; g++) {
            y.append("  - {id: gpu").append(g).append(", kind: gpu, server: 0}\n");
        }
        y.append("  - {id: ib, kind: switch, tierName: leaf, radix: 8, latencyNs: 400}\nlinks:\n");
        int[][] mesh = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {4, 5}, {4, 6}, {4, 7}, {5, 6}, {5, 7},
            {6, 7}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
        for (int[] e : mesh) {
            y.append("  - {a: gpu").append(e[0]).append(", b: gpu").append(e[1])
                    .append(", model: nvlink4, count: 1}\n");
        }
        for (int g = 0; g < 8; g++) {
            y.append("  - {a: gpu").append(g).append(", b: ib, model: pluggable-dsp-400g, cableMetres: 2}\n");
        }
        Topology t = TopologySpecs.parse(write("dgx1.yml", y.toString()).toString());
        assertEquals(8, t.gpusPerServer());
        assertEquals(400_000, t.switchLatencyPs(t.nodeByName("ib")));
        Router r = new Router(t);
        assertEquals(1, r.hops(0, 1), "NVLink neighbours");
        assertEquals(2, r.hops(0, 5), "not neighbours: over the leaf, never through a GPU");
        PathAssertions.assertAllPairsRoutable(t);
    }

    @Test
    void shouldRouteDualHomedGpusOverTheNearestPlane() throws IOException {
        Topology t = TopologySpecs.parse(write("planes.yaml", """
                switches: {latencyNs: 200}
                nodes:
                  - {id: g0, kind: gpu}
                  - {id: g1, kind: gpu}
                  - {id: g2, kind: gpu}
                  - {id: l0, kind: switch}
                  - {id: l1, kind: switch}
                  - {id: s, kind: switch, tierName: spine}
                links:
                  - {a: g0, b: l0, model: cpo-800g}
                  - {a: g0, b: l1, model: cpo-800g}
                  - {a: g1, b: l1, model: cpo-800g}
                  - {a: g2, b: l0, model: cpo-800g}
                  - {a: l0, b: s, model: cpo-800g, cableMetres: 30, count: 2}
                  - {a: l1, b: s, model: cpo-800g, cableMetres: 30, count: 2}
                """).toString());
        assertEquals(2, t.tier(t.nodeByName("s")), "tier follows tierName");
        assertEquals(200_000, t.switchLatencyPs(t.nodeByName("l0")));
        assertEquals(4, t.radix(t.nodeByName("s")), "radix defaults to the ports used");
        Router r = new Router(t);
        assertEquals(2, r.hops(0, 1));
        assertEquals(2, r.hops(1, 0));
        assertEquals(2, r.hops(2, 0));
        assertEquals(4, r.hops(2, 1));
        PathAssertions.assertAllPairsRoutable(t);
        assertEquals(LinkPresets.PLUGGABLE_DSP_800G, t.portNearEnd(t.portOf(t.gpuNode(0), 0)), "hybrid NIC end");
    }

    @Test
    void shouldRoundTripThroughYaml() throws IOException {
        for (String spec : List.of("rail-optimized:gpus=16,link=cpo-1.6t", "leaf-spine:leaves=2,spines=1,"
                + "hosts-per-leaf=4,oversubscription=2,cable-m=7.5,switch-latency-ns=123.456")) {
            Topology a = TopologySpecs.parse(spec);
            String yaml = TopologyYamlWriter.write(a);
            Topology b = TopologySpecs.parse(write("rt.yaml", yaml).toString());
            assertEquals(describe(a), describe(b), spec);
            assertEquals(yaml, TopologyYamlWriter.write(b).replace(b.spec(), a.spec()), "stable");
        }
    }

    private static List<String> describe(Topology t) {
        List<String> out = new ArrayList<>();
        for (int n = 0; n < t.nodeCount(); n++) {
            out.add(t.nodeName(n) + " " + t.nodeKind(n) + " " + t.tier(n) + " " + t.tierName(n) + " " + t.radix(n)
                    + " " + t.switchLatencyPs(n) + " " + t.ingressBufferBytes(n) + " "
                    + (t.gpuOfNode(n) >= 0 ? t.serverOfGpu(t.gpuOfNode(n)) : ""));
            List<String> ports = new ArrayList<>();
            for (int i = 0; i < t.portCountOf(n); i++) {
                int p = t.portOf(n, i);
                ports.add(t.nodeName(t.portPeer(p)) + " " + t.portRateBps(p) + " " + t.portLinkLatencyPs(p) + " "
                        + t.portNearEnd(p) + " " + t.portFarEnd(p) + " " + t.portCableMetres(p));
            }
            ports.sort(null);
            out.addAll(ports);
        }
        return out;
    }

    static List<Arguments> badFiles() {
        return List.of(
            Arguments.of("unknown preset", SMALL_GRAPH.replace("b: leaf, model: pluggable-dsp-800g}\n  - {a: g1",
                    "b: leaf, model: cpo-9t}\n  - {a: g1"),
                    ":6: field 'links[0].model': unknown link model 'cpo-9t' (known: pluggable-dsp-400g"),
            Arguments.of("unknown field", SMALL_GRAPH.replace("{id: g1, kind: gpu, server: 0}",
                    "{id: g1, kind: gpu, colour: red}"),
                    ":3: field 'nodes[1].colour': unknown field 'colour' (known: bufferBytes, id, kind, latencyNs,"),
            Arguments.of("zero rate", "linkModels:\n  slow:\n    technology: cpo\n    rateGbps: 0\n" + SMALL_GRAPH,
                    ":4: field 'linkModels.slow.rateGbps': rate must be positive"),
            Arguments.of("negative rate", "linkModels:\n  pluggable-dsp-800g: {rateBps: -5}\n" + SMALL_GRAPH,
                    ":2: field 'linkModels.pluggable-dsp-800g.rateBps': rate must be positive"),
            Arguments.of("negative latency", "linkModels:\n  x: {base: lpo-800g, fecLatencyNs: -1}\n" + SMALL_GRAPH,
                    ":2: field 'linkModels.x.fecLatencyNs': must be a number >= 0"),
            Arguments.of("unknown base", "linkModels:\n  x: {base: lpo-9t}\n" + SMALL_GRAPH,
                    ":2: field 'linkModels.x.base': unknown preset 'lpo-9t'"),
            Arguments.of("disconnected", SMALL_GRAPH.replace("links:",
                    "  - {id: g2, kind: gpu}\n  - {id: leaf2, kind: switch}\nlinks:")
                    + "  - {a: g2, b: leaf2, model: lpo-800g}\n",
                    ":5: field 'nodes[3]': disconnected fabric: gpu 'g2' cannot be reached from gpu 'g0'"),
            Arguments.of("radix", SMALL_GRAPH.replace("radix: 4", "radix: 1"),
                    ":4: field 'nodes[2].radix': switch 'leaf' uses 2 ports, more than its radix 1"),
            Arguments.of("duplicate id", SMALL_GRAPH.replace("{id: g1,", "{id: g0,"),
                    ":3: field 'nodes[1].id': duplicate id 'g0' (first at line 2)"),
            Arguments.of("unknown node", SMALL_GRAPH.replace("{a: g1, b: leaf", "{a: g7, b: leaf"),
                    ":7: field 'links[1].a': unknown node 'g7'"),
            Arguments.of("wrong type", SMALL_GRAPH.replace("model: pluggable-dsp-800g}\n  - {a: g1",
                    "model: pluggable-dsp-800g, count: many}\n  - {a: g1"),
                    ":6: field 'links[0].count': cannot read 'many' as an integer"),
            Arguments.of("zero count", SMALL_GRAPH.replace("model: pluggable-dsp-800g}\n  - {a: g1",
                    "model: pluggable-dsp-800g, count: 0}\n  - {a: g1"),
                    ":6: field 'links[0].count': must be at least 1"),
            Arguments.of("unknown kind", SMALL_GRAPH.replace("kind: switch", "kind: router"),
                    ":4: field 'nodes[2].kind': unknown kind 'router'"),
            Arguments.of("syntax", "nodes:\n  - {id: g0, kind: gpu\nlinks: []\n", ": YAML syntax error"),
            Arguments.of("duplicate key", "builder: fat-tree\nbuilder: leaf-spine\n", ":2: YAML syntax error: Duplicate"),
            Arguments.of("unknown builder", "name: x\nbuilder: torus\nparams: {k: 4}\n",
                    ":2: field 'builder': unknown builder 'torus' (known: single-switch, leaf-spine, fat-tree,"),
            Arguments.of("unknown param", "builder: fat-tree\nparams:\n  k: 4\n  spines: 3\n",
                    ":4: field 'params.spines': unknown parameter 'spines' for builder fat-tree"),
            Arguments.of("param range", "builder: fat-tree\nparams:\n  k: 5\n",
                    ":3: field 'params.k': parameter 'k' must be even, got 5"),
            Arguments.of("switch radix", "builder: leaf-spine\nparams: {leaves: 2, hosts-per-leaf: 40}\n"
                    + "switches:\n  radix: 32\n", ":2: field 'params.hosts-per-leaf': parameter 'hosts-per-leaf': a"
                    + " leaf needs 40 down + 40 up ports, more than radix 32"),
            Arguments.of("both forms", "builder: fat-tree\nparams: {k: 4}\n" + SMALL_GRAPH,
                    ":3: field 'nodes': give either builder"),
            Arguments.of("empty", "", ":1: empty topology file"),
            // hardening: every bad value refused at its own field, in the user's terms
            Arguments.of("huge link count", "nodes:\n  - {id: g0, kind: gpu}\n  - {id: g1, kind: gpu}\nlinks:\n"
                    + "  - {a: g0, b: g1, model: nvlink4, count: 99000000}\n",
                    ":5: field 'links[0].count': the fabric would have 198 M ports and 2 nodes, about "),
            Arguments.of("latency overflow", "linkModels:\n  x: {base: lpo-800g, phyLatencyNs: 1e300}\n"
                    + SMALL_GRAPH,
                    ":2: field 'linkModels.x.phyLatencyNs': 1.0E300 ns is out of range: at most 1000000000 ns"),
            Arguments.of("rate below minimum", "linkModels:\n  x: {base: lpo-800g, rateBps: 0.001}\n" + SMALL_GRAPH,
                    ":2: field 'linkModels.x.rateBps': 0.001 bps is below the minimum of 1000000 bps (1 Mb/s"),
            Arguments.of("switch latency overflow", "switches: {latencyNs: 1e300}\n" + SMALL_GRAPH,
                    ":1: field 'switches.latencyNs': 1.0E300 ns is out of range: a switch latency is 0..1000000000"),
            Arguments.of("no GPUs", "nodes:\n  - {id: s0, kind: switch}\n  - {id: s1, kind: switch}\nlinks:\n"
                    + "  - {a: s0, b: s1, model: lpo-800g}\n", ":1: field 'nodes': a fabric needs at least one GPU"),
            Arguments.of("zero latency", "linkModels:\n  wire: {technology: electrical, rateGbps: 100, phyLatencyPs: 0,"
                    + " fecLatencyPs: 0}\n" + SMALL_GRAPH.replace("model: pluggable-dsp-800g}\n  - {a: g1",
                    "model: wire, cableMetres: 0}\n  - {a: g1"),
                    ":8: field 'links[0]': the link between 'g0' and 'leaf' has zero latency"),
            Arguments.of("NUL in id", SMALL_GRAPH.replace("{id: g0,", "{id: \"g\\0x\",")
                    .replace("{a: g0,", "{a: \"g\\0x\","),
                    ":2: field 'nodes[0].id': contains the control character U+0000"),
            Arguments.of("line break in id", SMALL_GRAPH.replace("{id: g0,", "{id: \"g\\nx\",")
                    .replace("{a: g0,", "{a: \"g\\nx\","),
                    ":2: field 'nodes[0].id': 'g\\u000Ax' contains the control character U+000A at position 2"),
            Arguments.of("escape in model name", "linkModels:\n  \"m\\e[31m\": {base: lpo-800g}\n" + SMALL_GRAPH,
                    ":2: field 'linkModels.m\\u001B[31m': contains the control character U+001B"),
            Arguments.of("fractional count", SMALL_GRAPH.replace("model: pluggable-dsp-800g}\n  - {a: g1",
                    "model: pluggable-dsp-800g, count: 1.5}\n  - {a: g1"), ":6: field 'links[0].count': "),
            Arguments.of("missing param named in full", "builder: single-switch\nparams: {link: nvlink4}\n",
                    ":2: field 'params.gpus': missing required parameter 'gpus' for builder single-switch"),
            Arguments.of("builder too big", "builder: leaf-spine\nparams:\n  leaves: 100000\n  hosts-per-leaf: 50000\n"
                    + "  radix: 100000\n  oversubscription: 50000\n",
                    ":3: field 'params.leaves': the fabric would have 5.0 G GPUs (at most 4.2 M"),
            Arguments.of("deep nesting", "nodes: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
                    ":1: field 'nodes[0][0][0]"),
            Arguments.of("unbroken long value", "name: \"" + "a".repeat(100_000) + "\"\n",
                    ":1: field '(document)': has more than 65536 characters without a space or line break"),
            Arguments.of("long value", "name: \"" + "a ".repeat(40_000) + "\"\n",
                    ":1: field 'name': is 80000 characters long, more than the 65536 a value may have"),
            Arguments.of("control character in text", "name: x\u0007\n" + SMALL_GRAPH,
                    ":1: field '(document)': contains the control character U+0007"),
            Arguments.of("unknown alias", "name: *nope\n" + SMALL_GRAPH, ":1: field 'name': unknown alias '*nope'"),
            Arguments.of("recursive alias", "name: &x [1, *x]\n" + SMALL_GRAPH,
                    ":1: field 'name[1]': alias '*x' is inside the node it refers to"),
            Arguments.of("billion laughs", billionLaughs(), "values (aliases count at every use)"),
            Arguments.of("two documents", SMALL_GRAPH + "---\n" + SMALL_GRAPH, ": YAML syntax error: a second YAML"));
    }

    /** Nine levels of ten aliases each: 10^9 values once expanded, a few hundred bytes of text. */
    private static String billionLaughs() {
        StringBuilder y = new StringBuilder("linkModels:\n  l0: &l0 [lol]\n");
        for (int i = 1; i <= 9; i++) {
            y.append("  l").append(i).append(": &l").append(i).append(" [");
            for (int k = 0; k < 10; k++) {
                y.append(k == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            y.append("]\n");
        }
        return y + SMALL_GRAPH;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void shouldRejectBadFilesWithFileLineAndField(String name, String text, String expected) throws IOException {
        Path f = write("bad.yaml", text);
        TopologyException e = assertThrows(TopologyException.class, () -> TopologySpecs.parse(f.toString()));
        assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertFalse(e.getMessage().contains("Exception"), "no stack trace or class names");
        assertFalse(e.getMessage().contains("StreamReadConstraints") || e.getMessage().contains("jackson"),
                "no library internals: " + e.getMessage());
        assertTrue(e.getMessage().length() < 400, "short: " + e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), "printable: " + e.getMessage());
    }

    @Test
    void shouldApplyLinkOverrideToExplicitGraphs() throws IOException {
        Path f = write("g.yaml", SMALL_GRAPH);
        Topology t = TopologySpecs.parse(f.toString(), Map.of("link", "cpo-800g"));
        int p = t.portOf(t.gpuNode(0), 0);
        assertEquals(LinkPresets.PLUGGABLE_DSP_800G, t.portNearEnd(p), "hybrid: the NIC end stays pluggable");
        assertEquals(LinkPresets.CPO_800G, t.portFarEnd(p));
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologySpecs.parse(f.toString(), Map.of("gpus", "8")));
        assertTrue(e.getMessage().contains("override 'gpus' does not apply"), e.getMessage());
    }

    @Test
    void shouldBlameABadOverrideOnTheOverrideNotOnTheFile() throws IOException {
        Path graph = write("g.yaml", SMALL_GRAPH);
        Path built = write("b.yaml", "builder: leaf-spine\nparams: {leaves: 2, hosts-per-leaf: 4, link: cpo-1.6t}\n");
        for (Path f : List.of(graph, built)) {
            TopologyException e = assertThrows(TopologyException.class,
                    () -> TopologySpecs.parse(f.toString(), Map.of("link", "bogus")));
            assertTrue(e.getMessage().startsWith(f + ": override link=bogus: unknown link model 'bogus' (known: "),
                    e.getMessage());
            assertEquals("link", e.overrideKey());
            assertTrue(e.problem().startsWith("unknown link model 'bogus' (known: pluggable-dsp-400g"), e.problem());
        }
    }

    @Test
    void shouldResolveAliasesAndMergeKeys() throws IOException {
        Topology viaAlias = TopologySpecs.parse(write("alias.yaml", """
                linkModels:
                  fast: &fast {base: cpo-1.6t, phyLatencyNs: 3}
                  other: *fast
                builder: leaf-spine
                params: {leaves: 2, hosts-per-leaf: 4, link: other}
                """).toString());
        // the anchor is itself a model (a topology file has no free-form section to keep defaults in)
        Topology viaMerge = TopologySpecs.parse(write("merge.yaml", """
                linkModels:
                  fast: &d {base: cpo-1.6t, phyLatencyNs: 3, idleWatts: 9}
                  other:
                    <<: *d
                    idleWatts: 2
                builder: leaf-spine
                params: {leaves: 2, hosts-per-leaf: 4, link: other}
                """).toString());
        int leaf = viaAlias.nodeByName("leaf0");
        int up = viaAlias.portOf(leaf, viaAlias.portCountOf(leaf) - 1);
        assertEquals(3_000, viaAlias.portNearEnd(up).phyLatencyPs(), "the alias's mapping");
        assertEquals(3_000, viaMerge.portNearEnd(up).phyLatencyPs(), "merged from the anchor");
        assertEquals(2.0, viaMerge.portNearEnd(up).idleWatts(), "an explicit key wins over the merged one");
    }
}

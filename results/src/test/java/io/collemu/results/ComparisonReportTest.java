package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class ComparisonReportTest {

    static Map<String, String> inputs() {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("workload", "nccl-tests sweep: all-reduce 1 KiB..64 MiB, all-gather 1 MiB, 16 MiB");
        inputs.put("topology", "fat-tree k=4, 16 GPUs");
        inputs.put("seed", "7");
        inputs.put("note", "<script>alert('not run')</script> & more");
        return inputs;
    }

    @Test
    void shouldBeSelfContainedWithoutAnyUrl() {
        String html = ComparisonReport.html(Fixtures.threeRuns(), "collemu compare <test>", inputs());
        for (String banned : List.of("http:", "https:", "src=", "href=", "url(", "@import", "<link", "<img",
            "<iframe", "xlink")) {
            assertFalse(html.contains(banned), "no external reference: " + banned);
        }
        assertTrue(html.contains("&lt;script&gt;alert(&#39;not run&#39;)&lt;/script&gt; &amp; more"),
            "inputs are escaped");
        assertTrue(html.contains("<title>collemu compare &lt;test&gt;</title>"));
    }

    @Test
    void shouldDrawEveryChartAsWellFormedSvg() throws Exception {
        String html = ComparisonReport.html(Fixtures.threeRuns(), "t", inputs());
        Matcher svg = Pattern.compile("<svg id=\"([a-z-]+)\".*?</svg>", Pattern.DOTALL).matcher(html);
        List<String> ids = new java.util.ArrayList<>();
        while (svg.find()) {
            ids.add(svg.group(1));
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(svg.group())));
            String id = svg.group(1);
            if (id.equals("chart-latency")) {
                // one path per run, one point per percentile tick
                assertEquals(3, doc.getElementsByTagName("path").getLength());
                assertTrue(doc.getElementsByTagName("circle").getLength() > 3 * 30);
                assertTrue(svg.group().contains(">99.9%<"), "tail axis labelled in percent");
            }
            if (id.equals("chart-time") || id.equals("chart-busbw")) {
                // 3 runs x 2 kinds
                assertEquals(6, doc.getElementsByTagName("path").getLength(), id);
            }
            if (id.equals("chart-time")) {
                assertTrue(svg.group().contains(">1000<") && svg.group().contains(">32 MiB<"), "decade and size ticks");
            }
            if (id.equals("chart-power")) {
                assertEquals(6, doc.getElementsByTagName("rect").getLength() - 1, "3 runs x idle/loaded + frame");
            }
        }
        assertEquals(ComparisonReport.CHART_IDS, ids);
    }

    @Test
    void shouldTabulateDifferencesWithTheirDirection() {
        String html = ComparisonReport.html(Fixtures.threeRuns(), "t", inputs());
        assertTrue(html.contains("<td class=\"num better\">-73.3%</td>"), "cpo pJ/bit is lower: better");
        assertTrue(html.contains("<table id=\"differences\">"));
        assertTrue(html.contains("<pre id=\"text-table\">"));
    }

    @Test
    void shouldRenderASingleRunAndEmptyRuns() throws Exception {
        RunOutcome empty = new RunOutcome("nothing", List.of(), LatencyHistograms.newHistogram(), 0, 0, 0, 0);
        for (List<RunOutcome> runs : List.of(List.of(Fixtures.threeRuns().get(2)), List.of(empty))) {
            String html = ComparisonReport.html(runs, "single", Map.of());
            for (String id : ComparisonReport.CHART_IDS) {
                assertTrue(html.contains("<svg id=\"" + id + "\""), id);
            }
            Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
            while (svg.find()) {
                DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(svg.group())));
            }
            assertFalse(html.contains("NaN") || html.contains("Infinity"), "no NaN coordinates");
        }
    }
}

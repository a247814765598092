package io.collemu.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.collemu.node.run.CostModel;
import io.collemu.node.run.UserError;
import io.collemu.topology.yaml.YamlDocument;
import io.collemu.topology.yaml.YamlErrors;
import io.collemu.topology.yaml.YamlLimits;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A costs file: overrides of {@link CostModel}'s prices and rates, each key optional:
 * <pre>
 *   prices: {pluggable-dsp-800g: 900, cpo-800g: 700}   # per optical end (module or CPO port), USD
 *   switch51T: 180000          # a 51.2 Tb/s switch without optics; others pro rata
 *   switch102T: 320000
 *   gpuHour: 2.0               # USD per GPU-hour
 *   kwh: 0.10                  # USD per kWh
 *   pue: 1.2
 *   lifetimeYears: 5
 *   failuresPerEndHour: {cpo-800g: 1e-6}
 *   flapsPerEndHour: {pluggable-dsp-800g: 1e-5}
 * </pre>
 * A key that a user sets is reported as given; the others stay assumed.
 */
final class CostFile {
    static final YamlLimits LIMITS = new YamlLimits("costs file", 1L << 20, 16, 4096, 100_000);
    static final List<String> KEYS = List.of("prices", "switch51T", "switch102T", "gpuHour", "kwh", "pue",
            "lifetimeYears", "failuresPerEndHour", "flapsPerEndHour");

    private CostFile() {
    }

    static CostModel read(Path file, CostModel base) {
        String name = file.toString();
        YamlErrors errors = new YamlErrors() {
            @Override
            public RuntimeException syntax(String f, int line, String message) {
                return new UserError("--costs: " + f + ":" + line + ": " + message);
            }

            @Override
            public RuntimeException at(String f, int line, String field, String what) {
                return new UserError("--costs: " + f + ":" + line + ": " + field + ": " + what);
            }

            @Override
            public RuntimeException input(String message) {
                return new UserError("--costs: " + message);
            }
        };
        YamlDocument doc = YamlDocument.read(file, LIMITS, errors);
        JsonNode root = doc.root();
        if (root == null || !root.isObject()) {
            throw new UserError("--costs: " + name + ":1: the file must be a map of prices and rates");
        }
        Map<String, Double> prices = new LinkedHashMap<>(base.endPrice());
        Map<String, Double> flaps = new LinkedHashMap<>(base.flapsPerEndHour());
        Map<String, Double> fails = new LinkedHashMap<>(base.failuresPerEndHour());
        Set<String> given = new HashSet<>(base.overridden());
        double s51 = base.switchPricePer51T();
        double s102 = base.switchPrice102T();
        double gpu = base.gpuHourPrice();
        double kwh = base.kwhPrice();
        double pue = base.pue();
        double life = base.lifetimeYears();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String where = "--costs: " + name + ":" + doc.lines().lineOf("/" + key) + ": " + key;
            if (!KEYS.contains(key)) {
                throw new UserError(where + ": unknown key (keys: " + String.join(", ", KEYS) + ")");
            }
            given.add(key);
            switch (key) {
                case "prices" -> map(e.getValue(), where, prices, doc, "/" + key, name);
                case "flapsPerEndHour" -> map(e.getValue(), where, flaps, doc, "/" + key, name);
                case "failuresPerEndHour" -> map(e.getValue(), where, fails, doc, "/" + key, name);
                case "switch51T" -> s51 = number(e.getValue(), where);
                case "switch102T" -> s102 = number(e.getValue(), where);
                case "gpuHour" -> gpu = number(e.getValue(), where);
                case "kwh" -> kwh = number(e.getValue(), where);
                case "pue" -> pue = number(e.getValue(), where);
                default -> life = number(e.getValue(), where);
            }
        }
        return new CostModel(prices, s51, s102, gpu, kwh, pue, life, flaps, fails, given);
    }

    static CostModel withGpuHourPrice(CostModel c, double price) {
        Set<String> given = new HashSet<>(c.overridden());
        given.add("gpuHour");
        return new CostModel(c.endPrice(), c.switchPricePer51T(), c.switchPrice102T(), price, c.kwhPrice(), c.pue(),
                c.lifetimeYears(), c.flapsPerEndHour(), c.failuresPerEndHour(), given);
    }

    private static void map(JsonNode n, String where, Map<String, Double> into, YamlDocument doc, String pointer,
            String name) {
        if (!n.isObject()) {
            throw new UserError(where + ": must be a map of preset: number");
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            into.put(e.getKey(), number(e.getValue(), "--costs: " + name + ":"
                    + doc.lines().lineOf(pointer + "/" + e.getKey()) + ": " + pointer.substring(1) + "." + e.getKey()));
        }
    }

    private static double number(JsonNode n, String where) {
        if (!n.isNumber() && !(n.isTextual() && isNumber(n.asText()))) {
            throw new UserError(where + ": '" + n.asText() + "' is not a number");
        }
        double v = n.asDouble();
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new UserError(where + ": must be a finite number >= 0, got " + n.asText());
        }
        return v;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

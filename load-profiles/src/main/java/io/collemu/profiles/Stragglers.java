package io.collemu.profiles;

import io.collemu.profiles.expr.Env;
import io.collemu.profiles.spec.Value;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-GPU compute slowdown from the straggler parameters every profile has: {@code slowGpus} (a GPU list such
 * as {@code 3,17} or {@code 0-3}, global indices) run compute {@code slowFactor} times longer; {@code slowdown}
 * ({@code 3:1.5,7:1.2}) sets factors per GPU and wins over the list. Stateless; thread-safe.
 */
final class Stragglers {
    private static final Pattern ENTRY = Pattern.compile("\\s*(\\d+)\\s*:\\s*([0-9.eE+-]+)\\s*");

    private Stragglers() {
    }

    /** @return compute factor per global GPU (1.0 = nominal) */
    static double[] factors(Env env, int gpuCount) {
        double[] f = new double[gpuCount];
        Arrays.fill(f, 1.0);
        Value slowGpus = env.params().get("slowGpus");
        Value slowFactor = env.params().get("slowFactor");
        Value slowdown = env.params().get("slowdown");
        if (slowGpus != null) {
            int[] gpus = GpuList.parse(env.text(slowGpus), gpuCount, slowGpus.loc(), true);
            if (gpus.length > 0) {
                double factor = env.number(slowFactor, 0.001, 1000);
                for (int g : gpus) {
                    f[g] = factor;
                }
            }
        }
        if (slowdown != null) {
            String text = env.text(slowdown).trim();
            if (!text.isEmpty()) {
                for (String part : text.split(",")) {
                    Matcher m = ENTRY.matcher(part);
                    double factor;
                    try {
                        factor = m.matches() ? Double.parseDouble(m.group(2)) : Double.NaN;
                    } catch (NumberFormatException e) {
                        factor = Double.NaN;
                    }
                    if (!(factor >= 0.001 && factor <= 1000)) {
                        throw slowdown.loc().error("'" + part.trim() + "' is not gpu:factor with a factor in"
                                + " 0.001..1000 (e.g. 3:1.5,7:1.2)");
                    }
                    long g = Long.parseLong(m.group(1));
                    if (g >= gpuCount) {
                        throw slowdown.loc().error("GPU " + g + " is outside the fabric's " + gpuCount + " GPUs");
                    }
                    f[(int) g] = factor;
                }
            }
        }
        return f;
    }
}

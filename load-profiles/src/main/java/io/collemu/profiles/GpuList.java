package io.collemu.profiles;

import io.collemu.profiles.spec.Loc;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses GPU lists: {@code all}, {@code 5}, {@code 0-63}, {@code 0-127:2} (every second), and comma-separated
 * combinations, in the order given. Stateless; thread-safe.
 */
final class GpuList {
    private static final Pattern ITEM = Pattern.compile("(\\d+)(?:\\s*-\\s*(\\d+)(?:\\s*:\\s*(\\d+))?)?");

    private GpuList() {
    }

    /**
     * @param text      the list, parameters already substituted
     * @param gpuCount  GPUs of the fabric (every index must be below it)
     * @param allowEmpty whether an empty text means no GPU (straggler lists) rather than an error
     */
    static int[] parse(String text, int gpuCount, Loc loc, boolean allowEmpty) {
        String s = text.trim();
        if (s.equals("all")) {
            int[] all = new int[gpuCount];
            for (int g = 0; g < gpuCount; g++) {
                all[g] = g;
            }
            return all;
        }
        if (s.isEmpty()) {
            if (allowEmpty) {
                return new int[0];
            }
            throw loc.error("empty GPU list (use all, 0-63, 0-7,16-23 or 0-127:2)");
        }
        List<Integer> out = new ArrayList<>();
        BitSet seen = new BitSet();
        for (String part : s.split(",")) {
            Matcher m = ITEM.matcher(part.trim());
            if (!m.matches()) {
                throw loc.error("'" + part.trim() + "' in '" + s + "' is not a GPU, range or strided range"
                        + " (e.g. 5, 0-63, 0-127:2)");
            }
            long from = Long.parseLong(m.group(1));
            long to = m.group(2) == null ? from : Long.parseLong(m.group(2));
            long step = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
            if (to < from || step < 1) {
                throw loc.error("'" + part.trim() + "' is an empty range");
            }
            if (to >= gpuCount) {
                throw loc.error("GPU " + to + " in '" + s + "' is outside the fabric's " + gpuCount + " GPUs (0-"
                        + (gpuCount - 1) + ")");
            }
            for (long g = from; g <= to; g += step) {
                if (seen.get((int) g)) {
                    throw loc.error("GPU " + g + " is listed twice in '" + s + "'");
                }
                seen.set((int) g);
                out.add((int) g);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}

package io.collemu.topology.inventory;

import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a fabric is made of and what its optics draw: the figures {@code collemu topology show} prints.
 *
 * <p>Optics power sums over link ends (each egress port's near end is one module or CPO port, so every cable
 * counts its two ends once): idle = sum of {@code idleWatts}; full load = sum of
 * {@code idleWatts + pjPerBit * rateBps * 1e-12}. NVLink and electrical ends draw no optics power.
 *
 * <p>Bisection bandwidth (bits per second, one way) is a tier-cut figure: for each tier boundary (GPU to tier 1,
 * tier 1 to 2, 2 to 3) the one-way capacity of all scale-out links crossing it upward, halved; the smallest
 * boundary wins. It is exact for the built Clos fabrics (leaf-spine gives N r / 2o, a k-ary fat-tree k^3/8 r) and
 * an estimate for explicit graphs. NVLink links are left out when the fabric has any scale-out links (NVLink
 * bandwidth is inside a server, not across the bisection); a pure NVLink domain counts its NVLink links.
 * Oversubscription is the worst down:up bandwidth ratio of any switch that has up links (1 for none).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param switchesByTier         switch count per tier name, lowest tier first
 * @param radixByTier            radix of the first switch of each tier
 * @param opticalEndsByModel     optical link ends (pluggable modules or CPO ports) per link model name
 * @param expectedHardFailuresPerHour sum of every end's hard-failure rate (NVLink included)
 */
public record Inventory(String spec, int gpuCount, int serverCount, int gpusPerServer,
        Map<String, Integer> switchesByTier, Map<String, Integer> radixByTier, int switchCount, int portCount,
        int cableCount, Map<String, Long> opticalEndsByModel, long transceiverCount, long cpoPortCount,
        double opticsIdleWatts, double opticsLoadedWatts, double expectedHardFailuresPerHour,
        long bisectionBandwidthBps, double oversubscription, int tierCount, long minLinkLatencyPs) {

    public Inventory {
        switchesByTier = Collections.unmodifiableMap(new LinkedHashMap<>(switchesByTier));
        radixByTier = Collections.unmodifiableMap(new LinkedHashMap<>(radixByTier));
        opticalEndsByModel = Collections.unmodifiableMap(new LinkedHashMap<>(opticalEndsByModel));
    }

    /** Counts and power of a topology; linear in its size. */
    public static Inventory of(Topology t) {
        Map<String, Integer> tierNumber = new LinkedHashMap<>();
        Map<String, Integer> byTier = new LinkedHashMap<>();
        Map<String, Integer> radix = new LinkedHashMap<>();
        Set<Integer> servers = new HashSet<>();
        int switches = 0;
        int maxTier = 0;
        for (int node = 0; node < t.nodeCount(); node++) {
            int gpu = t.gpuOfNode(node);
            if (gpu >= 0) {
                if (t.serverOfGpu(gpu) >= 0) {
                    servers.add(t.serverOfGpu(gpu));
                }
                continue;
            }
            switches++;
            maxTier = Math.max(maxTier, t.tier(node));
            tierNumber.merge(t.tierName(node), t.tier(node), Math::min);
            byTier.merge(t.tierName(node), 1, Integer::sum);
            radix.putIfAbsent(t.tierName(node), t.radix(node));
        }
        Map<String, Integer> orderedTiers = new LinkedHashMap<>();
        Map<String, Integer> orderedRadix = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(tierNumber.keySet());
        names.sort(Comparator.comparingInt(tierNumber::get));
        for (String name : names) {
            orderedTiers.putIfAbsent(name, byTier.get(name));
            orderedRadix.putIfAbsent(name, radix.get(name));
        }
        Map<String, Long> ends = new TreeMap<>();
        long transceivers = 0;
        long cpo = 0;
        double idle = 0;
        double loaded = 0;
        double failures = 0;
        for (int p = 0; p < t.portCount(); p++) {
            LinkModel m = t.portNearEnd(p);
            failures += m.hardFailuresPerEndHour();
            if (!m.isOptical()) {
                continue;
            }
            ends.merge(m.name(), 1L, Long::sum);
            if (m.technology() == LinkTechnology.CPO) {
                cpo++;
            } else {
                transceivers++;
            }
            idle += m.idleWatts();
            loaded += m.loadedWatts();
        }
        return new Inventory(t.spec(), t.gpuCount(), servers.size(), t.gpusPerServer(), orderedTiers, orderedRadix,
                switches, t.portCount(), t.portCount() / 2, ends, transceivers, cpo, idle, loaded, failures,
                bisectionBps(t), oversubscription(t), maxTier + 1, t.minLinkLatencyPs());
    }

    private static boolean hasScaleOut(Topology t) {
        for (int p = 0; p < t.portCount(); p++) {
            if (!isNvlink(t, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNvlink(Topology t, int p) {
        return t.portNearEnd(p).technology() == LinkTechnology.NVLINK
                || t.portFarEnd(p).technology() == LinkTechnology.NVLINK;
    }

    private static long bisectionBps(Topology t) {
        boolean scaleOutOnly = hasScaleOut(t);
        TreeMap<Integer, Long> upward = new TreeMap<>();
        for (int p = 0; p < t.portCount(); p++) {
            if (scaleOutOnly && isNvlink(t, p)) {
                continue;
            }
            int from = t.tier(t.portOwner(p));
            if (t.tier(t.portPeer(p)) > from) {
                upward.merge(from, t.portRateBps(p), Long::sum);
            }
        }
        long min = Long.MAX_VALUE;
        for (long cap : upward.values()) {
            min = Math.min(min, cap);
        }
        return min == Long.MAX_VALUE ? 0 : min / 2;
    }

    private static double oversubscription(Topology t) {
        boolean scaleOutOnly = hasScaleOut(t);
        double worst = 1.0;
        for (int node = 0; node < t.nodeCount(); node++) {
            if (t.gpuOfNode(node) >= 0) {
                continue;
            }
            long down = 0;
            long up = 0;
            for (int i = 0; i < t.portCountOf(node); i++) {
                int p = t.portOf(node, i);
                if (scaleOutOnly && isNvlink(t, p)) {
                    continue;
                }
                int peerTier = t.tier(t.portPeer(p));
                if (peerTier > t.tier(node)) {
                    up += t.portRateBps(p);
                } else if (peerTier < t.tier(node)) {
                    down += t.portRateBps(p);
                }
            }
            if (up > 0 && down > 0) {
                worst = Math.max(worst, (double) down / up);
            }
        }
        return worst;
    }

    /** The text {@code collemu topology show} prints: several lines, no trailing newline. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        line(sb, "topology", spec);
        line(sb, "gpus", gpuCount + (serverCount > 0 ? " (" + serverCount + " servers x " + gpusPerServer + ")" : ""));
        StringBuilder sw = new StringBuilder().append(switchCount).append(" in ").append(tierCount - 1)
                .append(tierCount - 1 == 1 ? " tier" : " tiers");
        String sep = ": ";
        for (Map.Entry<String, Integer> e : switchesByTier.entrySet()) {
            sw.append(sep).append(e.getKey()).append(' ').append(e.getValue()).append(" (radix ")
                    .append(radixByTier.get(e.getKey())).append(')');
            sep = ", ";
        }
        line(sb, "switches", sw.toString());
        line(sb, "links", cableCount + " cables = " + portCount + " one-way links (egress ports)");
        StringBuilder optics = new StringBuilder();
        sep = "";
        for (Map.Entry<String, Long> e : opticalEndsByModel.entrySet()) {
            optics.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        line(sb, "optics", transceiverCount + " pluggable transceivers, " + cpoPortCount + " CPO ports"
                + (optics.length() > 0 ? " (" + optics + ")" : ""));
        line(sb, "optics power", String.format(Locale.ROOT, "%s idle, %s at full load", watts(opticsIdleWatts),
                watts(opticsLoadedWatts)));
        line(sb, "bisection", String.format(Locale.ROOT, "%s one way, oversubscription %s:1",
                bitsPerSecond(bisectionBandwidthBps), trim(oversubscription)));
        line(sb, "min link latency", String.format(Locale.ROOT, "%.1f ns", minLinkLatencyPs / 1000.0));
        line(sb, "hard failures", String.format(Locale.ROOT, "%.3g per hour expected over all link ends%s",
                expectedHardFailuresPerHour, expectedHardFailuresPerHour > 0
                        ? String.format(Locale.ROOT, " (one every %.3g h)", 1 / expectedHardFailuresPerHour) : ""));
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format(Locale.ROOT, "%-17s %s%n", label, value).replace(System.lineSeparator(), "\n"));
    }

    static String watts(double w) {
        if (w >= 1e6) {
            return String.format(Locale.ROOT, "%.3f MW", w / 1e6);
        }
        if (w >= 1e3) {
            return String.format(Locale.ROOT, "%.2f kW", w / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f W", w);
    }

    static String bitsPerSecond(long bps) {
        if (bps >= 1_000_000_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f Pb/s", bps / 1e15);
        }
        if (bps >= 1_000_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f Tb/s", bps / 1e12);
        }
        return String.format(Locale.ROOT, "%.1f Gb/s", bps / 1e9);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}

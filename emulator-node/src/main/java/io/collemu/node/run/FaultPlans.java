package io.collemu.node.run;

import io.collemu.node.lp.FaultPlan;
import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Resolves a run's {@link FaultSettings} against its fabric into the {@link FaultPlan} every LP shares: names to
 * ports, faults to down intervals and packet losses, random faults drawn from each link end's rates with the run's
 * seed (so every member draws the same). Stateless.
 */
public final class FaultPlans {
    /**
     * Switch failures per switch-hour: 9.2e-6, from Microsoft's fleet of 180,000+ switches, "98% likelihood of
     * functioning uninterrupted for over 3 months" (Singh et al., CCR 51(2), 2021): -ln(0.98) / 2190 h [S].
     */
    public static final double SWITCH_FAILURES_PER_HOUR = 9.2e-6;
    private static final double PS_PER_HOUR = 3.6e15;

    private FaultPlans() {
    }

    /**
     * The plan of {@code settings} on {@code t}.
     *
     * @throws UserError naming the fault (flag occurrence or file:line) whose link, port, switch or preset does not
     *                   exist in this fabric
     */
    public static FaultPlan build(FaultSettings settings, Topology t, long seed) {
        if (!settings.any()) {
            return FaultPlan.NONE;
        }
        FaultPlan.Builder b = new FaultPlan.Builder(t.portCount())
                .lags(settings.detectPs() + settings.localReroutePs(),
                        settings.detectPs() + settings.remoteReroutePs())
                .transport(FaultPlan.ackTimeoutPs(settings.ibTimeout()), settings.ibRetryCount())
                .seed(seed);
        for (FaultSpec f : settings.faults()) {
            apply(f, t, b);
        }
        if (settings.randomScale() > 0) {
            random(settings, t, seed, b);
        }
        return b.build();
    }

    private static void apply(FaultSpec f, Topology t, FaultPlan.Builder b) {
        long until = f.durationPs() > 0 ? sat(f.atPs(), f.durationPs()) : Long.MAX_VALUE;
        switch (f.kind()) {
            case "switch-down" -> {
                int sw = t.nodeByName(f.switchName());
                if (sw < 0 || t.nodeKind(sw) != NodeKind.SWITCH) {
                    throw new UserError(f.origin() + ": switch '" + f.switchName() + "' is not a switch of "
                            + t.spec() + (sw >= 0 ? " (it is a GPU)" : ""));
                }
                for (int i = 0; i < t.portCountOf(sw); i++) {
                    int p = t.portOf(sw, i);
                    b.down(p, f.atPs(), until).down(t.portReverse(p), f.atPs(), until);
                }
                b.event(f.atPs(), "switch-down", -1, t.nodeName(sw) + ": " + t.portCountOf(sw) + " links down"
                        + (until == Long.MAX_VALUE ? "" : " for " + Durations.format(f.durationPs())));
                if (until != Long.MAX_VALUE) {
                    b.event(until, "switch-up", -1, t.nodeName(sw));
                }
            }
            case "ber" -> {
                List<Integer> ports = f.preset() != null ? presetPorts(f, t) : f.all() ? allPorts(t) : linkPorts(f, t);
                for (int p : ports) {
                    double frame = FaultPlan.frameLoss(f.ber(), frameBytes(t, p));
                    b.packetLoss(p, frame);
                }
                double cw = FaultPlan.codewordFailure(f.ber());
                b.event(0, "ber", ports.size() == 1 ? ports.get(0) : -1, String.format(Locale.ROOT,
                        "%d link direction%s at pre-FEC BER %.3g: RS(544,514) codeword failure %.3g, 4 KiB packet loss"
                                + " %.3g", ports.size(), ports.size() == 1 ? "" : "s", f.ber(), cw,
                        ports.isEmpty() ? 0 : FaultPlan.frameLoss(f.ber(), frameBytes(t, ports.get(0)))));
            }
            default -> {
                for (int p : linkPorts(f, t)) {
                    b.down(p, f.atPs(), until);
                    b.event(f.atPs(), f.kind(), p, portName(t, p)
                            + (until == Long.MAX_VALUE ? " down" : " down for " + Durations.format(f.durationPs())));
                    if (until != Long.MAX_VALUE) {
                        b.event(until, "link-up", p, portName(t, p));
                    }
                }
            }
        }
    }

    /** Bytes of one 4 KiB packet on the wire of {@code port}: payload plus its framing. */
    private static long frameBytes(Topology t, int port) {
        return (long) Math.ceil(FaultPlan.PACKET_BYTES / t.portDataEfficiency(port));
    }

    private static long sat(long a, long b) {
        long r = a + b;
        return r < a ? Long.MAX_VALUE : r;
    }

    private static List<Integer> allPorts(Topology t) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < t.portCount(); p++) {
            out.add(p);
        }
        return out;
    }

    /** Link directions whose receiving end is of the preset (the receiver's BER). */
    private static List<Integer> presetPorts(FaultSpec f, Topology t) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < t.portCount(); p++) {
            if (t.portFarEnd(p).name().equals(f.preset())) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new UserError(f.origin() + ": no link end of " + t.spec() + " is of preset '" + f.preset() + "'");
        }
        return out;
    }

    /** The directions of the cable a fault names (both, or the one its end transmits on). */
    static List<Integer> linkPorts(FaultSpec f, Topology t) {
        int port;
        if (f.port() != null) {
            int colon = f.port().lastIndexOf(':');
            int node = colon <= 0 ? -1 : t.nodeByName(f.port().substring(0, colon));
            if (node < 0) {
                throw new UserError(f.origin() + ": port '" + f.port() + "' is not NODE:INDEX with a node of "
                        + t.spec());
            }
            int i;
            try {
                i = Integer.parseInt(f.port().substring(colon + 1));
            } catch (NumberFormatException e) {
                i = -1;
            }
            if (i < 0 || i >= t.portCountOf(node)) {
                throw new UserError(f.origin() + ": " + t.nodeName(node) + " has ports 0.." + (t.portCountOf(node) - 1)
                        + ", not '" + f.port().substring(colon + 1) + "'");
            }
            port = t.portOf(node, i);
        } else {
            String spec = f.link();
            int hash = spec.lastIndexOf('#');
            int k = 0;
            if (hash > 0) {
                try {
                    k = Integer.parseInt(spec.substring(hash + 1));
                } catch (NumberFormatException e) {
                    throw new UserError(f.origin() + ": link '" + spec + "': '#" + spec.substring(hash + 1)
                            + "' is not a cable index");
                }
                spec = spec.substring(0, hash);
            }
            int slash = spec.indexOf('/');
            if (slash <= 0) {
                throw new UserError(f.origin() + ": link '" + f.link() + "' is not A/B (two node names, e.g."
                        + " su0-leaf0/spine1)");
            }
            String an = spec.substring(0, slash);
            String bn = spec.substring(slash + 1);
            int a = t.nodeByName(an);
            int z = t.nodeByName(bn);
            if (a < 0 || z < 0) {
                throw new UserError(f.origin() + ": unknown link '" + f.link() + "': " + t.spec() + " has no node '"
                        + (a < 0 ? an : bn) + "'");
            }
            List<Integer> cables = new ArrayList<>();
            for (int i = 0; i < t.portCountOf(a); i++) {
                if (t.portPeer(t.portOf(a, i)) == z) {
                    cables.add(t.portOf(a, i));
                }
            }
            if (cables.isEmpty()) {
                throw new UserError(f.origin() + ": unknown link '" + f.link() + "': no cable between " + an + " and "
                        + bn);
            }
            if (k < 0 || k >= cables.size()) {
                throw new UserError(f.origin() + ": link '" + f.link() + "': " + cables.size() + " cable"
                        + (cables.size() == 1 ? "" : "s") + " between " + an + " and " + bn + " (#0.." + (cables.size() - 1)
                        + ")");
            }
            port = cables.get(k);
        }
        int rev = t.portReverse(port);
        if (f.end() == null) {
            return List.of(port, rev);
        }
        int e = t.nodeByName(f.end());
        if (e == t.portOwner(port)) {
            return List.of(port);
        }
        if (e == t.portOwner(rev)) {
            return List.of(rev);
        }
        throw new UserError(f.origin() + ": end '" + f.end() + "' is not an end of " + portName(t, port) + " (ends: "
                + t.nodeName(t.portOwner(port)) + ", " + t.nodeName(t.portOwner(rev)) + ")");
    }

    /** "a->b" (with the cable index when a and b have several). */
    public static String portName(Topology t, int port) {
        int a = t.portOwner(port);
        int z = t.portPeer(port);
        int k = 0;
        int n = 0;
        for (int i = 0; i < t.portCountOf(a); i++) {
            int p = t.portOf(a, i);
            if (t.portPeer(p) == z) {
                if (p < port) {
                    k++;
                }
                n++;
            }
        }
        return t.nodeName(a) + "->" + t.nodeName(z) + (n > 1 ? "#" + k : "");
    }

    /**
     * Random faults over [0, window) of each step: per cable end a Poisson process of hard failures (its preset's
     * rate; the cable stays down) and of flaps (its technology's rate and down time), per switch one of failures
     * (every link of it down), all rates times the scale; drawn in port order from the run's seed.
     */
    private static void random(FaultSettings s, Topology t, long seed, FaultPlan.Builder b) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        double hours = s.randomWindowPs() / PS_PER_HOUR * s.randomScale();
        for (int p = 0; p < t.portCount(); p++) {
            int rev = t.portReverse(p);
            if (rev < p) {
                continue; // one cable, visited once
            }
            for (LinkModel end : new LinkModel[] {t.portNearEnd(p), t.portFarEnd(p)}) {
                for (double at : arrivals(rnd, end.hardFailuresPerEndHour() * hours, s.randomWindowPs())) {
                    long ps = (long) at;
                    b.down(p, ps, Long.MAX_VALUE).down(rev, ps, Long.MAX_VALUE);
                    b.event(ps, "link-down", p, portName(t, p) + " and back: " + end.name() + " end failed (random)");
                }
                for (double at : arrivals(rnd, end.technology().flapsPerEndHour() * hours, s.randomWindowPs())) {
                    long ps = (long) at;
                    long until = sat(ps, (long) (end.technology().flapDownSeconds() * 1e12));
                    b.down(p, ps, until).down(rev, ps, until);
                    b.event(ps, "link-flap", p, portName(t, p) + " and back: " + end.name() + " end flapped for "
                            + Durations.format(until - ps) + " (random)");
                }
            }
        }
        for (int node = 0; node < t.nodeCount(); node++) {
            if (t.nodeKind(node) != NodeKind.SWITCH) {
                continue;
            }
            for (double at : arrivals(rnd, SWITCH_FAILURES_PER_HOUR * hours, s.randomWindowPs())) {
                long ps = (long) at;
                for (int i = 0; i < t.portCountOf(node); i++) {
                    int p = t.portOf(node, i);
                    b.down(p, ps, Long.MAX_VALUE).down(t.portReverse(p), ps, Long.MAX_VALUE);
                }
                b.event(ps, "switch-down", -1, t.nodeName(node) + " failed (random)");
            }
        }
    }

    /** Event times of a Poisson process with {@code mean} events expected over [0, window). */
    private static List<Double> arrivals(SplittableRandom rnd, double mean, long windowPs) {
        List<Double> out = new ArrayList<>();
        if (!(mean > 0)) {
            rnd.nextDouble(); // keep the stream aligned whatever the rates
            return out;
        }
        double t = 0;
        for (int i = 0; i < 1_000_000; i++) {
            t += -Math.log(1 - rnd.nextDouble()) / mean;
            if (t >= 1) {
                break;
            }
            out.add(t * windowPs);
        }
        return out;
    }

    /** The expected number of random faults of {@code s} per step: link failures, flaps, switch failures. */
    public static double[] expected(FaultSettings s, Topology t) {
        double hours = s.randomWindowPs() / PS_PER_HOUR * s.randomScale();
        double fail = 0;
        double flap = 0;
        double sw = 0;
        for (int p = 0; p < t.portCount(); p++) {
            if (t.portReverse(p) < p) {
                continue;
            }
            for (LinkModel end : new LinkModel[] {t.portNearEnd(p), t.portFarEnd(p)}) {
                fail += end.hardFailuresPerEndHour() * hours;
                flap += end.technology().flapsPerEndHour() * hours;
            }
        }
        for (int node = 0; node < t.nodeCount(); node++) {
            if (t.nodeKind(node) == NodeKind.SWITCH) {
                sw += SWITCH_FAILURES_PER_HOUR * hours;
            }
        }
        return new double[] {fail, flap, sw};
    }
}

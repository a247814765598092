package io.collemu.node.run;

import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.LinkTechnology;
import io.collemu.topology.model.NodeKind;
import io.collemu.topology.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The failure processes of a fabric, grouped into classes of equal effect on a job that uses every GPU: for each
 * class its rate over the whole fabric, the ports one event takes down (its blast radius), how long until it is
 * repaired, and what the job does (stop, or run on over the surviving paths). One representative event per class
 * is what {@link Reliability} emulates to measure the slowdown of running degraded.
 *
 * <ul>
 *   <li>A hard failure of a link end takes its cable down (both directions) until the module is swapped. A cable at
 *       a GPU isolates that GPU's NIC (or NVLink): NCCL cannot route around it, so the job stops.</li>
 *   <li>A flap takes the cable down for its technology's down time; shorter than NCCL's retry budget, it costs one
 *       ACK timeout of stall, not an interruption (what issue 13's emulation shows).</li>
 *   <li>A CPO end at a switch fails as its laser module (a share {@code laserShare}, taking the ports that laser
 *       feeds, repaired by a laser swap) or as its optical engine (taking {@code engineBlast} ports, or the whole
 *       switch, until the switch is swapped).</li>
 *   <li>A network switch fails as a whole until it is swapped.</li>
 * </ul>
 * A failure that isolates GPUs stops the job; it restarts at once on spare servers if the isolated servers fit in
 * the spares, else after the repair. Any other failure lets the job run on, slowed, if {@code routeAround} and
 * every GPU pair still has a path; else it stops until the repair.
 */
public final class FailureClasses {
    private FailureClasses() {
    }

    /** What an event of a class does to the job. */
    public enum Effect {
        /** The job stops and restarts from its last checkpoint (at once on spares, or after the repair). */
        INTERRUPTION,
        /** The job runs on over the surviving paths, slower, until the repair. */
        DEGRADED,
        /** The job stalls for one ACK timeout and goes on. */
        STALL
    }

    /**
     * One class.
     *
     * @param name          e.g. "hard failure, leaf-spine link, pluggable-dsp-800g end"
     * @param ratePerHour   events per hour over the whole fabric
     * @param count         elements of the class (ends, switches)
     * @param ports         the link directions one representative event takes down
     * @param repairHours   until the repair
     * @param effect        what the job does
     * @param waitsRepair   an interruption that waits for the repair (no spare could take over)
     * @param servers       servers one event isolates
     */
    public record FailureClass(String name, double ratePerHour, long count, List<Integer> ports, double repairHours,
            Effect effect, boolean waitsRepair, int servers) {
    }

    /** The parameters of the grouping. */
    public record Params(double pluggableRepairHours, double cpoLaserRepairHours, double switchRepairHours,
            double laserShare, int laserPorts, int engineBlast, int spareServers, boolean routeAround) {
    }

    /** The classes of {@code t} with its link ends' rates (as {@code costs} gives them) and {@code p}. */
    public static List<FailureClass> of(Topology t, CostModel costs, Params p) {
        Map<String, Acc> classes = new LinkedHashMap<>();
        for (int port = 0; port < t.portCount(); port++) {
            int rev = t.portReverse(port);
            if (rev < port) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                int at = side == 0 ? t.portOwner(port) : t.portPeer(port);
                LinkModel end = side == 0 ? t.portNearEnd(port) : t.portFarEnd(port);
                String kind = linkKind(t, port);
                List<Integer> cable = List.of(port, rev);
                if (end.technology() == LinkTechnology.CPO && t.nodeKind(at) == NodeKind.SWITCH) {
                    double rate = costs.failures(end);
                    add(classes, t, "CPO laser module at a " + t.tierName(at) + " (" + p.laserPorts() + " ports), "
                            + end.name(), rate * p.laserShare(), group(t, at, port, p.laserPorts()),
                            p.cpoLaserRepairHours(), p);
                    add(classes, t, "CPO optical engine at a " + t.tierName(at) + " ("
                            + (p.engineBlast() <= 0 ? "whole switch" : p.engineBlast() + " ports") + "), " + end.name(),
                            rate * (1 - p.laserShare()), p.engineBlast() <= 0 ? switchPorts(t, at)
                                    : group(t, at, port, p.engineBlast()), p.switchRepairHours(), p);
                } else {
                    add(classes, t, "hard failure, " + kind + " link, " + end.name() + " end", costs.failures(end),
                            cable, p.pluggableRepairHours(), p);
                }
                Acc f = classes.computeIfAbsent("flap, " + kind + " link, " + end.name() + " end",
                        k -> new Acc(k, cable, end.technology().flapDownSeconds() / 3600, Effect.STALL, false, 0));
                f.rate += costs.flaps(end);
                f.count++;
            }
        }
        for (int n = 0; n < t.nodeCount(); n++) {
            if (t.nodeKind(n) != NodeKind.SWITCH || scaleUp(t, n)) {
                continue;
            }
            add(classes, t, "switch failure, " + t.tierName(n), FaultPlans.SWITCH_FAILURES_PER_HOUR, switchPorts(t, n),
                    p.switchRepairHours(), p);
        }
        List<FailureClass> out = new ArrayList<>();
        for (Acc a : classes.values()) {
            if (a.rate > 0) {
                out.add(new FailureClass(a.name, a.rate, a.count, a.ports, a.repairHours, a.effect, a.waits,
                        a.servers));
            }
        }
        return out;
    }

    private static final class Acc {
        final String name;
        List<Integer> ports;
        final double repairHours;
        final Effect effect;
        final boolean waits;
        final int servers;
        double rate;
        long count;

        Acc(String name, List<Integer> ports, double repairHours, Effect effect, boolean waits, int servers) {
            this.name = name;
            this.ports = ports;
            this.repairHours = repairHours;
            this.effect = effect;
            this.waits = waits;
            this.servers = servers;
        }
    }

    /** Adds one element of a class of failures taking {@code ports} down for {@code repairHours}. */
    private static void add(Map<String, Acc> classes, Topology t, String name, double rate, List<Integer> ports,
            double repairHours, Params p) {
        Acc a = classes.get(name);
        if (a == null) {
            int servers = isolatedServers(t, ports);
            Effect effect;
            boolean waits = false;
            if (servers > 0) {
                effect = Effect.INTERRUPTION;
                waits = servers > p.spareServers();
            } else if (p.routeAround()) {
                effect = Effect.DEGRADED;
            } else {
                effect = Effect.INTERRUPTION;
                waits = true;
            }
            a = new Acc(name, ports, repairHours, effect, waits, servers);
            classes.put(name, a);
        }
        a.rate += rate;
        a.count++;
    }

    /** "leaf-spine", "gpu-leaf": the tiers at the cable's ends, lower first. */
    static String linkKind(Topology t, int port) {
        int a = t.portOwner(port);
        int b = t.portPeer(port);
        return t.tier(a) <= t.tier(b) ? t.tierName(a) + "-" + t.tierName(b) : t.tierName(b) + "-" + t.tierName(a);
    }

    /** The servers whose GPUs lose a link among {@code ports}. */
    static int isolatedServers(Topology t, List<Integer> ports) {
        Set<Integer> servers = new LinkedHashSet<>();
        for (int p : ports) {
            for (int node : new int[] {t.portOwner(p), t.portPeer(p)}) {
                if (t.nodeKind(node) == NodeKind.GPU) {
                    int g = t.gpuOfNode(node);
                    servers.add(t.serverOfGpu(g) >= 0 ? t.serverOfGpu(g) : -1 - g);
                }
            }
        }
        return servers.size();
    }

    /** Both directions of the {@code size} consecutive ports of switch {@code sw} around {@code port}'s group. */
    static List<Integer> group(Topology t, int sw, int port, int size) {
        int first = t.portOf(sw, 0);
        int local = (t.portOwner(port) == sw ? port : t.portReverse(port)) - first;
        int start = local / size * size;
        List<Integer> out = new ArrayList<>();
        for (int i = start; i < Math.min(start + size, t.portCountOf(sw)); i++) {
            out.add(first + i);
            out.add(t.portReverse(first + i));
        }
        return out;
    }

    static List<Integer> switchPorts(Topology t, int sw) {
        return group(t, sw, t.portOf(sw, 0), t.portCountOf(sw));
    }

    private static boolean scaleUp(Topology t, int node) {
        for (int i = 0; i < t.portCountOf(node); i++) {
            if (t.portNearEnd(t.portOf(node, i)).technology() == LinkTechnology.NVLINK) {
                return true;
            }
        }
        return false;
    }
}

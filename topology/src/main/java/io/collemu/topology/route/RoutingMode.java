package io.collemu.topology.route;

import io.collemu.topology.model.TopologyException;
import java.util.Locale;

/**
 * How a switch chooses among equal-cost next hops.
 * <ul>
 *   <li>{@link #ECMP}: by a hash of the flow (source, destination, flow id) and the switch, as Ethernet/RoCE
 *       fabrics do; flows collide on uplinks with the familiar birthday odds.</li>
 *   <li>{@link #DMODK}: by the destination's position (destination-mod-k), as InfiniBand fat-tree routing (ftree)
 *       does: static, flow-independent, and free of uplink collisions for shift and XOR permutations on a
 *       k-ary fat-tree, which is what ring and pairwise-exchange collectives generate.</li>
 * </ul>
 */
public enum RoutingMode {
    ECMP, DMODK;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RoutingMode fromName(String s) {
        for (RoutingMode m : values()) {
            if (m.cliName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new TopologyException("routing '" + s + "' is not ecmp or dmodk", "routing");
    }
}

package io.collemu.node.run;

import io.collemu.node.lp.PortStats;
import io.collemu.results.EnergyMath;
import io.collemu.results.PortRecord;
import io.collemu.topology.model.LinkModel;
import io.collemu.topology.model.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Optics energy per link end. A module's pJ/bit is its power at full load over its line rate in one direction
 * (17 W / 800 Gb/s = 21 pJ/bit), so a bit crossing a link charges half the near end's pJ/bit (transmit) and half
 * the far end's (receive): a module busy at line rate in both directions draws exactly its rated power. Idle
 * power is charged once per module, as the near end of the port that leaves it.
 */
public final class EnergyAccount {
    private EnergyAccount() {
    }

    /** Per port: its counters and the optics energy of both link ends over {@code durationPs}. */
    public static List<PortRecord> portRecords(Topology t, PortStats[] portsById, long durationPs) {
        List<PortRecord> out = new ArrayList<>(portsById.length);
        for (int p = 0; p < portsById.length; p++) {
            PortStats s = portsById[p];
            if (s == null) {
                s = new PortStats(p, 0, 0, 0, 0, 0, 0);
            }
            LinkModel near = t.portNearEnd(p);
            LinkModel far = t.portFarEnd(p);
            double bits = EnergyMath.bits(s.bytesSent());
            double utilization = durationPs <= 0 ? 0 : (double) s.busyPs() / durationPs;
            out.add(new PortRecord(p, t.nodeName(t.portOwner(p)), t.tierName(t.portOwner(p)),
                    t.nodeName(t.portPeer(p)), near.name(), far.name(), t.portRateBps(p), s.bytesSent(), s.busyPs(),
                    s.peakQueueBytes(), s.segmentsSent(), utilization,
                    EnergyMath.dynamicJoules(bits, near.pjPerBit() / 2), EnergyMath.dynamicJoules(bits,
                            far.pjPerBit() / 2),
                    EnergyMath.idleJoules(near.idleWatts(), durationPs), 0.0));
        }
        return out;
    }

    /** Dynamic and idle optics energy of every port. */
    public static double totalJoules(List<PortRecord> ports) {
        double j = 0;
        for (PortRecord r : ports) {
            j += r.totalJoules();
        }
        return j;
    }

    /** Traffic-dependent optics energy of every port. */
    public static double dynamicJoules(List<PortRecord> ports) {
        double j = 0;
        for (PortRecord r : ports) {
            j += r.nearDynamicJoules() + r.farDynamicJoules();
        }
        return j;
    }
}

package io.collemu.results;

import java.util.Objects;

/**
 * What one egress port (one link end and the optics at both ends of its link) did during a run: the row of
 * {@code ports.csv}.
 *
 * <p>Rates in bits per second, times in picoseconds, energies in joules; "near" is the optics at this port's end,
 * "far" the optics at the peer's end. Immutable and thread-safe.
 *
 * @param port              port id, unique in the fabric
 * @param node              node (GPU, NIC or switch) owning the port
 * @param tier              fabric tier, e.g. "nic-leaf", "leaf-spine"
 * @param peer              node at the far end
 * @param nearModel         link-model preset of the near end
 * @param farModel          link-model preset of the far end
 * @param rateBps           line rate
 * @param bytes             bytes sent
 * @param busyPs            time spent serializing
 * @param peakQueueBytes    largest egress queue seen
 * @param segments          segments sent
 * @param utilization       busyPs / run duration, 0..1
 * @param nearDynamicJoules energy of the near optics for the bits sent
 * @param farDynamicJoules  energy of the far optics for the bits sent
 * @param nearIdleJoules    idle energy of the near optics over the run
 * @param farIdleJoules     idle energy of the far optics over the run
 */
public record PortRecord(int port, String node, String tier, String peer, String nearModel, String farModel,
                         long rateBps, long bytes, long busyPs, long peakQueueBytes, long segments,
                         double utilization, double nearDynamicJoules, double farDynamicJoules,
                         double nearIdleJoules, double farIdleJoules, Faults faults) {

    /**
     * What faults did to one link direction, in a run with faults.
     *
     * @param downPs how long it was down during the run
     * @param drops  segments lost on it (down, bit errors) or, for want of a route, at the switch it leads to
     */
    public record Faults(long downPs, long drops) {
    }

    /** A port of a run without faults. */
    public PortRecord(int port, String node, String tier, String peer, String nearModel, String farModel,
                      long rateBps, long bytes, long busyPs, long peakQueueBytes, long segments,
                      double utilization, double nearDynamicJoules, double farDynamicJoules,
                      double nearIdleJoules, double farIdleJoules) {
        this(port, node, tier, peer, nearModel, farModel, rateBps, bytes, busyPs, peakQueueBytes, segments,
            utilization, nearDynamicJoules, farDynamicJoules, nearIdleJoules, farIdleJoules, null);
    }

    public PortRecord {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(nearModel, "nearModel");
        Objects.requireNonNull(farModel, "farModel");
    }

    /** @return the four energies added up, joules */
    public double totalJoules() {
        return nearDynamicJoules + farDynamicJoules + nearIdleJoules + farIdleJoules;
    }
}

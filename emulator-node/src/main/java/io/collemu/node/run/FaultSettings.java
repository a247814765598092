package io.collemu.node.run;

import java.util.List;

/**
 * The faults of a run as the user asked for them, validated (each bound names its flag): the listed faults, the
 * random ones, and the fabric's and transport's timing. Resolved against the fabric by {@link FaultPlans}. Immutable;
 * it travels to cluster members inside the {@link ModelRecipe}.
 *
 * @param faults          from {@code --fault} and {@code --faults FILE}
 * @param randomScale     {@code --random-faults}: each preset's failure and flap rates times this (0 = none)
 * @param randomWindowPs  {@code --fault-window}: random faults fall in [0, window) of each step
 * @param detectPs        {@code --fault-detect}: loss of signal to the switch knowing (1 ms, assumed: no vendor figure;
 *                        link debounce is off by default on Dell, IP Infusion and Cisco switches)
 * @param localReroutePs  {@code --reroute-local}: then pruning the dead next hop from its own ECMP groups (1 ms,
 *                        assumed: hardware fast failover, pre-programmed alternates)
 * @param remoteReroutePs {@code --reroute-remote}: then every other switch (300 ms, assumed: a BGP withdrawal crossing
 *                        two or three tiers of an RFC 7938 Clos; 100 ms to 1 s)
 * @param ibTimeout       {@code --ib-timeout}: NCCL_IB_TIMEOUT, ACK timeout 4.096 us x 2^it (NCCL >= 2.23: 20)
 * @param ibRetryCount    {@code --ib-retry-cnt}: NCCL_IB_RETRY_CNT (7)
 */
public record FaultSettings(List<FaultSpec> faults, double randomScale, long randomWindowPs, long detectPs,
        long localReroutePs, long remoteReroutePs, int ibTimeout, int ibRetryCount) {

    /** No faults, default timing. */
    public static final FaultSettings NONE = new FaultSettings(List.of(), 0, 10_000_000_000L, 1_000_000_000L,
            1_000_000_000L, 300_000_000_000L, 20, 7);

    /** @throws UserError naming the flag that is out of range */
    public FaultSettings {
        faults = List.copyOf(faults);
        if (!(randomScale >= 0 && randomScale <= 1e15)) {
            throw new UserError("--random-faults: " + randomScale + " is out of range 0..1e15 (a rate multiplier)");
        }
        if (randomWindowPs <= 0 || randomWindowPs > Durations.MAX_PS) {
            throw new UserError("--fault-window: must be more than 0 and at most a day");
        }
        if (ibTimeout < 0 || ibTimeout > 31) {
            throw new UserError("--ib-timeout: " + ibTimeout + " is out of range 0..31 (NCCL_IB_TIMEOUT)");
        }
        if (ibRetryCount < 0 || ibRetryCount > 7) {
            throw new UserError("--ib-retry-cnt: " + ibRetryCount + " is out of range 0..7 (NCCL_IB_RETRY_CNT, 3 bits)");
        }
        if (detectPs < 0 || localReroutePs < 0 || remoteReroutePs < 0 || detectPs > Durations.MAX_PS
                || localReroutePs > Durations.MAX_PS || remoteReroutePs > Durations.MAX_PS) {
            throw new UserError("--fault-detect/--reroute-local/--reroute-remote: must be 0..1 day");
        }
        if (remoteReroutePs < localReroutePs) {
            throw new UserError("--reroute-remote (" + Durations.format(remoteReroutePs) + ") must not be shorter than"
                    + " --reroute-local (" + Durations.format(localReroutePs) + ")");
        }
    }

    /** Whether the run has any fault. */
    public boolean any() {
        return !faults.isEmpty() || randomScale > 0;
    }

    /** What summary.json records of the faults. */
    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("faults", faults.stream().map(FaultSpec::text).toList());
        m.put("randomScale", randomScale);
        m.put("randomWindow", Durations.format(randomWindowPs));
        m.put("detect", Durations.format(detectPs));
        m.put("rerouteLocal", Durations.format(localReroutePs));
        m.put("rerouteRemote", Durations.format(remoteReroutePs));
        m.put("ibTimeout", ibTimeout);
        m.put("ibRetryCnt", ibRetryCount);
        return m;
    }
}

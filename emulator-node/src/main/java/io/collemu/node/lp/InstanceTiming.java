package io.collemu.node.lp;

/**
 * How one collective instance runs on the GPUs beyond its schedule, in the nccl fidelity mode: the protocol's wire
 * format, NCCL's base and per-step latencies, and the throughput one channel of the GPU can push. The ideal mode
 * uses {@link #IDEAL}: no overhead, no software latency, no cap.
 *
 * @param lineDataBytes    data bytes per protocol line (Simple 1, LL 8, LL128 120)
 * @param lineWireBytes    bytes a line takes on the wire (Simple 1, LL 16, LL128 128)
 * @param baseLatencyPs    once per instance, before any rank injects (NCCL's base latency: launch, setup)
 * @param intraStepPs      per step (send op) to a peer in the same server, including the wire (NCCL's intra latency)
 * @param interStepPs      per step to a peer in another server (NCCL's inter latency)
 * @param streamPsPerByte  the channel's GPU-side throughput limit, as time per data byte (0 = none)
 * @param stepsOnPath      whether each step's latency lies on the data's path (a tree: data climbs and descends
 *                         once, so a step's software latency excludes the store-and-forward transfer of its first
 *                         segment, which the emulator adds itself); false for a ring, whose ranks run every step in
 *                         turn, so a step excludes only the path's link and switch latency
 */
public record InstanceTiming(int lineDataBytes, int lineWireBytes, long baseLatencyPs, long intraStepPs,
        long interStepPs, double streamPsPerByte, boolean stepsOnPath) {
    /** No protocol overhead, no software latency, no throughput cap. */
    public static final InstanceTiming IDEAL = new InstanceTiming(1, 1, 0, 0, 0, 0, false);

    /** @throws IllegalArgumentException for a non-positive line or a negative latency or cap */
    public InstanceTiming {
        if (lineDataBytes < 1 || lineWireBytes < lineDataBytes || baseLatencyPs < 0 || intraStepPs < 0
                || interStepPs < 0 || !(streamPsPerByte >= 0)) {
            throw new IllegalArgumentException("instance timing out of range: " + lineDataBytes + "/"
                    + lineWireBytes + ", " + baseLatencyPs + ", " + intraStepPs + ", " + interStepPs + ", "
                    + streamPsPerByte);
        }
    }

    /** Bytes {@code dataBytes} of payload occupy in this protocol's lines. */
    public long protocolBytes(long dataBytes) {
        if (lineDataBytes == 1) {
            return dataBytes * lineWireBytes;
        }
        return (dataBytes + lineDataBytes - 1) / lineDataBytes * lineWireBytes;
    }

    /** Whether this is the ideal timing (nothing added). */
    public boolean isIdeal() {
        return lineDataBytes == lineWireBytes && baseLatencyPs == 0 && intraStepPs == 0 && interStepPs == 0
                && streamPsPerByte == 0;
    }
}

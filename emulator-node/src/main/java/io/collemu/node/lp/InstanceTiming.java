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
 * @param stepsOnPath      whether each step's latency lies on the data's path (a tree or NVLSTree: data climbs
 *                         and descends once, so a step's software latency excludes the store-and-forward transfer
 *                         of its first segment, which the emulator adds itself); false for a ring, whose ranks run
 *                         every step in turn, so a step excludes only the path's link and switch latency
 * @param switchLineDataBytes data bytes per line of the switch-combined (NVLS) segments
 * @param switchLineWireBytes their wire bytes per line (NCCL's NVLS efficiency: 85 of 100 on SM90); the other
 *                            segments of an NVLSTree instance (between servers) use the protocol's lines
 * @param maxSegmentBytes     the largest segment whatever {@code --segment-bytes} says (NCCL's forwarding unit,
 *                            NVLSTree's chunk); 0 = none
 * @param parallelStreams     how many streams of a channel share its work at once (NVLSTree: G contributions):
 *                            the channel's processing of its first segment, charged at the start, is at the channel's
 *                            rate, the stream's pace divided by this
 */
public record InstanceTiming(int lineDataBytes, int lineWireBytes, long baseLatencyPs, long intraStepPs,
        long interStepPs, double streamPsPerByte, boolean stepsOnPath, int switchLineDataBytes,
        int switchLineWireBytes, long maxSegmentBytes, int parallelStreams) {
    /** No protocol overhead, no software latency, no throughput cap. */
    public static final InstanceTiming IDEAL = new InstanceTiming(1, 1, 0, 0, 0, 0, false);

    /** A timing whose switch-combined segments use the protocol's lines too. */
    public InstanceTiming(int lineDataBytes, int lineWireBytes, long baseLatencyPs, long intraStepPs,
            long interStepPs, double streamPsPerByte, boolean stepsOnPath) {
        this(lineDataBytes, lineWireBytes, baseLatencyPs, intraStepPs, interStepPs, streamPsPerByte, stepsOnPath,
                lineDataBytes, lineWireBytes, 0, 1);
    }

    /** @throws IllegalArgumentException for a non-positive line or a negative latency or cap */
    public InstanceTiming {
        if (switchLineDataBytes < 1 || switchLineWireBytes < switchLineDataBytes || maxSegmentBytes < 0
                || parallelStreams < 1) {
            throw new IllegalArgumentException("instance timing out of range: switch lines " + switchLineDataBytes
                    + "/" + switchLineWireBytes + ", max segment " + maxSegmentBytes + ", parallel streams "
                    + parallelStreams);
        }
        if (lineDataBytes < 1 || lineWireBytes < lineDataBytes || baseLatencyPs < 0 || intraStepPs < 0
                || interStepPs < 0 || !(streamPsPerByte >= 0)) {
            throw new IllegalArgumentException("instance timing out of range: " + lineDataBytes + "/"
                    + lineWireBytes + ", " + baseLatencyPs + ", " + intraStepPs + ", " + interStepPs + ", "
                    + streamPsPerByte);
        }
    }

    /**
     * Data bytes one LL step carries in NCCL: the LL buffer is NCCL_LL_LINES_PER_THREAD (8) x NCCL_LL_MAX_NTHREADS
     * (512) x NCCL_STEPS (8) lines of 16 bytes (DEFAULT_LL_BUFFSIZE, {@code src/include/device.h} of NCCL
     * v2.30.7-1), 512 KiB in 8 steps: 64 KiB on the wire, 32 KiB of data, each step forwarded as a whole.
     */
    public static final long LL_STEP_DATA_BYTES = 32 << 10;

    /**
     * The segment this instance forwards, given the run's {@code --segment-bytes}: an LL segment carries at most one
     * of NCCL's LL steps ({@link #LL_STEP_DATA_BYTES}), so that store-and-forward through a pipeline fills at
     * NCCL's granularity and not at a coarser one (LL128's 576,000 and Simple's 512 KiB steps are above the default
     * segment and are not capped).
     */
    public long segmentBytes(long runSegmentBytes) {
        long s = lineDataBytes == 8 && lineWireBytes == 16 ? Math.min(runSegmentBytes, LL_STEP_DATA_BYTES)
                : runSegmentBytes;
        return maxSegmentBytes > 0 ? Math.min(s, maxSegmentBytes) : s;
    }

    /** Bytes {@code dataBytes} of payload occupy in this protocol's lines. */
    public long protocolBytes(long dataBytes) {
        if (lineDataBytes == 1) {
            return dataBytes * lineWireBytes;
        }
        return (dataBytes + lineDataBytes - 1) / lineDataBytes * lineWireBytes;
    }

    /**
     * Bytes {@code dataBytes} of a switch-combined (NVLS) segment occupy on the link: NCCL's NVLS efficiency is a rate
     * (data bytes per link byte), not a line size, so the bytes scale and round up once, not to whole "lines" per
     * segment (which would add 1.7% on 4 KiB segments at 85/100).
     */
    public long switchProtocolBytes(long dataBytes) {
        return (Math.multiplyExact(dataBytes, (long) switchLineWireBytes) + switchLineDataBytes - 1) / switchLineDataBytes;
    }

    /** Whether this is the ideal timing (nothing added). */
    public boolean isIdeal() {
        return lineDataBytes == lineWireBytes && baseLatencyPs == 0 && intraStepPs == 0 && interStepPs == 0
                && streamPsPerByte == 0;
    }
}

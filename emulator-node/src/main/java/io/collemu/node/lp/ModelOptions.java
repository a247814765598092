package io.collemu.node.lp;

/**
 * Parameters of the model for one run, validated once.
 *
 * @param segmentBytes            the unit the emulator forwards (4 KiB = packet level .. 4 MiB)
 * @param reducePsPerByte         GPU reduction time per received byte of a reducing receive; 0 = off
 * @param stepLatencyPs           NCCL-like software latency before each send op starts; 0 = off
 * @param maxWaitingPerStream     segments of one stream allowed to wait in the GPU's egress queue
 * @param seed                    the run's seed (ECMP flow ids, any randomness)
 */
public record ModelOptions(long segmentBytes, double reducePsPerByte, long stepLatencyPs, int maxWaitingPerStream,
        long seed) {

    /** The smallest segment: one 4 KiB packet. */
    public static final long MIN_SEGMENT_BYTES = 4096;
    /** The largest segment. */
    public static final long MAX_SEGMENT_BYTES = 4L << 20;
    /** The longest per-step software latency, 1 s. */
    public static final long MAX_STEP_LATENCY_PS = 1_000_000_000_000L;

    /** @throws IllegalArgumentException naming the flag that is out of range */
    public ModelOptions {
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("--segment-bytes: " + segmentBytes + " is out of range 4K..4M ("
                    + MIN_SEGMENT_BYTES + ".." + MAX_SEGMENT_BYTES + " bytes)");
        }
        if (!(reducePsPerByte >= 0) || Double.isInfinite(reducePsPerByte)) {
            throw new IllegalArgumentException("--reduce-gbps: must be 0 (off) or positive");
        }
        if (stepLatencyPs < 0 || stepLatencyPs > MAX_STEP_LATENCY_PS) {
            throw new IllegalArgumentException("--step-latency-ns: " + stepLatencyPs / 1000.0
                    + " is out of range 0..1e9");
        }
        if (maxWaitingPerStream < 1) {
            throw new IllegalArgumentException("segments waiting per stream must be at least 1");
        }
    }

    /** No reduction cost, no step latency, two segments waiting per stream. */
    public static ModelOptions defaults(long segmentBytes, long seed) {
        return new ModelOptions(segmentBytes, 0, 0, 2, seed);
    }
}

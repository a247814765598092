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

    public static final long MIN_SEGMENT_BYTES = 4096;
    public static final long MAX_SEGMENT_BYTES = 4L << 20;

    public ModelOptions {
        if (segmentBytes < 1 || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segment bytes " + segmentBytes + " out of range 1.."
                    + MAX_SEGMENT_BYTES);
        }
        if (reducePsPerByte < 0 || stepLatencyPs < 0 || maxWaitingPerStream < 1) {
            throw new IllegalArgumentException("model options out of range");
        }
    }

    public static ModelOptions defaults(long segmentBytes, long seed) {
        return new ModelOptions(segmentBytes, 0, 0, 2, seed);
    }
}

package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import java.util.List;

/**
 * An nccl-tests style sweep: for each kind and size, {@code iterations} back-to-back calls over all GPUs.
 *
 * @param algorithm  a collectives algorithm name, or "auto"
 * @param sizesBytes bytes per rank, as nccl-tests' size
 * @param channels   NCCL-like channels (parallel rings/trees), 1..{@value #MAX_CHANNELS}; 0 = NCCL's choice (nccl
 *                   mode) or 1 (ideal mode)
 * @param iterations back-to-back calls per size, 1..{@value #MAX_ITERATIONS}
 * @param root       root rank of broadcast and reduce
 * @param pattern    send-recv only: who sends to whom ({@link PairPatterns#pairs}), e.g. {@code shift:1}
 * @param skew       all-to-all-v only: spread of the per-pair sizes ({@link PairPatterns#matrix}); 0 = uniform
 */
public record SweepSpec(List<CollectiveKind> kinds, String algorithm, List<Long> sizesBytes, int channels,
        int iterations, int root, String pattern, double skew) implements WorkloadSpec {
    /** The most channels a sweep may ask for (NCCL's MAXCHANNELS is 64 too). */
    public static final int MAX_CHANNELS = 64;
    /** The most back-to-back calls per size. */
    public static final int MAX_ITERATIONS = 10_000;

    /** @throws IllegalArgumentException naming the flag that is out of range */
    public SweepSpec {
        kinds = List.copyOf(kinds);
        sizesBytes = List.copyOf(sizesBytes);
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("--collective: no collective given");
        }
        if (sizesBytes.isEmpty()) {
            throw new IllegalArgumentException("--sizes: no size given");
        }
        if (channels < 0 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("--channels: " + channels + " is out of range 0.." + MAX_CHANNELS
                    + " (0 = what NCCL would use)");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("--iterations: " + iterations + " is out of range 1.."
                    + MAX_ITERATIONS);
        }
        if (!(skew >= 0 && skew <= PairPatterns.MAX_SKEW)) {
            throw new IllegalArgumentException("--skew: " + skew + " is out of range 0.." + PairPatterns.MAX_SKEW);
        }
        PairPatterns.checkPattern(pattern);
    }

    /** A sweep with the default send-recv pattern (shift:1) and a uniform all-to-all-v. */
    public SweepSpec(List<CollectiveKind> kinds, String algorithm, List<Long> sizesBytes, int channels,
            int iterations, int root) {
        this(kinds, algorithm, sizesBytes, channels, iterations, root, PairPatterns.DEFAULT_PATTERN, 0);
    }

    /** Emulations the sweep runs: one per kind and size. */
    public long steps() {
        return (long) kinds.size() * sizesBytes.size();
    }
}

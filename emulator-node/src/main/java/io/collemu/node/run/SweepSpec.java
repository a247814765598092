package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import java.util.List;

/**
 * An nccl-tests style sweep: for each kind and size, {@code iterations} back-to-back calls over all GPUs.
 *
 * @param algorithm  a collectives algorithm name, or "auto"
 * @param channels   NCCL-like channels (parallel rings/trees)
 */
public record SweepSpec(List<CollectiveKind> kinds, String algorithm, List<Long> sizesBytes, int channels,
        int iterations, int root) {

    public SweepSpec {
        kinds = List.copyOf(kinds);
        sizesBytes = List.copyOf(sizesBytes);
        if (kinds.isEmpty() || sizesBytes.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one collective and one size");
        }
        if (channels < 1 || iterations < 1) {
            throw new IllegalArgumentException("channels and iterations must be at least 1");
        }
    }
}

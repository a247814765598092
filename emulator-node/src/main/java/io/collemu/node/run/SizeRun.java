package io.collemu.node.run;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Schedule;

/** One (collective, size) step of a sweep and what its emulation measured. */
public record SizeRun(CollectiveKind kind, long sizeBytes, Schedule schedule, int iterations,
        ExecutionResult result) {
}

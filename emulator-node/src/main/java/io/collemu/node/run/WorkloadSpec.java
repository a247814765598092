package io.collemu.node.run;

/** What a run replays: an nccl-tests style sweep, or a load profile. */
public sealed interface WorkloadSpec permits SweepSpec, ProfileSpec {
}

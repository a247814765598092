package io.collemu.node.run;

import io.collemu.profiles.IterationResult;
import io.collemu.profiles.OpResult;
import io.collemu.profiles.Plan;
import java.util.List;

/**
 * What a profile run measured: the plan it replayed, the emulation's figures, and per job and iteration (and per
 * planned collective) the times the profile's results define.
 *
 * @param protocols the protocol each planned collective ran with, by collective id ("-" in the ideal mode)
 */
public record ProfileRun(Plan plan, ExecutionResult result, List<IterationResult> iterations, List<OpResult> ops,
        List<String> protocols) {
}

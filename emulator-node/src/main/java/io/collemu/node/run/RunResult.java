package io.collemu.node.run;

import io.collemu.results.CollectiveRecord;
import io.collemu.topology.model.Topology;
import java.nio.file.Path;
import java.util.List;

/** What a run measured, for the command line to print: a sweep's steps or a profile's iterations. */
public sealed interface RunResult permits RunResult.Sweep, RunResult.Profile {

    /** The run directory, or null when nothing was written. */
    Path dir();

    /** The fabric as resolved. */
    Topology topology();

    /** One record per collective instance. */
    List<CollectiveRecord> records();

    /** What the engine did. */
    RunFigures figures();

    /** The same result with the engine's figures replaced. */
    RunResult withFigures(RunFigures f);

    /** A sweep: its steps, in order. */
    record Sweep(Path dir, Topology topology, List<SizeRun> steps, List<CollectiveRecord> records,
            RunFigures figures) implements RunResult {
        @Override
        public RunResult withFigures(RunFigures f) {
            return new Sweep(dir, topology, steps, records, f);
        }
    }

    /** A profile run, with the optics energy of each iteration. */
    record Profile(Path dir, Topology topology, ProfileRun run, double[] iterationJoules,
            List<CollectiveRecord> records, RunFigures figures) implements RunResult {
        @Override
        public RunResult withFigures(RunFigures f) {
            return new Profile(dir, topology, run, iterationJoules, records, f);
        }
    }
}

package io.collemu.node.run;

import io.collemu.node.cluster.ClusterEngine;
import io.collemu.node.engine.Engine;
import io.collemu.results.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code collemu run}, from settings to files: validates the run ({@link Session}), starts the engine (waiting
 * for cluster members), creates the run directory, runs, and returns what was measured.
 *
 * <pre>
 *   RunSettings --> Session (ModelAssembly: topology, fabric, jobs) --> Engines --> Engine.run(job) per step
 *                                                                    --> RunWriter --> runs/&lt;timestamp&gt;/
 * </pre>
 */
public final class Runner {
    private Runner() {
    }

    /**
     * Runs {@code settings}.
     *
     * @throws UserError for an unusable output folder
     * @throws io.collemu.node.actor.MemberLostException if a cluster member never comes or is lost
     */
    public static RunResult run(RunSettings settings, RunListener listener) throws IOException {
        Session session = new Session(settings, Runtime.getRuntime().maxMemory());
        try (Engine engine = Engines.create(settings.engine())) {
            if (engine instanceof ClusterEngine ce) {
                listener.engineReady("cluster of " + settings.engine().members() + " members up at "
                        + ce.selfAddress());
            }
            Path dir = settings.runsRoot() == null ? null : createRunDirectory(settings.runsRoot());
            listener.started(dir, session.assembly().topology());
            RunResult r = session.run(engine, dir, listener);
            if (engine instanceof ClusterEngine ce && ce.lastPartition() != null) {
                RunFigures f = r.figures();
                r = r.withFigures(new RunFigures(f.events(), f.wallSeconds(), ce.lastPartition().describe(),
                        ce.figures()));
            }
            return r;
        }
    }

    /**
     * A new timestamped directory under {@code root}.
     *
     * @throws UserError naming {@code --out} if it cannot be created there
     */
    public static Path createRunDirectory(Path root) {
        try {
            return RunDirectory.create(root);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new UserError("--out: " + (e.getFile() == null ? root : e.getFile()) + " is not a directory");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserError("--out: cannot create a run directory in " + root + ": permission denied");
        } catch (IOException | SecurityException e) {
            throw new UserError("--out: cannot create a run directory in " + root + " (not a writable folder)");
        }
    }
}

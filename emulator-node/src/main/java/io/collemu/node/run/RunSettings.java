package io.collemu.node.run;

import io.collemu.node.lp.ModelOptions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one run needs, parsed and validated once by the command line (each bound is checked in the compact
 * constructor of the record that holds it, which names the flag): nothing below the command line reads options,
 * system properties or streams. Immutable.
 *
 * @param runsRoot where the run directory goes (null: write nothing, as {@code collemu bench} does)
 * @param inputs   the flags as the user gave them, recorded in summary.json
 * @param faults   the faults to inject ({@link FaultSettings#NONE}: none)
 */
public record RunSettings(TopologySource topology, WorkloadSpec workload, ModelOptions model, Fidelity fidelity,
        EngineSettings engine, Path runsRoot, Map<String, Object> inputs, FaultSettings faults) {

    /** Copies the inputs, keeping their order. */
    public RunSettings {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        faults = faults == null ? FaultSettings.NONE : faults;
    }

    /** A run without faults. */
    public RunSettings(TopologySource topology, WorkloadSpec workload, ModelOptions model, Fidelity fidelity,
            EngineSettings engine, Path runsRoot, Map<String, Object> inputs) {
        this(topology, workload, model, fidelity, engine, runsRoot, inputs, FaultSettings.NONE);
    }

    /** The same run with another link preset (for {@code compare}). */
    public RunSettings withLink(String link) {
        Map<String, Object> in = new LinkedHashMap<>(inputs);
        in.put("link", link);
        return new RunSettings(topology.withLink(link), workload, model, fidelity, engine, runsRoot, in, faults);
    }

    /** What summary.json puts first: version, seed, fidelity, engine, members, threads. */
    public Map<String, Object> header() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("collemuVersion", Version.VERSION);
        h.put("seed", model.seed());
        h.put("fidelity", fidelity.mode().cliName());
        h.put("engine", engine.kind().cliName());
        h.put("members", engine.members());
        h.put("threads", engine.threads());
        return h;
    }
}

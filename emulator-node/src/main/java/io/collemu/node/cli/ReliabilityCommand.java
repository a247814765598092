package io.collemu.node.cli;

import io.collemu.node.run.CostModel;
import io.collemu.node.run.Durations;
import io.collemu.node.run.EngineSettings;
import io.collemu.node.run.FailureClasses;
import io.collemu.node.run.ProfileSpec;
import io.collemu.node.run.Reliability;
import io.collemu.node.run.ReliabilityWriter;
import io.collemu.node.run.Runner;
import io.collemu.node.run.UserError;
import io.collemu.node.run.WorkloadSpec;
import io.collemu.topology.model.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code collemu reliability}: interruptions, lost GPU-hours, goodput, energy and dollars of each link model over a
 * training run (a Monte Carlo campaign over the failure processes, with degraded-fabric slowdowns measured by
 * emulating the job's iteration).
 */
@Command(name = "reliability", mixinStandardHelpOptions = true,
        description = {"Over a training run of --days, how many interruptions, lost GPU-hours and dollars does each "
            + "link model cost? Monte Carlo over the failure processes of every optical end and switch; the "
            + "slowdown of running degraded is measured by emulating the job's iteration (--profile) with the "
            + "failed links down.",
            "Writes runs/<timestamp>/ with reliability.json, reliability.csv, failure-classes.csv, report.html."})
public final class ReliabilityCommand implements Callable<Integer> {
    /** The iteration emulated when no --profile is given: a small dense training step. */
    static final String DEFAULT_PROFILE = "dense-training-step";
    static final List<String> DEFAULT_PARAMS = List.of("layers=2", "bucketBytes=100M", "iterations=1", "warmup=0");

    @Mixin
    ScenarioOptions scenario;

    @Mixin
    ActorOptions actors;

    @Mixin
    OutputOptions output;

    @Option(names = "--link", paramLabel = "PRESET", description = "One link model (default: the topology's).")
    String link;

    @Option(names = "--compare-links", paramLabel = "A,B,...", split = ",",
            description = "Link models to compare; the first is the baseline of the %% differences.")
    List<String> links;

    @Option(names = "--engine", paramLabel = "sequential|actors", defaultValue = "actors",
            description = "Engine of the emulations (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--days", paramLabel = "D", defaultValue = "30", description = "Length of the run (30).")
    double days;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "2000",
            description = "Monte Carlo trials (2000).")
    int trials;

    @Option(names = "--checkpoint-interval", paramLabel = "TIME", defaultValue = "0",
            description = "Between checkpoints; 0 = Young's optimum sqrt(2 x stall x MTBF) (0).")
    String checkpoint;

    @Option(names = "--checkpoint-stall", paramLabel = "TIME", defaultValue = "1min",
            description = "What one checkpoint costs the job (1min, assumed: asynchronous checkpointing).")
    String checkpointStall;

    @Option(names = "--restart", paramLabel = "TIME", defaultValue = "10min",
            description = "From the job knowing to it running again (10min, assumed).")
    String restart;

    @Option(names = "--detect", paramLabel = "TIME", defaultValue = "34.4s",
            description = "From a failure to the job knowing: NCCL's 8 ACK timeouts of 4.295 s (34.4s).")
    String detect;

    @Option(names = "--repair-pluggable", paramLabel = "TIME", defaultValue = "4h",
            description = "A module swap (4h, assumed).")
    String repairPluggable;

    @Option(names = "--repair-cpo-laser", paramLabel = "TIME", defaultValue = "4h",
            description = "A CPO external laser swap, a front-panel FRU (4h, assumed).")
    String repairLaser;

    @Option(names = "--repair-switch", paramLabel = "TIME", defaultValue = "24h",
            description = "A switch swap, also for a CPO optical engine (24h, assumed).")
    String repairSwitch;

    @Option(names = "--laser-share", paramLabel = "F", defaultValue = "0.7",
            description = "Share of CPO port failures that are laser failures (0.7, assumed).")
    double laserShare;

    @Option(names = "--laser-ports", paramLabel = "N", defaultValue = "8",
            description = "Ports one CPO laser module feeds (8: 144 ports / 18 lasers on Quantum-X Photonics).")
    int laserPorts;

    @Option(names = "--engine-blast", paramLabel = "N", defaultValue = "0",
            description = "Ports one CPO optical-engine failure takes down; 0 = the whole switch until it is "
                + "swapped (0, conservative).")
    int engineBlast;

    @Option(names = "--spare-servers", paramLabel = "N",
            description = "Spare servers a job restarts on at once (default: one per 32 servers, at least 1).")
    Integer spareServers;

    @Option(names = "--no-route-around", description = "Stop the job on any failure (no degraded running).")
    boolean noRouteAround;

    @Option(names = "--costs", paramLabel = "FILE", description = "A YAML file overriding prices and rates.")
    Path costsFile;

    @Option(names = "--gpu-hour-price", paramLabel = "USD", description = "Price of a GPU-hour (H100 2.50, B200 5.00).")
    Double gpuHourPrice;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Reliability.Spec s = Settings.conclude(this::settings);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("# collemu reliability: %s over %s days, %d trials, seed %d%n", s.topology().spec(),
                fmt(s.days()), s.trials(), s.model().seed());
        o.flush();
        List<Reliability.LinkResult> results;
        try (ProgressReporter progress = new ProgressReporter(System.err, o, "reliability", null, 0,
                output.progress()).linesTo(spec.commandLine().getErr())) {
            results = Reliability.run(s, progress);
        }
        Path dir = Runner.createRunDirectory(output.runsRoot());
        ReliabilityWriter.write(dir, s, results, inputs());
        o.print(ReliabilityWriter.text(s, results));
        o.printf("# results in %s%n", dir);
        o.flush();
        return 0;
    }

    private Reliability.Spec settings() {
        List<String> models = links != null ? new ArrayList<>(new LinkedHashSet<>(links))
                : new ArrayList<>();
        if (links != null && link != null) {
            throw new UserError("--link and --compare-links: give one of them");
        }
        var source = scenario.topologySource(link, spec);
        if (models.isEmpty()) {
            Topology t = source.parse();
            models.add(link != null ? link : t.portNearEnd(firstFabricPort(t)).name());
        }
        boolean profileGiven = spec.commandLine().getParseResult().hasMatchedOption("--profile");
        if (!profileGiven) {
            scenario.profile = DEFAULT_PROFILE;
            if (scenario.params.isEmpty()) {
                scenario.params = new ArrayList<>(DEFAULT_PARAMS);
            }
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--segment-bytes")) {
            scenario.segmentBytes = "1M";
        }
        WorkloadSpec w = scenario.workload(spec);
        double hours = days * 24;
        Topology t = source.parse();
        int servers = Math.max(1, t.gpuCount() / Math.max(1, t.gpusPerServer()));
        int spares = spareServers != null ? spareServers : Math.max(1, servers / 32);
        if (spares < 0) {
            throw new UserError("--spare-servers: must not be negative");
        }
        if (!(laserShare >= 0 && laserShare <= 1)) {
            throw new UserError("--laser-share: " + laserShare + " is not in 0..1");
        }
        if (laserPorts < 1 || engineBlast < 0) {
            throw new UserError("--laser-ports must be at least 1 and --engine-blast at least 0");
        }
        var params = new FailureClasses.Params(h(repairPluggable, "--repair-pluggable"),
                h(repairLaser, "--repair-cpo-laser"), h(repairSwitch, "--repair-switch"), laserShare, laserPorts,
                engineBlast, spares, !noRouteAround);
        CostModel costs = null;
        if (costsFile != null || gpuHourPrice != null) {
            CostModel base = CostModel.defaults(gpuHourPrice != null ? gpuHourPrice : 2.5);
            costs = costsFile != null ? CostFile.read(costsFile, base) : base;
            if (gpuHourPrice != null) {
                costs = CostFile.withGpuHourPrice(costs, gpuHourPrice);
            }
        }
        double cp = h(checkpoint, "--checkpoint-interval");
        if (cp > hours) {
            throw new UserError("--checkpoint-interval: " + checkpoint + " is longer than the run (" + fmt(days)
                    + " days)");
        }
        return new Reliability.Spec(source, models, days, trials, scenario.model().seed(), cp,
                h(checkpointStall, "--checkpoint-stall"), h(restart, "--restart"), h(detect, "--detect"), params,
                (ProfileSpec) w, scenario.model(), scenario.fidelity(spec),
                EngineSettings.local(RunCommand.engineKind(engine), actors.settings()), costs);
    }

    private static int firstFabricPort(Topology t) {
        for (int p = 0; p < t.portCount(); p++) {
            if (t.portNearEnd(p).technology().isOptical()) {
                return p;
            }
        }
        return 0;
    }

    private static double h(String time, String flag) {
        return Durations.parsePs(time, flag) / 3.6e15;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private Map<String, Object> inputs() {
        Map<String, Object> m = new LinkedHashMap<>(scenario.inputs());
        m.put("links", links != null ? String.join(",", links) : link);
        m.put("days", days);
        m.put("trials", trials);
        m.put("checkpointInterval", checkpoint);
        m.put("checkpointStall", checkpointStall);
        m.put("restart", restart);
        m.put("detect", detect);
        m.put("repairPluggable", repairPluggable);
        m.put("repairCpoLaser", repairLaser);
        m.put("repairSwitch", repairSwitch);
        m.put("laserShare", laserShare);
        m.put("laserPorts", laserPorts);
        m.put("engineBlast", engineBlast);
        m.put("spareServers", spareServers);
        m.put("routeAround", !noRouteAround);
        m.put("costs", costsFile == null ? null : costsFile.toString());
        return m;
    }
}

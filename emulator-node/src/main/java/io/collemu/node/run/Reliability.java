package io.collemu.node.run;

import io.collemu.node.lp.FaultPlan;
import io.collemu.results.RunOutcome;
import io.collemu.node.lp.ModelOptions;
import io.collemu.topology.model.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A reliability campaign: a training run of {@code days} on a fabric, once per link model. The failure processes of
 * every link end and switch ({@link FailureClasses}) are drawn over the run, trial after trial (Monte Carlo over
 * seeds); each failure stops the job (lost work since the last checkpoint, detection, restart, and the repair when
 * no spare can take over), slows it (running over the surviving paths until the repair, by a slowdown
 * <b>measured</b> by emulating the job's iteration with that class's ports down, once per class), or stalls it for
 * an ACK timeout (a flap). Checkpoints cost their stall every interval (Young's optimum sqrt(2 x stall x MTBF) unless
 * given). Stateless.
 */
public final class Reliability {
    private Reliability() {
    }

    /**
     * What a campaign runs.
     *
     * @param iteration        the job's iteration (a profile), emulated healthy and degraded
     * @param checkpointHours  the checkpoint interval, 0 = Young's optimum
     * @param detectHours      failure to the job knowing (NCCL's retries: 8 x 4.295 s = 34.4 s)
     * @param engine           the engine of the emulations
     */
    public record Spec(TopologySource topology, List<String> links, double days, int trials, long seed,
            double checkpointHours, double checkpointStallHours, double restartHours, double detectHours,
            FailureClasses.Params params, ProfileSpec iteration, ModelOptions model, Fidelity fidelity,
            EngineSettings engine, CostModel costs) {

        /** @throws UserError naming the flag that is out of range */
        public Spec {
            if (!(days > 0 && days <= 3650)) {
                throw new UserError("--days: " + days + " is out of range (0, 3650]");
            }
            if (trials < 1 || trials > 1_000_000) {
                throw new UserError("--trials: " + trials + " is out of range 1..1000000");
            }
            if (checkpointHours < 0 || checkpointHours > days * 24) {
                throw new UserError("--checkpoint-interval: " + checkpointHours + " h is longer than the run ("
                        + days * 24 + " h)");
            }
            if (!(checkpointStallHours >= 0) || !(restartHours >= 0) || !(detectHours >= 0)) {
                throw new UserError("--checkpoint-stall, --restart, --detect: must not be negative");
            }
            if (links.isEmpty()) {
                throw new UserError("--compare-links: at least one link model");
            }
        }
    }

    /** One class with its measured slowdown (1 for classes that do not run degraded). */
    public record ClassResult(FailureClasses.FailureClass failureClass, FailureClasses.Effect effect,
            double slowdown, double eventsPerRun) {
    }

    /**
     * What one link model gives over the run: mean and 90% interval of interruptions and lost GPU-hours, goodput,
     * optics energy, costs.
     */
    public record LinkResult(String link, Topology topology, double healthyIterationUs, List<ClassResult> classes,
            double checkpointHours, double[] interruptions, double[] lostGpuHours, double meanInterruptions,
            double meanLostGpuHours, double lostToCheckpoints, double goodput, double opticsWatts, double opticsKwh,
            CostModel.Capex capex, double energyDollars, double downtimeDollars, double totalPerRun,
            double totalPerYear, RunOutcome outcome) {

        /** The p-quantile (0..1) of a sorted sample. */
        public static double quantile(double[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
            return sorted[i];
        }
    }

    /** Runs the campaign for every link model. */
    public static List<LinkResult> run(Spec spec, RunListener listener) throws IOException {
        List<LinkResult> out = new ArrayList<>();
        for (String link : spec.links()) {
            out.add(runLink(spec, link, listener));
        }
        return out;
    }

    private static LinkResult runLink(Spec spec, String link, RunListener listener) throws IOException {
        TopologySource source = spec.topology().withLink(link);
        RunResult.Profile healthy = emulate(spec, source, FaultSettings.NONE, listener);
        Topology t = healthy.topology();
        CostModel costs = spec.costs() != null ? spec.costs() : CostModel.defaults(gpuHourPrice(t, spec.fidelity()));
        double base = iterationPs(healthy);
        List<ClassResult> classes = new ArrayList<>();
        double hours = spec.days() * 24;
        for (FailureClasses.FailureClass c : FailureClasses.of(t, costs, spec.params())) {
            FailureClasses.Effect effect = c.effect();
            double slowdown = 1;
            if (effect == FailureClasses.Effect.DEGRADED) {
                RunResult.Profile degraded = emulate(spec, source, downFromStart(t, c.ports()), listener);
                if (anyFailed(degraded)) {
                    effect = FailureClasses.Effect.INTERRUPTION; // no surviving path for some flow
                } else {
                    slowdown = iterationPs(degraded) / base;
                }
            }
            classes.add(new ClassResult(c, effect, slowdown, c.ratePerHour() * hours));
        }
        double interruptRate = 0;
        for (ClassResult c : classes) {
            if (c.effect() == FailureClasses.Effect.INTERRUPTION) {
                interruptRate += c.failureClass().ratePerHour();
            }
        }
        double tau = spec.checkpointHours() > 0 ? spec.checkpointHours()
                : young(spec.checkpointStallHours(), interruptRate, hours);
        double stallHours = stallHours(spec);
        int gpus = t.gpuCount();
        double[] interruptions = new double[spec.trials()];
        double[] lost = new double[spec.trials()];
        SplittableRandom rnd = new SplittableRandom(spec.seed() ^ 0x3C6EF372FE94F82BL);
        for (int trial = 0; trial < spec.trials(); trial++) {
            double n = 0;
            double gpuHours = 0;
            for (ClassResult c : classes) {
                long k = poisson(rnd, c.failureClass().ratePerHour() * hours);
                for (long e = 0; e < k; e++) {
                    switch (c.effect()) {
                        case INTERRUPTION -> {
                            n++;
                            gpuHours += gpus * (rnd.nextDouble() * tau + spec.detectHours() + spec.restartHours()
                                    + (c.failureClass().waitsRepair() ? c.failureClass().repairHours() : 0));
                        }
                        case DEGRADED -> gpuHours += gpus * (stallHours
                                + c.failureClass().repairHours() * (1 - 1 / c.slowdown()));
                        case STALL -> gpuHours += gpus * stallHours;
                    }
                }
            }
            interruptions[trial] = n;
            lost[trial] = gpuHours;
        }
        double checkpoints = gpus * hours / tau * spec.checkpointStallHours();
        for (int i = 0; i < lost.length; i++) {
            lost[i] += checkpoints;
        }
        double meanN = Arrays.stream(interruptions).average().orElse(0);
        double meanLost = Arrays.stream(lost).average().orElse(0);
        Arrays.sort(interruptions);
        Arrays.sort(lost);
        RunOutcome outcome = Records.outcome(link, healthy);
        double seconds = healthy.run().result().durationPs() * 1e-12;
        double watts = seconds > 0 ? outcome.energyJoules() / seconds : outcome.opticsIdleWatts();
        CostModel.Capex capex = costs.capex(t);
        double energy = costs.energyDollars(watts, hours);
        double downtime = meanLost * costs.gpuHourPrice();
        double capexShare = capex.total() * spec.days() / 365 / costs.lifetimeYears();
        double perRun = capexShare + energy + downtime;
        double perYear = capex.total() / costs.lifetimeYears() + (energy + downtime) * 365 / spec.days();
        return new LinkResult(link, t, base / 1e6, classes, tau, interruptions, lost, meanN, meanLost, checkpoints,
                1 - meanLost / (gpus * hours), watts, watts * hours / 1000, capex, energy, downtime, perRun, perYear,
                outcome);
    }

    /**
     * The stall of a transient fault: one ACK timeout (NCCL_IB_TIMEOUT 20: 4.295 s), after which the resend goes
     * through (a flap's 2 s are over, a dead link is routed around): what issue 13's emulation measures.
     */
    static double stallHours(Spec spec) {
        return FaultPlan.ackTimeoutPs(20) / 3.6e15;
    }

    /** Young's first-order optimum interval sqrt(2 x stall x MTBF), within [stall, run]; the run if no failures. */
    static double young(double stallHours, double ratePerHour, double runHours) {
        if (ratePerHour <= 0 || stallHours <= 0) {
            return runHours;
        }
        double tau = Math.sqrt(2 * stallHours / ratePerHour);
        return Math.max(stallHours, Math.min(runHours, tau));
    }

    /** A Poisson draw: Knuth's product method, in chunks of mean 30 (a sum of Poissons is Poisson). */
    static long poisson(SplittableRandom rnd, double mean) {
        long k = 0;
        double left = mean;
        while (left > 0) {
            double m = Math.min(30, left);
            left -= m;
            double limit = Math.exp(-m);
            double p = rnd.nextDouble();
            while (p > limit) {
                k++;
                p *= rnd.nextDouble();
            }
        }
        return k;
    }

    private static double gpuHourPrice(Topology t, Fidelity fidelity) {
        for (int p = 0; p < t.portCount(); p++) {
            if (t.portNearEnd(p).name().equals("nvlink5")) {
                return 5.0;
            }
        }
        return fidelity.gpu() != null && fidelity.gpu().equals("b200") ? 5.0 : 2.5;
    }

    /** Faults taking {@code ports} down from the start, with the fabric already converged around them. */
    static FaultSettings downFromStart(Topology t, List<Integer> ports) {
        List<FaultSpec> specs = new ArrayList<>();
        for (int p : ports) {
            int owner = t.portOwner(p);
            int local = p - t.portOf(owner, 0);
            specs.add(new FaultSpec("link-down", null, t.nodeName(owner) + ":" + local, t.nodeName(owner), null, null,
                    false, 0, 0, 0, "class"));
        }
        FaultSettings d = FaultSettings.NONE;
        return new FaultSettings(specs, 0, d.randomWindowPs(), 0, 0, 0, d.ibTimeout(), d.ibRetryCount());
    }

    /** One emulation of the iteration on {@code source} with {@code faults}, nothing written. */
    static RunResult.Profile emulate(Spec spec, TopologySource source, FaultSettings faults, RunListener listener)
            throws IOException {
        RunSettings s = new RunSettings(source, spec.iteration(), spec.model(), spec.fidelity(), spec.engine(), null,
                Map.of(), faults);
        return (RunResult.Profile) Runner.run(s, new RunListener() {
            @Override
            public void update(long virtualPs, long events) {
                listener.update(virtualPs, events);
            }
        });
    }

    /** The mean time of the iterations that are not warm-up. */
    static double iterationPs(RunResult.Profile r) {
        double sum = 0;
        int n = 0;
        for (var it : r.run().iterations()) {
            if (!it.warmup()) {
                sum += it.durationPs();
                n++;
            }
        }
        return n == 0 ? r.run().result().durationPs() : sum / n;
    }

    private static boolean anyFailed(RunResult.Profile r) {
        ExecutionResult.Faults f = r.run().result().faults();
        if (f == null) {
            return false;
        }
        for (boolean b : f.failed()) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /**
     * A year of a fabric's costs without a campaign, for {@code compare}: capital spread over the lifetime, optics
     * energy at {@code opticsWatts}, and the downtime of the expected interruptions (half a checkpoint interval of
     * lost work at Young's optimum, detection, restart, the repair where no spare helps) and stalls of a job on every
     * GPU, with the default job parameters; the slowdown of degraded running is not included (it needs the
     * emulations of {@code collemu reliability}).
     */
    public record YearCost(double capex, double energy, double downtime, double interruptionsPerYear) {
        public double total() {
            return capex + energy + downtime;
        }
    }

    /** The expected {@link YearCost} of {@code t} at {@code opticsWatts}. */
    public static YearCost yearCost(Topology t, CostModel costs, double opticsWatts) {
        int servers = Math.max(1, t.gpuCount() / Math.max(1, t.gpusPerServer()));
        var params = new FailureClasses.Params(4, 4, 24, 0.7, 8, 0, Math.max(1, servers / 32), true);
        double hours = 8760;
        double detect = (FaultPlan.ackTimeoutPs(20) * 8) / 3.6e15;
        double restart = 10.0 / 60;
        double stall = 1.0 / 60;
        double interruptRate = 0;
        double waits = 0;
        double stalls = 0;
        for (FailureClasses.FailureClass c : FailureClasses.of(t, costs, params)) {
            if (c.effect() == FailureClasses.Effect.INTERRUPTION) {
                interruptRate += c.ratePerHour();
                waits += c.waitsRepair() ? c.ratePerHour() * c.repairHours() : 0;
            } else {
                stalls += c.ratePerHour();
            }
        }
        double tau = young(stall, interruptRate, hours);
        double lostHoursPerHour = interruptRate * (tau / 2 + detect + restart) + waits + stalls * stallHours(null)
                + stall / tau;
        double downtime = t.gpuCount() * lostHoursPerHour * hours * costs.gpuHourPrice();
        return new YearCost(costs.capex(t).total() / costs.lifetimeYears(), costs.energyDollars(opticsWatts, hours),
                downtime, interruptRate * hours);
    }

    /** The campaign as summary data (reliability.json). */
    public static Map<String, Object> summary(Spec spec, List<LinkResult> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("days", spec.days());
        m.put("trials", spec.trials());
        m.put("seed", spec.seed());
        List<Map<String, Object>> links = new ArrayList<>();
        for (LinkResult r : results) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("link", r.link());
            l.put("healthyIterationUs", r.healthyIterationUs());
            l.put("checkpointIntervalHours", r.checkpointHours());
            l.put("interruptionsMean", r.meanInterruptions());
            l.put("interruptionsP5", LinkResult.quantile(r.interruptions(), 0.05));
            l.put("interruptionsP95", LinkResult.quantile(r.interruptions(), 0.95));
            l.put("lostGpuHoursMean", r.meanLostGpuHours());
            l.put("lostGpuHoursP5", LinkResult.quantile(r.lostGpuHours(), 0.05));
            l.put("lostGpuHoursP95", LinkResult.quantile(r.lostGpuHours(), 0.95));
            l.put("lostGpuHoursToCheckpoints", r.lostToCheckpoints());
            l.put("goodput", r.goodput());
            l.put("opticsWatts", r.opticsWatts());
            l.put("opticsKwh", r.opticsKwh());
            l.put("capexOptics", r.capex().optics());
            l.put("capexSwitches", r.capex().switches());
            l.put("energyDollars", r.energyDollars());
            l.put("downtimeDollars", r.downtimeDollars());
            l.put("totalPerRun", r.totalPerRun());
            l.put("totalPerYear", r.totalPerYear());
            List<Map<String, Object>> cs = new ArrayList<>();
            for (ClassResult c : r.classes()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("class", c.failureClass().name());
                x.put("elements", c.failureClass().count());
                x.put("perHour", c.failureClass().ratePerHour());
                x.put("eventsPerRun", c.eventsPerRun());
                x.put("effect", c.effect().name().toLowerCase(java.util.Locale.ROOT));
                x.put("linksDown", c.failureClass().ports().size() / 2);
                x.put("serversIsolated", c.failureClass().servers());
                x.put("repairHours", c.failureClass().repairHours());
                x.put("waitsForRepair", c.failureClass().waitsRepair());
                x.put("slowdown", c.slowdown());
                cs.add(x);
            }
            l.put("classes", cs);
            links.add(l);
        }
        m.put("links", links);
        return m;
    }
}

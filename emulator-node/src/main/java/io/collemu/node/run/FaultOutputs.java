package io.collemu.node.run;

import io.collemu.node.lp.FaultPlan;
import io.collemu.results.PortRecord;
import io.collemu.results.TableCsv;
import io.collemu.topology.model.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run with faults adds to its directory and its output: down time and drops per port (ports.csv),
 * {@code faults.csv} (the plan's changes and the interruptions, on the run's timeline), the {@code faults} block of
 * summary.json, and one line per interruption for stderr. Stateless.
 */
public final class FaultOutputs {
    /** The file of the fault log. */
    public static final String FAULTS_CSV = "faults.csv";

    private FaultOutputs() {
    }

    /** One emulation with its start and length on the run's timeline, and what it measured. */
    public record Step(String label, ExecutionResult result) {
    }

    /** The ports' records with their down time over every step and their drops. */
    public static List<PortRecord> ports(List<PortRecord> ports, FaultPlan plan, List<Step> steps,
            io.collemu.node.lp.PortStats[] stats) {
        List<PortRecord> out = new ArrayList<>(ports.size());
        for (PortRecord r : ports) {
            long down = 0;
            for (Step s : steps) {
                down += plan.downPs(r.port(), 0, s.result().durationPs());
            }
            long drops = stats[r.port()] == null ? 0 : stats[r.port()].drops();
            out.add(new PortRecord(r.port(), r.node(), r.tier(), r.peer(), r.nearModel(), r.farModel(), r.rateBps(),
                    r.bytes(), r.busyPs(), r.peakQueueBytes(), r.segments(), r.utilization(), r.nearDynamicJoules(),
                    r.farDynamicJoules(), r.nearIdleJoules(), r.farIdleJoules(), new PortRecord.Faults(down, drops)));
        }
        return out;
    }

    /** Writes faults.csv: per step, the plan's changes within it and its interruptions, in time order. */
    public static void writeLog(Path dir, FaultPlan plan, List<Step> steps, Topology t) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        for (Step s : steps) {
            ExecutionResult r = s.result();
            List<Object[]> events = new ArrayList<>();
            for (FaultPlan.Event e : plan.events()) {
                if (e.timePs() <= r.durationPs()) {
                    events.add(new Object[] {e.timePs(), e.kind(), e.port() < 0 ? "" : FaultPlans.portName(t, e.port()),
                            e.detail()});
                }
            }
            if (plan.hasDownLinks()) {
                for (FaultPlan.Event e : plan.events()) {
                    if (e.kind().equals("link-down") || e.kind().equals("link-flap") || e.kind().equals("switch-down")) {
                        addKnowledge(events, e, plan.localLagPs(), "rerouted-local",
                                "the switches at the link prune it from ECMP", r.durationPs());
                        addKnowledge(events, e, plan.globalLagPs(), "rerouted-remote",
                                "every other switch has reconverged", r.durationPs());
                    }
                }
            }
            if (r.faults() != null) {
                for (ExecutionResult.Interruption x : r.faults().interruptions()) {
                    events.add(new Object[] {x.timePs() - r.startPs(), "interruption",
                            t.nodeName(t.gpuNode(x.gpu())) + "->" + t.nodeName(t.gpuNode(x.peerGpu())),
                            "instance " + x.instance() + ": " + cause(plan)});
                }
            }
            events.sort((a, b) -> Long.compare((long) a[0], (long) b[0]));
            for (Object[] e : events) {
                long rel = (long) e[0];
                rows.add(List.of(s.label(), r.startPs() + rel, rel / 1e6, e[1], e[2], e[3]));
            }
        }
        TableCsv.write(dir.resolve(FAULTS_CSV), List.of("step", "time_ps", "step_time_us", "event", "link", "detail"),
                rows);
    }

    private static void addKnowledge(List<Object[]> events, FaultPlan.Event e, long lag, String kind, String what,
            long durationPs) {
        long at = e.timePs() + lag;
        if (at <= durationPs) {
            events.add(new Object[] {at, kind, "", what + " (" + e.kind() + " at "
                    + Durations.format(e.timePs()) + ")"});
        }
    }

    /** Why a rank gives up: its retries ran out. */
    static String cause(FaultPlan plan) {
        return String.format(Locale.ROOT, "retries exhausted (%d ACK timeouts of %s, NCCL_IB_RETRY_CNT %d)",
                plan.retryCount() + 1, Durations.format(plan.ackTimeoutPs()), plan.retryCount());
    }

    /** The summary.json block: settings, totals, interruptions. */
    public static Map<String, Object> summary(FaultSettings settings, FaultPlan plan, List<Step> steps, Topology t) {
        Map<String, Object> m = new LinkedHashMap<>(settings.describe());
        long rtx = 0;
        long dropped = 0;
        long discarded = 0;
        List<Map<String, Object>> interruptions = new ArrayList<>();
        for (Step s : steps) {
            ExecutionResult.Faults f = s.result().faults();
            if (f == null) {
                continue;
            }
            for (long b : f.retransmittedBytes()) {
                rtx += b;
            }
            dropped += f.segmentsDropped();
            discarded += f.segmentsDiscarded();
            for (ExecutionResult.Interruption x : f.interruptions()) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("step", s.label());
                i.put("instance", x.instance());
                i.put("timePs", x.timePs());
                i.put("stepTimeUs", (x.timePs() - s.result().startPs()) / 1e6);
                i.put("gpu", t.nodeName(t.gpuNode(x.gpu())));
                i.put("peer", t.nodeName(t.gpuNode(x.peerGpu())));
                i.put("cause", cause(plan));
                interruptions.add(i);
            }
        }
        if (settings.randomScale() > 0) {
            double[] e = FaultPlans.expected(settings, t);
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("linkFailures", e[0]);
            x.put("linkFlaps", e[1]);
            x.put("switchFailures", e[2]);
            m.put("randomExpectedPerStep", x);
        }
        m.put("planEvents", plan.events().size());
        m.put("retransmittedBytes", rtx);
        m.put("segmentsDropped", dropped);
        m.put("segmentsDiscarded", discarded);
        m.put("interruptions", interruptions);
        return m;
    }

    /**
     * One line per failed instance, for stderr: which step, when, which GPU gave up on which, and why. The first
     * rank to give up stands for its instance.
     */
    public static List<String> interruptionLines(FaultPlan plan, List<Step> steps, Topology t) {
        List<String> out = new ArrayList<>();
        for (Step s : steps) {
            ExecutionResult.Faults f = s.result().faults();
            if (f == null) {
                continue;
            }
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (ExecutionResult.Interruption x : f.interruptions()) {
                if (seen.add(x.instance())) {
                    out.add(String.format(Locale.ROOT, "interruption: %s, instance %d failed at %s into the step: %s"
                                    + " could no longer reach %s, %s", s.label(), x.instance(),
                            Durations.format(x.timePs() - s.result().startPs()), t.nodeName(t.gpuNode(x.gpu())),
                            t.nodeName(t.gpuNode(x.peerGpu())), cause(plan)));
                }
            }
        }
        return out;
    }
}

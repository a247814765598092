package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.collemu.profiles.IterationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Load profiles replayed by the real engine: overlap, and several jobs on one fabric. */
class ProfileRunTest {

    static ProfileRun run(String spec, String yaml, EngineKind kind) {
        return TestRuns.profile(spec, yaml, kind, 3).run();
    }

    static String job(String name, String gpus, String size, String extra) {
        return "  - name: " + name + "\n    gpus: " + gpus + "\n    iterations: 2\n    layout: {dp: auto}\n"
                + "    ops:\n"
                + "      - {name: bwd, kind: compute, duration: 200us, stream: compute}\n"
                + "      - {name: grad, kind: all-reduce, size: " + size + ", communicator: dp, stream: dp" + extra
                + "}\n";
    }

    static List<IterationResult> measured(ProfileRun r, String job) {
        return r.iterations().stream().filter(i -> i.job().equals(job) && !i.warmup()).toList();
    }

    @Test
    void shouldReportZeroExposedTimeWhenComputeHidesCommunication() {
        String yaml = "name: hidden\njobs:\n" + job("a", "0-7", "1M", "");
        ProfileRun r = run("single-switch:gpus=8,link=cpo-1.6t", yaml, EngineKind.SEQUENTIAL);
        for (IterationResult it : measured(r, "a")) {
            assertTrue(it.commPs() > 0, "the all-reduce took time");
            assertEquals(0, it.exposedCommPs(), "a 1 MiB all-reduce beside 200 us of compute is hidden: " + it);
            assertEquals(200_000_000L, it.durationPs());
        }
    }

    @Test
    void shouldExposeCommunicationThatWaitsForCompute() {
        String yaml = "name: exposed\njobs:\n" + job("a", "0-7", "64M", ", after: [bwd]");
        ProfileRun r = run("single-switch:gpus=8,link=cpo-1.6t", yaml, EngineKind.SEQUENTIAL);
        for (IterationResult it : measured(r, "a")) {
            assertEquals(it.durationPs() - 200_000_000L, it.exposedCommPs(), it.toString());
            assertTrue(it.exposedCommPs() > 0);
        }
    }

    @Test
    void shouldRunTwoJobsOnDisjointHalvesAsFastAsAloneAndSlowerWhenTheyShare() {
        String open = "leaf-spine:leaves=4,spines=8,hosts-per-leaf=8,link=pluggable-dsp-800g,oversubscription=1";
        String alone = "name: alone\njobs:\n" + job("a", "0-15", "64M", ", after: [bwd]");
        String both = "name: both\njobs:\n" + job("a", "0-15", "64M", ", after: [bwd]")
                + job("b", "16-31", "64M", ", after: [bwd]");
        ProfileRun a = run(open, alone, EngineKind.SEQUENTIAL);
        ProfileRun ab = run(open, both, EngineKind.SEQUENTIAL);
        assertEquals(measured(a, "a").get(0).durationPs(), measured(ab, "a").get(0).durationPs(),
                "disjoint halves of a non-blocking fabric do not interfere");

        String over = "leaf-spine:leaves=4,spines=1,hosts-per-leaf=8,link=pluggable-dsp-800g,oversubscription=4";
        String sharedAlone = "name: alone\njobs:\n" + job("a", "0-31:2", "64M", ", after: [bwd]");
        String sharedBoth = "name: both\njobs:\n" + job("a", "0-31:2", "64M", ", after: [bwd]")
                + job("b", "1-31:2", "64M", ", after: [bwd]");
        long t1 = measured(run(over, sharedAlone, EngineKind.SEQUENTIAL), "a").get(0).durationPs();
        ProfileRun shared = run(over, sharedBoth, EngineKind.ACTORS);
        long t2 = measured(shared, "a").get(0).durationPs();
        assertTrue(t2 > t1 * 1.2, "sharing oversubscribed uplinks should slow job a: alone " + t1 + " ps, shared "
                + t2 + " ps");
    }
}

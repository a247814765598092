package io.collemu.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileResultsTest {
    private static final long MS = 1_000_000_000L;

    /** Compute on one stream and an all-reduce on another: they overlap. */
    private static final String OVERLAP = """
            name: o
            jobs:
              - name: j
                iterations: 2
                ops:
                  - {name: bwd, kind: compute, duration: 10ms, stream: compute}
                  - {name: ar, kind: all-reduce, size: 1M, stream: comm}
            """;

    @ParameterizedTest
    @CsvSource({"4, 0", "10, 0", "14, 4"})
    void shouldReportOnlyCommunicationComputeDidNotHide(long arMs, long exposedMs) {
        Plan plan = PlanBuilder.build(ProfileLoader.parse(OVERLAP, "o.yaml", Map.of()), 2, 2, 1);
        MiniEngine run = new MiniEngine(plan, c -> arMs * MS);
        List<IterationResult> r = ProfileResults.iterations(plan, run.startPs, run.endPs);
        assertEquals(2, r.size());
        IterationResult second = r.get(1);
        long iteration = Math.max(10, arMs) * MS;
        assertEquals(iteration, second.startPs());
        assertEquals(2 * iteration, second.endPs());
        assertEquals(exposedMs * MS, second.exposedCommPs());
        assertEquals(10 * MS, second.computePs());
        assertEquals(arMs * MS, second.commPs());
        assertEquals(false, second.warmup());
    }

    @Test
    void shouldTakeTheWorstGpuWhenAStragglerMakesOthersWait() {
        String yaml = """
                name: s
                jobs:
                  - name: j
                    ops:
                      - {name: fwd, kind: compute, duration: 10ms}
                      - {name: ar, kind: all-reduce, size: 1M}
                """;
        Plan plan = PlanBuilder.build(ProfileLoader.parse(yaml, "s.yaml", Map.of("slowGpus", "1", "slowFactor",
                "2")), 2, 2, 1);
        MiniEngine run = new MiniEngine(plan, c -> 5 * MS);
        IterationResult r = ProfileResults.iterations(plan, run.startPs, run.endPs).get(0);
        assertEquals(25 * MS, r.durationPs());
        // GPU 0 computes 10 ms and waits 10 ms for the straggler, then 5 ms of all-reduce: 15 ms exposed
        assertEquals(15 * MS, r.exposedCommPs());
        assertEquals(10 * MS, r.computePs());
        // the mini engine starts a collective's tasks when all ranks are ready, so GPU 0's task is the 5 ms
        assertEquals(5 * MS, r.commPs());
    }

    @Test
    void shouldUniteOverlappingComputeFromSyntheticTimings() {
        String yaml = """
                name: u
                jobs:
                  - name: j
                    gpus: 0
                    ops:
                      - {name: a, kind: compute, duration: 1ms, stream: x}
                      - {name: b, kind: compute, duration: 1ms, stream: y}
                      - {name: c, kind: compute, duration: 1ms, stream: z, after: [a, b]}
                """;
        Plan plan = PlanBuilder.build(ProfileLoader.parse(yaml, "u.yaml", Map.of()), 1, 1, 1);
        // a [0, 5), b [3, 8), c [10, 12): compute covers 8 + 2 of 12
        long[][] start = {{0, 3 * MS, 10 * MS}};
        long[][] end = {{5 * MS, 8 * MS, 12 * MS}};
        IterationResult r = ProfileResults.iterations(plan, start, end).get(0);
        assertEquals(12 * MS, r.durationPs());
        assertEquals(10 * MS, r.computePs());
        assertEquals(2 * MS, r.exposedCommPs());
        assertEquals(0, r.commPs());
        assertThrows(IllegalArgumentException.class, () -> ProfileResults.iterations(plan, new long[2][], end));
    }

    @Test
    void shouldReportEachCollectiveInstance() {
        String yaml = """
                name: c
                jobs:
                  - name: j
                    layout: {tp: 2}
                    ops:
                      - {name: ar, kind: all-reduce, size: 4M, communicator: tp}
                """;
        Plan plan = PlanBuilder.build(ProfileLoader.parse(yaml, "c.yaml", Map.of()), 4, 2, 1);
        List<OpResult> ops = ProfileResults.ops(plan, new long[] {1, 2}, new long[] {11, 32});
        assertEquals(List.of(new OpResult("j", "ar", 0, "all-reduce", 4L << 20, 2, 1, 11),
                new OpResult("j", "ar", 0, "all-reduce", 4L << 20, 2, 2, 32)), ops);
        assertEquals(30, ops.get(1).durationPs());
    }
}

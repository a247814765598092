package io.collemu.profiles;

import io.collemu.profiles.spec.ProfileException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanBuilderTest {

    static Plan plan(String yaml, int gpus, int perServer, long seed, Map<String, String> params) {
        return PlanBuilder.build(ProfileLoader.parse(yaml, "t.yaml", params), gpus, perServer, seed);
    }

    static int find(List<PlannedTask> tasks, String op, int iteration) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).op().equals(op) && tasks.get(i).iteration() == iteration) {
                return i;
            }
        }
        throw new AssertionError("no task " + op + " in iteration " + iteration);
    }

    static int[] deps(List<PlannedTask> tasks, String op, int iteration) {
        return tasks.get(find(tasks, op, iteration)).deps();
    }

    private static final String STREAMS = """
            name: s
            jobs:
              - name: j
                iterations: 2
                warmup: 1
                ops:
                  - {name: c1, kind: compute, duration: 1ms, stream: compute}
                  - {name: ar, kind: all-reduce, size: 1M, stream: comm, after: [c1]}
                  - {name: c2, kind: compute, duration: 2ms, stream: compute}
                  - {name: c3, kind: compute, duration: 1ms, stream: compute, after: [ar]}
            """;

    @Test
    void shouldWireStreamsAfterAndIterationsPerGpu() {
        Plan p = plan(STREAMS, 4, 4, 1, Map.of());
        List<PlannedTask> t = p.tasksByGpu().get(2);
        assertEquals(12, t.size());
        assertArrayEquals(new int[0], deps(t, "c1", 0));
        assertArrayEquals(new int[] {find(t, "c1", 0)}, deps(t, "ar", 0));
        assertArrayEquals(new int[] {find(t, "c1", 0)}, deps(t, "c2", 0), "c2 follows c1 in its stream only");
        assertArrayEquals(new int[] {find(t, "ar", 0), find(t, "c2", 0)}, deps(t, "c3", 0));
        // iteration 1 starts after the last task of iteration 0 on the same GPU
        assertArrayEquals(new int[] {find(t, "c3", 0)}, deps(t, "c1", 1));
        PlannedTask ar = t.get(find(t, "ar", 0));
        assertEquals(2, ar.rank());
        assertArrayEquals(new int[] {0, 1, 2, 3}, p.collectives().get(ar.collective()).gpus());
    }

    @Test
    void shouldFlagWarmupIterations() {
        Plan p = plan(STREAMS, 4, 4, 1, Map.of());
        for (PlannedTask t : p.tasksByGpu().get(0)) {
            assertEquals(t.iteration() == 0, t.warmup());
        }
        assertEquals(List.of(true, false, false), p.collectives().stream().map(PlannedCollective::warmup).toList());
        assertEquals(2, p.jobs().get(0).iterations());
        assertEquals(1, p.jobs().get(0).warmup());
    }

    @Test
    void shouldMakeOneInstancePerGroupWithGlobalGpus() {
        String yaml = """
                name: g
                jobs:
                  - name: j
                    gpus: 16-31
                    layout: {tp: 8, dp: auto, placement: {tp: inside-server}}
                    ops:
                      - {name: tpar, kind: all-reduce, size: 32M, communicator: tp}
                      - {name: dpar, kind: all-reduce, size: 25M, communicator: dp, algorithm: tree}
                """;
        Plan p = plan(yaml, 32, 8, 1, Map.of());
        assertEquals(2 + 8, p.collectives().size());
        assertArrayEquals(new int[] {16, 17, 18, 19, 20, 21, 22, 23}, p.collectives().get(0).gpus());
        assertArrayEquals(new int[] {24, 25, 26, 27, 28, 29, 30, 31}, p.collectives().get(1).gpus());
        assertArrayEquals(new int[] {16, 24}, p.collectives().get(2).gpus());
        assertEquals("tree", p.collectives().get(2).schedule().algorithm());
        assertTrue(p.tasksByGpu().get(0).isEmpty(), "GPUs outside the job are idle");
        assertEquals(Map.of("dp", 2, "tp", 8, "pp", 1, "ep", 1, "order", List.of("tp", "ep", "dp", "pp"),
                "placement", Map.of("tp", "inside-server")), p.jobs().get(0).layout());
    }

    @Test
    void shouldPassHierarchicalTheServerSizeOfTheGroup() {
        String yaml = """
                name: h
                jobs:
                  - name: j
                    ops:
                      - {name: ar, kind: all-reduce, size: 1M, algorithm: hierarchical}
                """;
        CollectiveRequest r = plan(yaml, 16, 8, 1, Map.of()).collectives().get(0).schedule().request();
        assertEquals(8, r.gpusPerServer());
        assertEquals(4, PlanBuilder.localGpusPerServer(new int[] {0, 1, 2, 3, 8, 9, 10, 11}, 8));
        assertEquals(1, PlanBuilder.localGpusPerServer(new int[] {0, 8, 1, 9}, 8));
    }

    @Test
    void shouldExpandRepeatBlocksAndResolveAfterPerCopy() {
        Plan p = PlanBuilder.build(ProfileLoader.builtin("dense-training-step",
                Map.of("iterations", "1", "warmup", "0", "layers", "4", "tpAllReducesPerLayer", "1",
                        "modelParams", "1e9", "tp", "2")), 4, 2, 1);
        List<PlannedTask> t = p.tasksByGpu().get(0);
        // steps = 4, gradBytes = 1e9 B, buckets = ceil(1e9 / 25 MiB) = 39 -> bucket i after bwd[ceil((i+1)*4/39)-1]
        assertEquals("fwd[0]", t.get(0).op());
        assertEquals("fwd-tp[0]", t.get(1).op());
        assertEquals("fwd[1]", t.get(2).op());
        assertTrue(Arrays.stream(deps(t, "grad-ar[0]", 0)).anyMatch(d -> d == find(t, "bwd[0]", 0)));
        assertTrue(Arrays.stream(deps(t, "grad-ar[10]", 0)).anyMatch(d -> d == find(t, "bwd[1]", 0)));
        assertTrue(Arrays.stream(deps(t, "grad-ar[38]", 0)).anyMatch(d -> d == find(t, "bwd[3]", 0)));
        assertTrue(Arrays.stream(deps(t, "grad-ar[1]", 0)).anyMatch(d -> d == find(t, "grad-ar[0]", 0)),
                "buckets follow each other in the dp stream");
        int[] opt = deps(t, "optimizer", 0);
        assertTrue(Arrays.stream(opt).anyMatch(d -> d == find(t, "grad-ar[38]", 0)));
        long last = p.collectives().get(t.get(find(t, "grad-ar[38]", 0)).collective()).schedule().request()
                .sizeBytes();
        assertEquals(1_000_000_000L - 38L * 25 * 1024 * 1024, last, "last bucket holds the remainder");
    }

    @Test
    void shouldSweepSizesLikeNcclTests() {
        Plan p = PlanBuilder.build(ProfileLoader.builtin("nccl-sweep", Map.of("maxBytes", "1M")), 8, 8, 1);
        assertEquals(18, p.collectives().size());
        for (int k = 0; k < 18; k++) {
            PlannedCollective c = p.collectives().get(k);
            assertEquals("sweep[" + k + "]", c.op());
            assertEquals(8L << k, c.schedule().request().sizeBytes());
            assertEquals(CollectiveKind.ALL_REDUCE, c.schedule().request().kind());
        }
        List<PlannedTask> t = p.tasksByGpu().get(5);
        for (int k = 1; k < 18; k++) {
            assertArrayEquals(new int[] {k - 1}, t.get(k).deps(), "sizes run one after the other");
        }
    }

    @Test
    void shouldScaleComputeOfStragglers() {
        Plan p = plan(STREAMS, 4, 4, 1, Map.of("slowGpus", "1,3", "slowFactor", "2", "slowdown", "3:1.25"));
        long c2 = 2_000_000_000L;
        assertEquals(c2, p.tasksByGpu().get(0).get(find(p.tasksByGpu().get(0), "c2", 0)).computePs());
        assertEquals(2 * c2, p.tasksByGpu().get(1).get(find(p.tasksByGpu().get(1), "c2", 0)).computePs());
        assertEquals(c2 * 5 / 4, p.tasksByGpu().get(3).get(find(p.tasksByGpu().get(3), "c2", 0)).computePs());
    }

    private static final String MOE = """
            name: m
            jobs:
              - name: j
                iterations: 2
                layout: {ep: 4}
                ops:
                  - {name: dispatch, kind: all-to-all-v, size: 1M, skew: 0.8, communicator: ep}
                  - {name: combine, kind: all-to-all-v, transposeOf: dispatch, communicator: ep}
                  - {name: flat, kind: all-to-all-v, size: 1000, communicator: ep}
            """;

    @Test
    void shouldDrawUnevenSeededAllToAllVAndTransposeTheCombine() {
        Plan a = plan(MOE, 8, 8, 42, Map.of());
        Plan b = plan(MOE, 8, 8, 42, Map.of());
        Plan c = plan(MOE, 8, 8, 43, Map.of());
        // per iteration: dispatch, combine, flat for each of the 2 ep groups
        assertEquals(12, a.collectives().size());
        CollectiveRequest d = a.collectives().get(0).schedule().request();
        CollectiveRequest comb = a.collectives().get(2).schedule().request();
        assertEquals("combine", a.collectives().get(2).op());
        assertArrayEquals(d.pairBytes(), b.collectives().get(0).schedule().request().pairBytes(), "same seed");
        assertFalse(Arrays.equals(d.pairBytes(), c.collectives().get(0).schedule().request().pairBytes()));
        assertFalse(Arrays.equals(d.pairBytes(), a.collectives().get(1).schedule().request().pairBytes()),
                "each group draws its own");
        assertFalse(Arrays.equals(d.pairBytes(), a.collectives().get(6).schedule().request().pairBytes()),
                "each iteration draws its own");
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int src = 0; src < 4; src++) {
            long row = 0;
            for (int dst = 0; dst < 4; dst++) {
                row += d.pairBytes(src, dst);
                assertEquals(d.pairBytes(src, dst), comb.pairBytes(dst, src));
                min = Math.min(min, d.pairBytes(src, dst));
                max = Math.max(max, d.pairBytes(src, dst));
            }
            assertEquals(1 << 20, row, "each rank dispatches exactly size bytes");
        }
        assertTrue(max > 2 * min, "skewed: " + min + ".." + max);
        CollectiveRequest flat = a.collectives().get(4).schedule().request();
        assertEquals(250, flat.pairBytes(1, 3));
    }

    @Test
    void shouldPairPipelineStagesWithSendRecv() {
        Plan p = PlanBuilder.build(ProfileLoader.builtin("pipeline-step",
                Map.of("microBatches", "2", "iterations", "1", "warmup", "0", "pp", "4")), 8, 8, 1);
        // order [dp, pp] with dp = 2: stage s of pipeline 0 is GPU 2s
        List<PlannedTask> stage1 = p.tasksByGpu().get(2);
        PlannedTask recv = stage1.get(find(stage1, "fwd-recv[0]", 0));
        PlannedCollective c = p.collectives().get(recv.collective());
        assertEquals("fwd-send[0]", c.op());
        assertArrayEquals(new int[] {0, 2}, c.gpus());
        assertEquals(1, recv.rank());
        assertArrayEquals(new int[] {find(stage1, "fwd-recv[0]", 0)}, deps(stage1, "fwd[0]", 0));
        PlannedTask send = stage1.get(find(stage1, "fwd-send[0]", 0));
        assertArrayEquals(new int[] {2, 4}, p.collectives().get(send.collective()).gpus());
        assertEquals(CollectiveKind.SEND_RECV, p.collectives().get(send.collective()).schedule().request().kind());
        // first stage has no receive, last stage no forward send
        assertTrue(p.tasksByGpu().get(0).stream().noneMatch(t -> t.op().startsWith("fwd-recv")));
        assertTrue(p.tasksByGpu().get(6).stream().noneMatch(t -> t.op().startsWith("fwd-send")));
        // 2 pipelines x 3 boundaries x 2 micro-batches x (forward + backward)
        assertEquals(24, p.collectives().size());
    }

    @Test
    void shouldSkipOneRankGroupsAndPassTheirDependenciesThrough() {
        String yaml = """
                name: one
                jobs:
                  - name: j
                    layout: {tp: 4}
                    ops:
                      - {name: a, kind: compute, duration: 1ms}
                      - {name: dpar, kind: all-reduce, size: 1M, communicator: dp}
                      - {name: b, kind: compute, duration: 1ms}
                """;
        Plan p = plan(yaml, 4, 4, 1, Map.of());
        assertTrue(p.collectives().isEmpty());
        assertArrayEquals(new int[] {0}, p.tasksByGpu().get(0).get(1).deps());
    }

    @ParameterizedTest
    @CsvSource({"all, all, 8", "0-3, 4-7, 4", "'0-7:2', '1-7:2', 4"})
    void shouldRunSeveralJobsOnSharedOrDisjointGpus(String gpusA, String gpusB, int perJob) {
        String yaml = """
                name: mt
                jobs:
                  - name: a
                    gpus: "%s"
                    ops:
                      - {name: ar, kind: all-reduce, size: 1M}
                  - name: b
                    gpus: "%s"
                    ops:
                      - {name: ar, kind: all-reduce, size: 2M}
                """.formatted(gpusA, gpusB);
        Plan p = plan(yaml, 8, 8, 1, Map.of());
        assertEquals(2, p.collectives().size());
        assertEquals(perJob, p.collectives().get(0).gpus().length);
        assertEquals(perJob, p.jobs().get(1).gpus().length);
        for (List<PlannedTask> tasks : p.tasksByGpu()) {
            for (PlannedTask t : tasks) {
                for (int d : t.deps()) {
                    assertEquals(t.job(), tasks.get(d).job(), "jobs never wait on each other");
                }
            }
        }
        assertNotEquals(0, p.tasksByGpu().get(1).size());
    }

    @Test
    void shouldSplitTwoJobsOverTheFabric() {
        Plan p = PlanBuilder.build(ProfileLoader.builtin("two-jobs", Map.of()), 32, 1, 1);
        assertArrayEquals(java.util.stream.IntStream.range(0, 16).toArray(), p.jobs().get(0).gpus());
        assertArrayEquals(java.util.stream.IntStream.range(16, 32).toArray(), p.jobs().get(1).gpus());
    }

    @Test
    void shouldRejectTpInsideAServerOnAFabricWithoutServers() {
        ProfileException e = assertThrows(ProfileException.class,
                () -> PlanBuilder.build(ProfileLoader.builtin("dense-training-step", Map.of()), 32, 1, 1));
        assertTrue(e.getMessage().startsWith("dense-training-step.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("jobs[0].layout.placement.tp: tp groups must be inside a server"),
                e.getMessage());
        // allowed when asked for
        PlanBuilder.build(ProfileLoader.builtin("dense-training-step", Map.of("tpPlacement", "any", "layers", "1",
                "iterations", "1", "warmup", "0")), 32, 1, 1);
    }
}

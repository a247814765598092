package io.collemu.node.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.Schedule;

import io.collemu.node.actor.Grouping;
import io.collemu.node.lp.Fabric;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The determinism contract: the actor engine with 1, 2 and 4 dispatcher threads gives exactly what the
 * sequential engine gives, every histogram count and every completion time.
 */
class EngineEquivalenceTest {
    static final String DEFAULT_FABRIC =
            "rail-optimized:gpus=128,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g";

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("default what-if, all-reduce", DEFAULT_FABRIC, CollectiveKind.ALL_REDUCE, "auto",
                        4L << 20),
                Arguments.of("default what-if, all-to-all", DEFAULT_FABRIC, CollectiveKind.ALL_TO_ALL, "auto",
                        2L << 20),
                Arguments.of("oversubscribed all-to-all",
                        "leaf-spine:leaves=4,spines=2,hosts-per-leaf=8,link=pluggable-dsp-800g,oversubscription=4",
                        CollectiveKind.ALL_TO_ALL, "direct", 4L << 20),
                Arguments.of("hierarchical all-reduce, rail-optimized",
                        "rail-optimized:gpus=64,gpus-per-server=8,scale-up=nvlink4,link=cpo-1.6t",
                        CollectiveKind.ALL_REDUCE, "hierarchical", 8L << 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldGiveIdenticalResultsOnBothEnginesAndAnyThreadCount(String name, String spec, CollectiveKind kind,
            String algorithm, long size) {
        Fabric f = TestRuns.fabric(spec);
        Schedule s = TestRuns.schedule(kind, algorithm, size, f.gpuCount(), 2, f.topology().gpusPerServer());
        List<String> oracle = Fingerprint.of(TestRuns.runSchedule(f, s, 64 << 10, EngineKind.SEQUENTIAL, 1));
        for (int threads : new int[] {1, 2, 4}) {
            List<String> actors = Fingerprint.of(TestRuns.runSchedule(f, s, 64 << 10, EngineKind.ACTORS, threads));
            Fingerprint.assertSame(oracle, actors, name + " with " + threads + " threads");
        }
        for (Grouping.Mode mode : new Grouping.Mode[] {Grouping.Mode.SERVER, Grouping.Mode.SWITCH,
            Grouping.Mode.BALANCED}) {
            for (int threads : mode == Grouping.Mode.BALANCED ? new int[] {1, 2, 3} : new int[] {1, 2}) {
                List<String> grouped = Fingerprint.of(TestRuns.runSchedule(f, s, 64 << 10, EngineKind.ACTORS,
                        threads, mode));
                Fingerprint.assertSame(oracle, grouped, name + " with actor groups " + mode + ", " + threads
                        + " threads");
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void shouldAgreeOnRandomSmallTopologiesAndSeeds(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] links = {"pluggable-dsp-400g", "pluggable-dsp-800g", "lpo-800g", "cpo-1.6t", "cpo-800g"};
        String link = links[rnd.nextInt(links.length)];
        String spec = switch (rnd.nextInt(4)) {
            case 0 -> "single-switch:gpus=" + (2 + rnd.nextInt(15)) + ",link=" + link;
            case 1 -> "fat-tree:k=4,link=" + link;
            case 2 -> {
                int o = 1 + rnd.nextInt(2) * 3; // 1 or 4
                yield "leaf-spine:leaves=" + (2 + rnd.nextInt(3)) + ",spines=" + (o == 1 ? 4 : 1)
                        + ",hosts-per-leaf=4,link=" + link + ",oversubscription=" + o;
            }
            default -> "rail-optimized:gpus=" + (8 * (2 + rnd.nextInt(3))) + ",gpus-per-server=8,scale-up=nvlink4,link="
                    + link;
        };
        Fabric f = TestRuns.fabric(spec);
        CollectiveKind[] kinds = {CollectiveKind.ALL_REDUCE, CollectiveKind.ALL_TO_ALL, CollectiveKind.ALL_GATHER,
            CollectiveKind.REDUCE_SCATTER, CollectiveKind.BROADCAST};
        CollectiveKind kind = kinds[rnd.nextInt(kinds.length)];
        long size = 1 + rnd.nextLong(3L << 20);
        int channels = 1 + rnd.nextInt(3);
        long seg = 4096L << rnd.nextInt(6);
        Schedule s = TestRuns.schedule(kind, "auto", size, f.gpuCount(), channels, 1);
        ExecutionResult seq = TestRuns.runSchedule(f, s, seg, EngineKind.SEQUENTIAL, 1);
        assertTrue(seq.segmentsDelivered() > 0 || f.gpuCount() == 1);
        List<String> oracle = Fingerprint.of(seq);
        int threads = 1 + rnd.nextInt(4);
        Grouping.Mode mode = Grouping.Mode.values()[rnd.nextInt(Grouping.Mode.values().length)];
        Fingerprint.assertSame(oracle, Fingerprint.of(TestRuns.runSchedule(f, s, seg, EngineKind.ACTORS, threads,
                mode)), mode + " " + spec + " " + kind + " size " + size + " seg " + seg + " channels " + channels + " threads "
                        + threads);
    }

    static Stream<Arguments> smallestFabrics() {
        return Stream.of(
                Arguments.of("one GPU alone", "nodes:\n  - {id: gpu0, kind: gpu, server: 0}\nlinks: []\n"),
                Arguments.of("two GPUs on NVLink only", "nodes:\n  - {id: gpu0, kind: gpu, server: 0}\n"
                        + "  - {id: gpu1, kind: gpu, server: 0}\nlinks:\n"
                        + "  - {a: gpu0, b: gpu1, aModel: nvlink4, bModel: nvlink4}\n"),
                Arguments.of("two GPUs, two servers, one cable", "nodes:\n  - {id: gpu0, kind: gpu, server: 0}\n"
                        + "  - {id: gpu1, kind: gpu, server: 1}\nlinks:\n"
                        + "  - {a: gpu0, b: gpu1, model: cpo-800g, cableMetres: 2}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallestFabrics")
    @org.junit.jupiter.api.Timeout(60)
    void shouldFinishTheSmallestFabricsOnEveryEngine(String name, String yaml) {
        Fabric f = new Fabric(io.collemu.topology.yaml.TopologyYamlLoader.load(yaml, name + ".yaml",
                java.util.Map.of()));
        for (CollectiveKind kind : new CollectiveKind[] {CollectiveKind.ALL_REDUCE, CollectiveKind.ALL_TO_ALL}) {
            Schedule s = TestRuns.schedule(kind, "auto", 1 << 20, f.gpuCount(), 2, 1);
            List<String> oracle = Fingerprint.of(TestRuns.runSchedule(f, s, 64 << 10, EngineKind.SEQUENTIAL, 1));
            for (Grouping.Mode mode : Grouping.Mode.values()) {
                Fingerprint.assertSame(oracle, Fingerprint.of(TestRuns.runSchedule(f, s, 64 << 10,
                        EngineKind.ACTORS, 2, mode)), name + " " + kind + " " + mode);
            }
        }
    }
}

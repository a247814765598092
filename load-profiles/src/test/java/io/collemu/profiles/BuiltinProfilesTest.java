package io.collemu.profiles;

import io.collemu.profiles.spec.Profile;
import io.collemu.profiles.spec.ProfileException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.model.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BuiltinProfilesTest {

    static List<String> names() {
        return BuiltinProfiles.names();
    }

    @Test
    void shouldListTheFiveBuiltins() {
        assertEquals(List.of("nccl-sweep", "dense-training-step", "moe-step", "pipeline-step", "two-jobs"),
                BuiltinProfiles.names());
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldParseEveryBuiltinAndDescribeIt(String name) {
        Profile p = ProfileLoader.builtin(name, Map.of());
        assertEquals(name, p.name());
        assertEquals(name + ".yaml", p.source());
        assertFalse(BuiltinProfiles.description(name).isBlank());
        assertTrue(BuiltinProfiles.yaml(name).contains("name: " + name));
        // what `profiles show` prints parses back to the same profile
        Profile again = ProfileLoader.parse(BuiltinProfiles.yaml(name), "shown.yaml", Map.of());
        assertEquals(p.paramValues(), again.paramValues());
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldBuildEveryBuiltinOnASixteenGpuFabric(String name) {
        Map<String, String> quick = name.equals("nccl-sweep") ? Map.of("maxBytes", "1M") : Map.of();
        Plan plan = PlanBuilder.build(ProfileLoader.builtin(name, quick), 16, 8, 1);
        assertFalse(plan.collectives().isEmpty());
        assertEquals(16, plan.tasksByGpu().size());
        for (List<PlannedTask> tasks : plan.tasksByGpu()) {
            assertFalse(tasks.isEmpty());
            for (int i = 0; i < tasks.size(); i++) {
                for (int d : tasks.get(i).deps()) {
                    assertTrue(d < i, "deps point backwards");
                }
            }
        }
        MiniEngine run = new MiniEngine(plan, c -> 1_000_000L);
        List<IterationResult> its = ProfileResults.iterations(plan, run.startPs, run.endPs);
        assertEquals(plan.jobs().stream().mapToInt(JobInfo::totalIterations).sum(), its.size());
        for (IterationResult r : its) {
            assertTrue(r.endPs() > r.startPs());
            assertTrue(r.exposedCommPs() >= 0 && r.exposedCommPs() <= r.durationPs());
        }
    }

    @Test
    void shouldBuildTwoJobsOnTheFabricItSuggests() {
        Profile p = ProfileLoader.builtin("two-jobs", Map.of());
        Topology t = TopologySpecs.parse(p.fabric());
        Plan plan = PlanBuilder.build(p, t.gpuCount(), t.gpusPerServer(), 7);
        assertEquals(2, plan.jobs().size());
        assertEquals(t.gpuCount(), plan.jobs().get(0).gpus().length + plan.jobs().get(1).gpus().length);
    }

    @Test
    void shouldRejectAnUnknownBuiltinListingTheNames() {
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileLoader.builtin("nope", Map.of()));
        assertTrue(e.getMessage().contains("nccl-sweep, dense-training-step, moe-step, pipeline-step, two-jobs"),
                e.getMessage());
        ProfileException e2 = assertThrows(ProfileException.class,
                () -> ProfileLoader.loadOrBuiltin("nope", Map.of()));
        assertTrue(e2.getMessage().contains("unknown profile 'nope'"), e2.getMessage());
    }
}

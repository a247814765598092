package io.collemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.node.cluster.Partition;
import io.collemu.node.engine.Job;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.WorkEstimate;
import io.collemu.node.run.TestJobs;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BalancedGroupingTest {

    @Test
    void shouldCountEverySegmentAtItsSenderItsReceiverAndEachSwitchPortOnItsPath() {
        // one switch: every segment crosses exactly one switch egress port (the one facing its receiver)
        Job job = TestJobs.sweepJob("single-switch:gpus=8,link=cpo-800g", 8 << 20);
        Fabric f = job.fabric();
        long[] work = WorkEstimate.perLp(job.model());
        long gpus = 0;
        long ports = 0;
        for (int lp = 0; lp < work.length; lp++) {
            if (f.isGpuLp(lp)) {
                gpus += work[lp];
            } else if (work[lp] > 1) { // an idle port counts 1
                ports += work[lp];
            }
        }
        assertTrue(ports > 0);
        assertEquals(2 * ports, gpus);
        // a ring: every GPU sends as much as it receives, so all GPUs do the same work
        long first = work[0];
        for (int g = 1; g < f.gpuCount(); g++) {
            assertEquals(first, work[g], "GPU " + g);
        }
    }

    @ParameterizedTest(name = "{0} actors")
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldCutIntoGroupsOfAboutEqualEstimatedWorkKeepingSwitchGroupsWhole(int actors) {
        Job job = TestJobs.sweepJob("fat-tree:k=4,link=cpo-800g", 4 << 20);
        Fabric f = job.fabric();
        long[] work = WorkEstimate.perLp(job.model());
        Grouping g = Grouping.of(f, Grouping.Mode.BALANCED, actors, work);
        Grouping units = Grouping.of(f, Grouping.Mode.SWITCH);
        assertEquals(actors, g.groupCount());
        int[] seen = new int[f.lpCount()];
        long[] perGroup = new long[actors];
        for (int k = 0; k < actors; k++) {
            for (int lp : g.members(k)) {
                seen[lp]++;
                perGroup[k] += work[lp];
                assertEquals(k, g.groupOf(lp));
            }
        }
        assertTrue(Arrays.stream(seen).allMatch(c -> c == 1), "every LP in exactly one group");
        for (int u = 0; u < units.groupCount(); u++) {
            int[] m = units.members(u);
            for (int lp : m) {
                assertEquals(g.groupOf(m[0]), g.groupOf(lp), "switch group " + u + " kept whole");
            }
        }
        long max = Arrays.stream(perGroup).max().orElseThrow();
        long sum = Arrays.stream(perGroup).sum();
        assertTrue(max * actors <= 1.5 * sum, "imbalance " + max * actors / (double) sum + ": "
                + Arrays.toString(perGroup));
    }

    @Test
    void shouldGiveEachMemberAConsecutiveRunOfBalancedGroupsAndReportTheirWork() {
        Job job = TestJobs.sweepJob("fat-tree:k=4,link=cpo-800g", 4 << 20);
        Fabric f = job.fabric();
        long[] work = WorkEstimate.perLp(job.model());
        Grouping g = Grouping.of(f, Grouping.Mode.BALANCED, 4, work, 2);
        Partition p = Partition.of(f, 2, g, Grouping.Mode.BALANCED, work);
        assertEquals(Arrays.asList(0, 0, 1, 1), Arrays.stream(p.groupMember()).boxed().toList());
        assertEquals(Arrays.stream(work).sum(), Arrays.stream(p.workPerMember()).sum());
        assertTrue(p.imbalance() >= 1.0 && p.imbalance() < 1.5, p.describe());
        assertTrue(p.describe().contains("imbalance"), p.describe());
        assertTrue(p.cutLinks() > 0 && p.crossLookaheadPs() > 0, p.describe());
    }
}

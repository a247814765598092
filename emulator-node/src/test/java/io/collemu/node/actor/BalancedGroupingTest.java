package io.collemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.collectives.CollectiveKind;
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // two tiers, one scalable unit: every spine is nearest to every GPU, every rail leaf to every server
        "rail-optimized:gpus=256,gpus-per-server=8,link=cpo-1.6t",
        // three tiers: 3 pods of one SU each; the cores are nearest to every GPU, the cuts can fall between pods
        "rail-optimized:gpus=192,gpus-per-server=8,servers-per-su=8,radix=16,link=cpo-1.6t"})
    void shouldLetTheTopSwitchesFillTheMembersSoThatGpusAndWorkBothDivide(String spec) {
        Job job = TestJobs.sweepJob(spec, CollectiveKind.ALL_TO_ALL, "auto", 1 << 20);
        Fabric f = job.fabric();
        long[] work = WorkEstimate.perLp(job.model());
        Grouping g = Grouping.of(f, Grouping.Mode.BALANCED, 3, work, 3);
        Partition p = Partition.of(f, 3, g, Grouping.Mode.BALANCED, work);
        int[] gpus = new int[3];
        int topTier = 0;
        for (int lp = f.gpuCount(); lp < f.lpCount(); lp++) {
            topTier = Math.max(topTier, f.topology().tier(f.nodeOfLp(lp)));
        }
        long coreLinkPs = Long.MAX_VALUE;
        for (int lp = 0; lp < f.lpCount(); lp++) {
            if (f.isGpuLp(lp)) {
                gpus[p.lpMember()[lp]]++;
            }
        }
        for (int port = 0; port < f.topology().portCount(); port++) {
            if (f.topology().tier(f.topology().portOwner(port)) == topTier) {
                coreLinkPs = Math.min(coreLinkPs, f.topology().portLinkLatencyPs(port));
            }
        }
        String where = p.describe() + ", GPUs " + Arrays.toString(gpus);
        assertTrue(p.imbalance() <= 1.10, where);
        for (int m = 0; m < 3; m++) {
            // a member's run of the rest moves at most PLACED_SLACK of its share at either end (a server: 8 GPUs)
            assertTrue(gpus[m] * 3 <= (1 + 2 * Grouping.PLACED_SLACK) * f.gpuCount() + 3 * 8, where);
            assertTrue(gpus[m] * 3 >= (1 - 2 * Grouping.PLACED_SLACK) * f.gpuCount() - 3 * 8, where);
        }
        if (spec.contains("radix=16")) {
            // a pod per member, the cores filling: only spine-core links cross (with the first cut that balances
            // the GPUs 48 / 80 / 64 and the cut falls inside a pod, on a 3 m NIC link: 200 ns of lookahead)
            assertTrue(p.crossLookaheadPs() >= coreLinkPs, where + ", spine-core link " + coreLinkPs + " ps");
            assertEquals(Arrays.toString(new int[] {64, 64, 64}), Arrays.toString(gpus), where);
        }
    }
}

package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SizeAggregateTest {

    @ParameterizedTest(name = "{0} on {1} ranks: {2}")
    @CsvSource({
        "all-reduce, 8, 1.75",
        "all-reduce, 2, 1.0",
        "reduce-scatter, 4, 0.75",
        "all-gather, 16, 0.9375",
        "all-to-all, 8, 0.875",
        "broadcast, 8, 1.0",
        "reduce, 8, 1.0"})
    void shouldUseNcclTestsBusBandwidthFactors(String kind, int ranks, double factor) {
        assertEquals(factor, SizeAggregate.busBandwidthFactor(kind, ranks), 1e-12);
    }

    @Test
    void shouldMatchRingAllReduceBusbwToTheBottleneckBandwidth() {
        // ring all-reduce without latency: t = 2(n-1)/n S/B, so busbw = B exactly
        long size = 64L << 20;
        double bGBps = 50;
        long t = Math.round(2.0 * 7 / 8 * size / bGBps * 1000);
        SizeAggregate a = SizeAggregate.of(List.of(Fixtures.collective("j", 0, "all-reduce", size, 8, 0, t, 5)))
            .get(0);
        assertEquals(bGBps, a.busbwGBps(), 1e-6);
    }

    @Test
    void shouldFoldInstancesAndSumEnergy() {
        List<CollectiveRecord> rows = Fixtures.sweep(100, 900_000, 21.0);
        List<SizeAggregate> all = SizeAggregate.of(rows);
        assertEquals(11, all.size());
        SizeAggregate first = all.get(0);
        assertEquals(3, first.instances());
        double energy = rows.subList(0, 3).stream().mapToDouble(CollectiveRecord::energyJoules).sum();
        assertEquals(energy, first.energyJoules(), energy * 1e-12);
        assertEquals(energy / 3, first.meanEnergyJoules(), energy * 1e-12);
        double meanPs = rows.subList(0, 3).stream().mapToLong(CollectiveRecord::durationPs).average().orElseThrow();
        assertEquals(meanPs, first.meanDurationPs(), 1e-6);
        assertTrue(first.algbwGBps() < all.get(5).algbwGBps(), "bandwidth grows with size");
    }
}

package io.collemu.profiles.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ParallelLayoutTest {
    private static final List<String> ORDER = List.of("tp", "ep", "dp", "pp");

    private static ParallelLayout twoEach() {
        return ParallelLayout.of(Map.of("dp", 2, "tp", 2, "pp", 2, "ep", 2), ORDER);
    }

    @Test
    void shouldCutGroupsOfADpTpPpEpLayout() {
        ParallelLayout l = twoEach();
        assertEquals(16, l.gpus());
        assertArrayEquals(new int[] {0, 1}, l.groups(List.of("tp")).get(0));
        assertArrayEquals(new int[] {2, 3}, l.groups(List.of("tp")).get(1));
        assertArrayEquals(new int[] {0, 2}, l.groups(List.of("ep")).get(0));
        assertArrayEquals(new int[] {1, 3}, l.groups(List.of("ep")).get(1));
        assertArrayEquals(new int[] {0, 4}, l.groups(List.of("dp")).get(0));
        assertArrayEquals(new int[] {0, 8}, l.groups(List.of("pp")).get(0));
        assertArrayEquals(new int[] {7, 15}, l.groups(List.of("pp")).get(7));
        assertArrayEquals(new int[] {0, 1, 4, 5}, l.groups(List.of("tp", "dp")).get(0));
        assertEquals(16, l.groups(List.of("dp", "tp", "pp", "ep")).get(0).length);
    }

    @ParameterizedTest
    @CsvSource({"tp", "dp", "pp", "ep"})
    void shouldPartitionTheGpusAndRankByCoordinate(String axis) {
        ParallelLayout l = ParallelLayout.of(Map.of("dp", 3, "tp", 4, "pp", 2, "ep", 1), ORDER);
        List<int[]> groups = l.groups(List.of(axis));
        assertEquals(24 / l.size(axis), groups.size());
        BitSet seen = new BitSet();
        for (int[] g : groups) {
            assertEquals(l.size(axis), g.length);
            for (int rank = 0; rank < g.length; rank++) {
                assertEquals(rank, l.coordinate(g[rank], axis), "rank = coordinate along the axis");
                for (String other : ORDER) {
                    if (!other.equals(axis)) {
                        assertEquals(l.coordinate(g[0], other), l.coordinate(g[rank], other));
                    }
                }
                seen.set(g[rank]);
            }
        }
        assertEquals(24, seen.cardinality());
    }

    @Test
    void shouldPutTheFirstAxisOnConsecutiveGpus() {
        ParallelLayout tpFirst = ParallelLayout.of(Map.of("tp", 8, "dp", 4), List.of("tp", "dp"));
        assertArrayEquals(new int[] {8, 9, 10, 11, 12, 13, 14, 15}, tpFirst.groups(List.of("tp")).get(1));
        ParallelLayout dpFirst = ParallelLayout.of(Map.of("tp", 8, "dp", 4), List.of("dp", "tp"));
        assertArrayEquals(new int[] {1, 5, 9, 13, 17, 21, 25, 29}, dpFirst.groups(List.of("tp")).get(1));
    }
}

package io.collemu.collectives;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.collemu.collectives.algo.Schedules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every algorithm of every kind, run on real data by {@link DataVerifier} under random interleavings, at
 * n = 1, 2, 3, 5, 8, 16, 64, 128, channels 1..8, odd and tiny sizes (some blocks and channel pieces empty),
 * segment sizes 1, 3, 7 and "whole op", several seeds.
 */
class DataLevelTest {

    private static final int[] RANKS = {1, 2, 3, 5, 8, 16, 64, 128};
    private static final long[] SEGMENTS = {1, 3, 7, 1L << 30};

    record Algo(CollectiveKind kind, String algorithm) {
        @Override
        public String toString() {
            return kind.cliName() + "/" + algorithm;
        }
    }

    static List<Algo> algorithms() {
        List<Algo> list = new ArrayList<>();
        for (CollectiveKind kind : CollectiveKind.values()) {
            for (String name : Collectives.algorithms(kind)) {
                if (!name.equals(Collectives.AUTO)) {
                    list.add(new Algo(kind, name));
                }
            }
        }
        return list;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Algo algo : algorithms()) {
            for (int n : RANKS) {
                boolean large = n >= 64;
                int[] channels = large ? new int[] {1, 3, 8} : new int[] {1, 2, 3, 4, 5, 6, 7, 8};
                // odd sizes: tiny (empty blocks), just above n, and big enough for every channel piece at small n
                long[] sizes = large ? new long[] {1, 3L * n + 7} : new long[] {1, n + 2L, 8L * n * 3 + 5};
                for (int c : channels) {
                    for (long size : sizes) {
                        for (int variant : variants(algo, n)) {
                            cases.add(Arguments.of(algo, n, c, size, variant));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    /** hierarchical: GPUs per server; broadcast/reduce: root; others: 0. */
    private static int[] variants(Algo algo, int n) {
        if (algo.algorithm().equals(Collectives.HIERARCHICAL)) {
            List<Integer> g = new ArrayList<>();
            for (int d : new int[] {1, 2, 4, 8, n}) {
                if (n % d == 0 && !g.contains(d) && (d != 1 || n <= 8)) {
                    g.add(d);
                }
            }
            return g.stream().mapToInt(Integer::intValue).toArray();
        }
        if (algo.kind() == CollectiveKind.BROADCAST || algo.kind() == CollectiveKind.REDUCE) {
            return n > 2 ? new int[] {0, n / 2 + 1} : new int[] {0};
        }
        return new int[] {0};
    }

    static CollectiveRequest request(Algo algo, int n, int channels, long size, int variant) {
        CollectiveRequest base = CollectiveRequest.of(algo.kind(), algo.algorithm(), size, n, channels);
        return switch (algo.kind()) {
            case BROADCAST, REDUCE -> base.withRoot(variant);
            case ALL_TO_ALL_V -> new CollectiveRequest(algo.kind(), algo.algorithm(), size, n, channels, 0, 1,
                    randomMatrix(n, size, new Random(n * 31L + size)), null);
            case SEND_RECV -> new CollectiveRequest(algo.kind(), algo.algorithm(), size, n, channels, 0, 1, null,
                    randomPairs(n, new Random(n * 17L + size)));
            default -> algo.algorithm().equals(Collectives.HIERARCHICAL) ? base.withGpusPerServer(variant) : base;
        };
    }

    /** MoE-like routing: uneven, many zero pairs, odd sizes. */
    static long[] randomMatrix(int n, long size, Random random) {
        long[] m = new long[n * n];
        long limit = Math.max(1, size / Math.max(1, n / 2));
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextInt(3) == 0 ? 0 : random.nextInt((int) Math.min(limit, 40) + 1);
        }
        return m;
    }

    /** The pipeline chain plus random extra pairs, so some ranks send or receive several times. */
    static int[] randomPairs(int n, Random random) {
        List<Integer> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < n; i++) {
            pairs.add(i);
            pairs.add(i + 1);
        }
        for (int i = 0; n > 1 && i < Math.min(n, 20); i++) {
            int src = random.nextInt(n);
            int dst = (src + 1 + random.nextInt(n - 1)) % n;
            pairs.add(src);
            pairs.add(dst);
        }
        return pairs.stream().mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest(name = "{0} n={1} channels={2} size={3} variant={4}")
    @MethodSource("cases")
    void shouldProduceTheRightDataUnderRandomInterleavings(Algo algo, int n, int channels, long size, int variant) {
        Schedule schedule = Schedules.of(request(algo, n, channels, size, variant));
        int seeds = n >= 64 ? 1 : 2;
        for (long segment : SEGMENTS) {
            if (n >= 64 && segment == 7) {
                continue;
            }
            for (int seed = 0; seed < seeds; seed++) {
                long s = seed * 1000 + segment;
                assertDoesNotThrow(() -> DataVerifier.verify(schedule, s, segment),
                        () -> "seed " + s + " segment " + segment);
            }
        }
    }
}

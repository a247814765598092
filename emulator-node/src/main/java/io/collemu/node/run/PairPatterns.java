package io.collemu.node.run;

import io.collemu.collectives.BlockSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who sends to whom in a send-recv sweep, and how much each pair moves in an all-to-all-v, from the sweep's
 * {@code --pattern} and {@code --skew}. Stateless.
 *
 * <ul>
 *   <li>Patterns: {@code shift:K} (rank r sends S bytes to r+K mod n; {@code shift:1} is a ring of sends),
 *       {@code halves} (r and r+n/2 exchange: the bisection), {@code pairs:A-B,C-D,...} (explicit).</li>
 *   <li>Skew: each source's S bytes are spread over its n destinations with weights e^(skew x N(0,1)) drawn from
 *       the run's seed (a log-normal spread, as MoE token routing produces); 0 gives nccl-tests' uniform S/n.</li>
 * </ul>
 */
public final class PairPatterns {
    /** Send-recv's default pattern. */
    public static final String DEFAULT_PATTERN = "shift:1";
    /** The widest spread. */
    public static final double MAX_SKEW = 4;

    private PairPatterns() {
    }

    /** @throws IllegalArgumentException naming {@code --pattern} if the pattern is not one of the forms */
    static void checkPattern(String pattern) {
        if (pattern == null || pattern.equals("halves") || pattern.matches("shift:-?\\d{1,9}")
                || pattern.matches("pairs:\\d{1,9}-\\d{1,9}(,\\d{1,9}-\\d{1,9})*")) {
            return;
        }
        throw new IllegalArgumentException("--pattern: '" + pattern + "' is not shift:K, halves or pairs:A-B,C-D");
    }

    /**
     * The pairs {@code [src0, dst0, src1, dst1, ...]} of {@code pattern} over n ranks.
     *
     * @throws UserError naming {@code --pattern} for a rank out of range or a self-send
     */
    public static int[] pairs(String pattern, int n) {
        List<int[]> out = new ArrayList<>();
        if (pattern.equals("halves")) {
            for (int r = 0; r < n / 2; r++) {
                out.add(new int[] {r, r + n / 2});
                out.add(new int[] {r + n / 2, r});
            }
        } else if (pattern.startsWith("shift:")) {
            int k = Math.floorMod(Integer.parseInt(pattern.substring(6)), Math.max(1, n));
            for (int r = 0; k != 0 && r < n; r++) {
                out.add(new int[] {r, (r + k) % n});
            }
        } else {
            for (String p : pattern.substring(6).split(",")) {
                String[] ab = p.split("-");
                int a = Integer.parseInt(ab[0]);
                int b = Integer.parseInt(ab[1]);
                if (a >= n || b >= n || a == b) {
                    throw new UserError("--pattern: pair " + p + " needs two different ranks below "
                            + n);
                }
                out.add(new int[] {a, b});
            }
        }
        if (out.isEmpty()) {
            throw new UserError("--pattern: '" + pattern + "' sends nothing on " + n + " ranks");
        }
        int[] flat = new int[2 * out.size()];
        for (int i = 0; i < out.size(); i++) {
            flat[2 * i] = out.get(i)[0];
            flat[2 * i + 1] = out.get(i)[1];
        }
        return flat;
    }

    /** The most ranks of an all-to-all-v: its n x n matrix is held in memory (8,192 ranks: 512 MiB). */
    public static final int MAX_MATRIX_RANKS = 8192;

    /**
     * The n x n bytes (row-major {@code [src * n + dst]}) of an all-to-all-v of S bytes per rank.
     *
     * @throws UserError for more than {@link #MAX_MATRIX_RANKS} ranks
     */
    public static long[] matrix(long sizeBytes, int n, double skew, long seed) {
        if (n > MAX_MATRIX_RANKS) {
            throw new UserError("--collective all-to-all-v: " + n + " GPUs; its per-pair matrix allows at most "
                    + MAX_MATRIX_RANKS + " (use all-to-all, or a smaller fabric)");
        }
        long[] m = new long[n * n];
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5eedL);
        double[] w = new double[n];
        for (int src = 0; src < n; src++) {
            if (skew == 0) {
                for (int dst = 0; dst < n; dst++) {
                    m[src * n + dst] = BlockSplit.sizeBytes(sizeBytes, n, dst);
                }
                continue;
            }
            double sum = 0;
            for (int dst = 0; dst < n; dst++) {
                w[dst] = Math.exp(skew * gaussian(rnd));
                sum += w[dst];
            }
            long left = sizeBytes;
            for (int dst = 0; dst < n; dst++) {
                long b = dst == n - 1 ? left : Math.min(left, (long) Math.floor(sizeBytes * w[dst] / sum));
                m[src * n + dst] = b;
                left -= b;
            }
        }
        return m;
    }

    /** A standard normal draw (Box-Muller), from the seeded stream only. */
    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}

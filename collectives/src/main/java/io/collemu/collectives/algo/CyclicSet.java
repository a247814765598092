package io.collemu.collectives.algo;

/**
 * The positions {@code start, start+1, ..., start+length-1 (mod n)} of a ring of {@code n}, counted with
 * arithmetic only: this is how a ring with some empty blocks finds op indices without listing steps.
 *
 * @param n      ring size
 * @param start  first position, in {@code [0, n)}
 * @param length number of positions, in {@code [0, n]}
 */
record CyclicSet(int n, int start, int length) {

    /** @return how many {@code y} in {@code [0, x)} (x may exceed n) have {@code y mod n} in the set */
    long countBelow(long x) {
        long full = x / n;
        long rest = x % n;
        return full * length + overlap(rest, start, (long) start + length)
                + overlap(rest, (long) start - n, (long) start + length - n);
    }

    /** @return how many {@code j} in {@code [0, len)} have {@code (from + j) mod n} in the set */
    long countRun(long from, long len) {
        long f = Math.floorMod(from, (long) n);
        return countBelow(f + len) - countBelow(f);
    }

    private static long overlap(long x, long lo, long hi) {
        return Math.max(0, Math.min(x, hi) - Math.max(0, lo));
    }
}

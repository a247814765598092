package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveRequest;

/**
 * Rabenseifner's all-reduce: reduce-scatter by recursive halving, then all-gather by recursive doubling, over
 * p = the largest power of two not above n. Non-powers of two as in MPICH: of the first 2(n-p) ranks, each
 * even rank first sends its whole buffer to the odd rank after it (which adds it) and sits out; at the end the
 * odd rank sends the result back. Virtual rank v (0..p-1) ends the halving holding block v of p.
 *
 * <p>Halving goes from distance p/2 down to 1 (lower half kept by the rank whose bit is 0), doubling back up.
 * Each channel range runs its own instance in stream c. A send depends (byte overlap) on every earlier receive
 * of its channel: the overlap rule keeps only those writing the bytes it reads.
 */
final class HalvingDoubling implements MaterializedSchedule.Generator {

    private static final long PRE = 1;
    private static final long POST = 2;
    private static final long HALVING = 100;
    private static final long DOUBLING = 200;

    private final int n;
    private final int channels;
    private final long sizeBytes;
    private final int p;
    private final int extra;

    HalvingDoubling(CollectiveRequest request) {
        this.n = request.ranks();
        this.channels = request.channels();
        this.sizeBytes = request.sizeBytes();
        this.p = Integer.highestOneBit(n);
        this.extra = n - p;
    }

    private int realRank(int v) {
        return v < extra ? 2 * v + 1 : v + extra;
    }

    @Override
    public void emit(int rank, OpList ops) {
        for (int c = 0; c < channels; c++) {
            emitChannel(rank, ops, c);
        }
    }

    private void emitChannel(int rank, OpList ops, int c) {
        long chOff = BlockSplit.offsetBytes(sizeBytes, channels, c);
        long chLen = BlockSplit.sizeBytes(sizeBytes, channels, c);
        long tagBase = c * 1000L;
        int[] handles = new int[2 * Integer.numberOfTrailingZeros(p) + 1];
        int handleCount = 0;
        int v;
        if (rank < 2 * extra) {
            if (rank % 2 == 0) {
                ops.send(rank + 1, tagBase + PRE, chOff, chLen, c, false);
                ops.recv(rank + 1, tagBase + POST, chOff, chLen, c, false);
                return;
            }
            handles[handleCount++] = ops.recv(rank - 1, tagBase + PRE, chOff, chLen, c, true);
            v = rank / 2;
        } else {
            v = rank - extra;
        }
        int lo = 0;
        int hi = p;
        for (int mask = p >> 1; mask >= 1; mask >>= 1) {
            int partner = realRank(v ^ mask);
            int mid = lo + (hi - lo) / 2;
            boolean keepLow = (v & mask) == 0;
            int sendLo = keepLow ? mid : lo;
            int sendHi = keepLow ? hi : mid;
            lo = keepLow ? lo : mid;
            hi = keepLow ? mid : hi;
            long tag = tagBase + HALVING + Integer.numberOfTrailingZeros(mask);
            ops.send(partner, tag, offset(chOff, chLen, sendLo), span(chLen, sendLo, sendHi), c, false,
                    java.util.Arrays.copyOf(handles, handleCount));
            handles[handleCount++] = ops.recv(partner, tag, offset(chOff, chLen, lo), span(chLen, lo, hi), c, true);
        }
        for (int mask = 1; mask < p; mask <<= 1) {
            int partner = realRank(v ^ mask);
            int width = hi - lo;
            int partnerLo = (v & mask) == 0 ? hi : lo - width;
            long tag = tagBase + DOUBLING + Integer.numberOfTrailingZeros(mask);
            ops.send(partner, tag, offset(chOff, chLen, lo), span(chLen, lo, hi), c, false,
                    java.util.Arrays.copyOf(handles, handleCount));
            handles[handleCount++] = ops.recv(partner, tag, offset(chOff, chLen, partnerLo),
                    span(chLen, partnerLo, partnerLo + width), c, false);
            lo = Math.min(lo, partnerLo);
            hi = lo + 2 * width;
        }
        if (rank < 2 * extra) {
            ops.send(rank - 1, tagBase + POST, chOff, chLen, c, false, java.util.Arrays.copyOf(handles, handleCount));
        }
    }

    private long offset(long chOff, long chLen, int block) {
        return chOff + BlockSplit.offsetBytes(chLen, p, block);
    }

    private long span(long chLen, int fromBlock, int toBlock) {
        return BlockSplit.offsetBytes(chLen, p, toBlock) - BlockSplit.offsetBytes(chLen, p, fromBlock);
    }
}

package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveRequest;

/**
 * Bytes and buffer offsets of every (src, dst) pair of an all-to-all, plus the op counts a rank's staggered
 * order needs: step {@code k} (1..n-1) sends to {@code r+k} and receives from {@code r-k}; a pair of {@code x}
 * bytes is cut into {@code min(x, C)} non-empty channel pieces.
 */
sealed interface PairSizes {

    long bytes(int src, int dst);

    long inputOffsetBytes(int src, int dst);

    long outputOffsetBytes(int src, int dst);

    long inputBytes(int rank);

    long outputBytes(int rank);

    /** @return non-empty send pieces of {@code rank} at steps {@code [1, step)}, step in 1..n */
    int sendPiecesBefore(int rank, int step);

    /** @return non-empty receive pieces of {@code rank} at steps {@code [1, step)}, step in 1..n */
    int recvPiecesBefore(int rank, int step);

    long totalBytesSent();

    /** nccl-tests all-to-all: every sender gives rank j {@code BlockSplit.sizeBytes(S, n, j)} bytes. Arithmetic. */
    record Uniform(long sizeBytes, int ranks, int channels) implements PairSizes {
        @Override
        public long bytes(int src, int dst) {
            return BlockSplit.sizeBytes(sizeBytes, ranks, dst);
        }

        @Override
        public long inputOffsetBytes(int src, int dst) {
            return BlockSplit.offsetBytes(sizeBytes, ranks, dst);
        }

        @Override
        public long outputOffsetBytes(int src, int dst) {
            return src * BlockSplit.sizeBytes(sizeBytes, ranks, dst);
        }

        @Override
        public long inputBytes(int rank) {
            return sizeBytes;
        }

        @Override
        public long outputBytes(int rank) {
            return ranks * BlockSplit.sizeBytes(sizeBytes, ranks, rank);
        }

        @Override
        public int sendPiecesBefore(int rank, int step) {
            long base = sizeBytes / ranks;
            if (base >= channels) {
                return (step - 1) * channels;
            }
            // every block has base or base+1 <= C bytes, so min(x, C) = x: count the ranks j < S%n that get one more
            int rem = (int) (sizeBytes % ranks);
            return (int) ((step - 1) * base + new CyclicSet(ranks, 0, rem).countRun(rank + 1L, step - 1));
        }

        @Override
        public int recvPiecesBefore(int rank, int step) {
            return (step - 1) * (int) Math.min(BlockSplit.sizeBytes(sizeBytes, ranks, rank), channels);
        }

        @Override
        public long totalBytesSent() {
            return (ranks - 1L) * sizeBytes;
        }
    }

    /**
     * all-to-all-v from the request's n*n matrix. Row and column prefix sums and the per-step piece counts are
     * precomputed: n*n state, the same order as the matrix the caller already holds.
     */
    final class Explicit implements PairSizes {
        private final int n;
        private final long[] pairBytes;
        private final long[] inputOffset;
        private final long[] outputOffset;
        private final int[] sendPrefix;
        private final int[] recvPrefix;
        private final long[] inputBytes;
        private final long[] outputBytes;
        private final long total;

        Explicit(CollectiveRequest request) {
            n = request.ranks();
            int c = request.channels();
            pairBytes = request.pairBytes();
            inputOffset = new long[n * n];
            outputOffset = new long[n * n];
            sendPrefix = new int[n * n];
            recvPrefix = new int[n * n];
            inputBytes = new long[n];
            outputBytes = new long[n];
            long sum = 0;
            for (int r = 0; r < n; r++) {
                long in = 0;
                long out = 0;
                for (int j = 0; j < n; j++) {
                    inputOffset[r * n + j] = in;
                    in += pairBytes[r * n + j];
                    outputOffset[r * n + j] = out;
                    out += pairBytes[j * n + r];
                    if (j != r) {
                        sum += pairBytes[r * n + j];
                    }
                }
                inputBytes[r] = in;
                outputBytes[r] = out;
                int sends = 0;
                int recvs = 0;
                for (int k = 1; k < n; k++) {
                    sendPrefix[r * n + k - 1] = sends;
                    recvPrefix[r * n + k - 1] = recvs;
                    sends += (int) Math.min(pairBytes[r * n + (r + k) % n], c);
                    recvs += (int) Math.min(pairBytes[((r - k + n) % n) * n + r], c);
                }
                if (n > 0) {
                    sendPrefix[r * n + n - 1] = sends;
                    recvPrefix[r * n + n - 1] = recvs;
                }
            }
            total = sum;
        }

        @Override
        public long bytes(int src, int dst) {
            return pairBytes[src * n + dst];
        }

        @Override
        public long inputOffsetBytes(int src, int dst) {
            return inputOffset[src * n + dst];
        }

        @Override
        public long outputOffsetBytes(int src, int dst) {
            // rank dst's output holds the blocks of src 0, 1, ... in order
            return outputOffset[dst * n + src];
        }

        @Override
        public long inputBytes(int rank) {
            return inputBytes[rank];
        }

        @Override
        public long outputBytes(int rank) {
            return outputBytes[rank];
        }

        @Override
        public int sendPiecesBefore(int rank, int step) {
            return sendPrefix[rank * n + step - 1];
        }

        @Override
        public int recvPiecesBefore(int rank, int step) {
            return recvPrefix[rank * n + step - 1];
        }

        @Override
        public long totalBytesSent() {
            return total;
        }
    }
}

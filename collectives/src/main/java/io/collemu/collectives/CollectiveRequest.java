package io.collemu.collectives;

import java.util.Arrays;

/**
 * One collective to schedule: what, how, how big, among how many ranks. Validated on construction; every
 * problem is a one-line {@link CollectiveException} naming the field.
 *
 * <p>{@code sizeBytes} follows nccl-tests' "size": all-reduce = buffer per rank; reduce-scatter = input per rank
 * (each ends with its block); all-gather = output per rank (each contributes its block); all-to-all = send
 * bytes per rank (one block per peer, itself included); broadcast / reduce = buffer; send-recv = bytes per pair;
 * all-to-all-v: informational only (the matrix {@code pairBytes} gives the sizes). Whenever bytes are divided
 * into parts (blocks per rank, pieces per channel) the {@link BlockSplit} rule applies: the first
 * {@code S % parts} parts get one byte more. For all-to-all, rank {@code j}'s block has
 * {@code BlockSplit.sizeBytes(S, n, j)} bytes from every sender, so rank {@code j} outputs {@code n} times that.
 *
 * <p>Arrays are copied in and out, so the record is immutable and thread-safe; use {@link #pairBytes(int, int)}
 * and {@link #pairSource(int)} / {@link #pairDestination(int)} to read them without copying.
 *
 * @param kind          the collective
 * @param algorithm     an algorithm name from {@link Collectives#algorithms(CollectiveKind)} (stored lower case)
 * @param sizeBytes     nccl-tests size, {@code >= 0}
 * @param ranks         communicator size, 1 .. {@value #MAX_RANKS}
 * @param channels      parallel channels splitting the data, 1 .. {@value #MAX_CHANNELS}
 * @param root          root rank of broadcast / reduce (must be a valid rank for every kind; 0 by default)
 * @param gpusPerServer G for {@code hierarchical}: ranks {@code s*G .. s*G+G-1} form server {@code s}
 * @param pairBytes     all-to-all-v only: n*n bytes, row-major {@code [src*n+dst]}; null for other kinds
 * @param pairs         send-recv only: {@code [src0, dst0, src1, dst1, ...]}; null for other kinds
 */
public record CollectiveRequest(CollectiveKind kind, String algorithm, long sizeBytes, int ranks, int channels,
        int root, int gpusPerServer, long[] pairBytes, int[] pairs) {

    /** Largest communicator accepted (keeps every per-rank op count inside an int). */
    public static final int MAX_RANKS = 1 << 22;
    /** Largest channel count accepted (NCCL uses at most 32 per collective today). */
    public static final int MAX_CHANNELS = 64;

    /** Validates and normalises (algorithm to lower case, defensive copies of the arrays). */
    public CollectiveRequest {
        if (kind == null) {
            throw fail("kind", "must be given");
        }
        if (ranks < 1 || ranks > MAX_RANKS) {
            throw fail("ranks", "must be in 1.." + MAX_RANKS + ", got " + ranks);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw fail("channels", "must be in 1.." + MAX_CHANNELS + ", got " + channels);
        }
        if (sizeBytes < 0) {
            throw fail("sizeBytes", "must be >= 0, got " + sizeBytes);
        }
        if (root < 0 || root >= ranks) {
            throw fail("root", "must be a rank in 0.." + (ranks - 1) + ", got " + root);
        }
        if (gpusPerServer < 1) {
            throw fail("gpusPerServer", "must be >= 1, got " + gpusPerServer);
        }
        algorithm = Collectives.checkAlgorithm(kind, algorithm);
        pairBytes = checkPairBytes(kind, ranks, pairBytes);
        pairs = checkPairs(kind, ranks, pairs);
        if (algorithm.equals(Collectives.HIERARCHICAL) && ranks % gpusPerServer != 0) {
            throw fail("gpusPerServer", "hierarchical needs ranks (" + ranks + ") to be a multiple of gpusPerServer ("
                    + gpusPerServer + ")");
        }
    }

    /**
     * A request with root 0, one GPU per server, and for all-to-all-v a uniform matrix (pair {@code i->j} gets
     * {@code BlockSplit.sizeBytes(S, n, j)}), for send-recv the pipeline chain {@code 0->1->...->n-1}.
     */
    public static CollectiveRequest of(CollectiveKind kind, String algorithm, long sizeBytes, int ranks,
            int channels) {
        long[] matrix = null;
        int[] chain = null;
        if (kind == CollectiveKind.ALL_TO_ALL_V && ranks >= 1 && ranks <= 46_340 && sizeBytes >= 0) {
            matrix = new long[ranks * ranks];
            for (int src = 0; src < ranks; src++) {
                for (int dst = 0; dst < ranks; dst++) {
                    matrix[src * ranks + dst] = BlockSplit.sizeBytes(sizeBytes, ranks, dst);
                }
            }
        }
        if (kind == CollectiveKind.SEND_RECV && ranks >= 1) {
            chain = new int[2 * (ranks - 1)];
            for (int i = 0; i + 1 < ranks; i++) {
                chain[2 * i] = i;
                chain[2 * i + 1] = i + 1;
            }
        }
        return new CollectiveRequest(kind, algorithm, sizeBytes, ranks, channels, 0, 1, matrix, chain);
    }

    /** @return a copy with another algorithm */
    public CollectiveRequest withAlgorithm(String newAlgorithm) {
        return new CollectiveRequest(kind, newAlgorithm, sizeBytes, ranks, channels, root, gpusPerServer, pairBytes,
                pairs);
    }

    /** @return a copy with another root */
    public CollectiveRequest withRoot(int newRoot) {
        return new CollectiveRequest(kind, algorithm, sizeBytes, ranks, channels, newRoot, gpusPerServer, pairBytes,
                pairs);
    }

    /** @return a copy with another server size (for {@code hierarchical}) */
    public CollectiveRequest withGpusPerServer(int newGpusPerServer) {
        return new CollectiveRequest(kind, algorithm, sizeBytes, ranks, channels, root, newGpusPerServer,
                pairBytes, pairs);
    }

    /** @return a copy of the all-to-all-v matrix, or null */
    @Override
    public long[] pairBytes() {
        return pairBytes == null ? null : pairBytes.clone();
    }

    /** @return a copy of the send-recv pair list, or null */
    @Override
    public int[] pairs() {
        return pairs == null ? null : pairs.clone();
    }

    /** @return all-to-all-v bytes from {@code src} to {@code dst}, without copying the matrix */
    public long pairBytes(int src, int dst) {
        return pairBytes[src * ranks + dst];
    }

    /** @return number of send-recv pairs (0 for other kinds) */
    public int pairCount() {
        return pairs == null ? 0 : pairs.length / 2;
    }

    /** @return the sender of send-recv pair {@code i} */
    public int pairSource(int i) {
        return pairs[2 * i];
    }

    /** @return the receiver of send-recv pair {@code i} */
    public int pairDestination(int i) {
        return pairs[2 * i + 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollectiveRequest r && kind == r.kind && algorithm.equals(r.algorithm)
                && sizeBytes == r.sizeBytes && ranks == r.ranks && channels == r.channels && root == r.root
                && gpusPerServer == r.gpusPerServer && Arrays.equals(pairBytes, r.pairBytes)
                && Arrays.equals(pairs, r.pairs);
    }

    @Override
    public int hashCode() {
        int h = kind.hashCode() * 31 + algorithm.hashCode();
        h = h * 31 + Long.hashCode(sizeBytes);
        h = h * 31 + ranks;
        h = h * 31 + channels;
        h = h * 31 + root;
        h = h * 31 + gpusPerServer;
        h = h * 31 + Arrays.hashCode(pairBytes);
        return h * 31 + Arrays.hashCode(pairs);
    }

    @Override
    public String toString() {
        return kind.cliName() + " " + algorithm + " sizeBytes=" + sizeBytes + " ranks=" + ranks + " channels="
                + channels + (kind == CollectiveKind.BROADCAST || kind == CollectiveKind.REDUCE ? " root=" + root : "")
                + (gpusPerServer > 1 ? " gpusPerServer=" + gpusPerServer : "")
                + (pairs != null ? " pairs=" + pairs.length / 2 : "");
    }

    private static long[] checkPairBytes(CollectiveKind kind, int ranks, long[] pairBytes) {
        if (kind != CollectiveKind.ALL_TO_ALL_V) {
            if (pairBytes != null) {
                throw fail("pairBytes", "is only for all-to-all-v, not " + kind.cliName());
            }
            return null;
        }
        if (pairBytes == null) {
            throw fail("pairBytes", "is required for all-to-all-v (n*n bytes, row-major [src*n+dst])");
        }
        if (pairBytes.length != (long) ranks * ranks) {
            throw fail("pairBytes", "must hold ranks*ranks = " + (long) ranks * ranks + " entries, got "
                    + pairBytes.length);
        }
        for (int i = 0; i < pairBytes.length; i++) {
            if (pairBytes[i] < 0) {
                throw fail("pairBytes", "entry [" + i / ranks + "->" + i % ranks + "] must be >= 0, got "
                        + pairBytes[i]);
            }
        }
        return pairBytes.clone();
    }

    private static int[] checkPairs(CollectiveKind kind, int ranks, int[] pairs) {
        if (kind != CollectiveKind.SEND_RECV) {
            if (pairs != null) {
                throw fail("pairs", "is only for send-recv, not " + kind.cliName());
            }
            return null;
        }
        if (pairs == null) {
            throw fail("pairs", "is required for send-recv ([src0, dst0, src1, dst1, ...])");
        }
        if (pairs.length % 2 != 0) {
            throw fail("pairs", "must have an even length (src, dst pairs), got " + pairs.length);
        }
        for (int i = 0; i < pairs.length; i += 2) {
            int src = pairs[i];
            int dst = pairs[i + 1];
            if (src < 0 || src >= ranks || dst < 0 || dst >= ranks) {
                throw fail("pairs", "pair " + i / 2 + " (" + src + "->" + dst + ") names a rank outside 0.."
                        + (ranks - 1));
            }
            if (src == dst) {
                throw fail("pairs", "pair " + i / 2 + " sends rank " + src + " to itself");
            }
        }
        return pairs.clone();
    }

    private static CollectiveException fail(String field, String what) {
        return new CollectiveException("invalid collective request: " + field + " " + what);
    }
}

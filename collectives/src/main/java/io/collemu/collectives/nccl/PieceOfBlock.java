package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;

/**
 * Piece {@code piece} (of {@code pieces} channels) of rank-block {@code b} of a {@code totalBytes} buffer cut
 * into {@code blocks} by {@link BlockSplit}: block first, so rank b's reduce-scatter result stays contiguous (the
 * same rule as today's {@code ring}). Blocks with a non-empty piece are always the prefix
 * {@code [0, nonEmptyBlocks())} of rank indices. Precomputed so a lookup costs no division.
 *
 * <p>Immutable; thread-safe.
 */
final class PieceOfBlock {
    private final long base;
    private final long remainder;
    private final long bigPieceOffset;
    private final long bigPieceBytes;
    private final long smallPieceOffset;
    private final long smallPieceBytes;
    private final int nonEmpty;

    PieceOfBlock(long totalBytes, int blocks, int pieces, int piece) {
        base = totalBytes / blocks;
        remainder = totalBytes % blocks;
        // blocks below the remainder have base+1 bytes, the others base
        bigPieceOffset = BlockSplit.offsetBytes(base + 1, pieces, piece);
        bigPieceBytes = BlockSplit.sizeBytes(base + 1, pieces, piece);
        smallPieceOffset = BlockSplit.offsetBytes(base, pieces, piece);
        smallPieceBytes = BlockSplit.sizeBytes(base, pieces, piece);
        // piece c of a block is non-empty iff the block has more than c bytes
        nonEmpty = base > piece ? blocks : base == piece ? (int) remainder : 0;
    }

    long offsetBytes(int block) {
        return block < remainder
                ? block * (base + 1) + bigPieceOffset
                : block * base + remainder + smallPieceOffset;
    }

    long sizeBytes(int block) {
        return block < remainder ? bigPieceBytes : smallPieceBytes;
    }

    /** @return how many leading blocks (rank indices) have a non-empty piece */
    int nonEmptyBlocks() {
        return nonEmpty;
    }
}

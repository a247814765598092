package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;

/**
 * Where the block owned by ring member {@code b} lives in the buffer. The non-empty blocks are always a prefix
 * {@code [0, nonEmptyBlocks())}, a property of {@link BlockSplit} that lets rings count ops arithmetically.
 * Implementations precompute the split so that a lookup costs no division (it runs once per op access).
 */
sealed interface BlockLayout {

    long offsetBytes(int block);

    long sizeBytes(int block);

    int nonEmptyBlocks();

    /**
     * Piece {@code piece} (of {@code pieces} channels) of block {@code b} of a {@code totalBytes} buffer cut into
     * {@code blocks}: block-first, so that rank {@code b}'s reduce-scatter result stays contiguous.
     */
    final class PieceOfBlock implements BlockLayout {
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

        @Override
        public long offsetBytes(int block) {
            return block < remainder
                    ? block * (base + 1) + bigPieceOffset
                    : block * base + remainder + smallPieceOffset;
        }

        @Override
        public long sizeBytes(int block) {
            return block < remainder ? bigPieceBytes : smallPieceBytes;
        }

        @Override
        public int nonEmptyBlocks() {
            return nonEmpty;
        }
    }

    /** Block {@code b} of the range {@code [baseOffsetBytes, baseOffsetBytes + lengthBytes)} cut into {@code blocks}. */
    final class RangeSplit implements BlockLayout {
        private final long baseOffsetBytes;
        private final long base;
        private final long remainder;
        private final int nonEmpty;

        RangeSplit(long baseOffsetBytes, long lengthBytes, int blocks) {
            this.baseOffsetBytes = baseOffsetBytes;
            this.base = lengthBytes / blocks;
            this.remainder = lengthBytes % blocks;
            this.nonEmpty = BlockSplit.nonEmptyParts(lengthBytes, blocks);
        }

        @Override
        public long offsetBytes(int block) {
            return baseOffsetBytes + block * base + Math.min(block, remainder);
        }

        @Override
        public long sizeBytes(int block) {
            return block < remainder ? base + 1 : base;
        }

        @Override
        public int nonEmptyBlocks() {
            return nonEmpty;
        }
    }
}

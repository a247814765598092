package io.collemu.collectives;

/**
 * The one rule collemu uses to cut {@code totalBytes} into {@code parts} contiguous blocks: every block gets
 * {@code totalBytes / parts} bytes and the first {@code totalBytes % parts} blocks get one byte more. Blocks
 * are laid out in index order, so block {@code i} starts at {@code i * base + min(i, remainder)}.
 *
 * <p>Used everywhere a size is divided: blocks per rank, pieces per channel, halves per tree, sub-blocks per
 * server rail. A consequence used by the algorithms: the non-empty blocks are always a prefix
 * {@code [0, nonEmptyParts)}. Stateless; thread-safe.
 */
public final class BlockSplit {

    private BlockSplit() {
    }

    /** @return the size of block {@code index} in bytes */
    public static long sizeBytes(long totalBytes, int parts, int index) {
        long base = totalBytes / parts;
        return base + (index < totalBytes % parts ? 1 : 0);
    }

    /** @return the offset of block {@code index}; {@code index == parts} gives {@code totalBytes} */
    public static long offsetBytes(long totalBytes, int parts, int index) {
        long base = totalBytes / parts;
        return base * index + Math.min(index, totalBytes % parts);
    }

    /** @return how many leading blocks are non-empty ({@code parts} when {@code totalBytes >= parts}) */
    public static int nonEmptyParts(long totalBytes, int parts) {
        return totalBytes >= parts ? parts : (int) totalBytes;
    }
}

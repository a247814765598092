package io.collemu.topology.yaml;

/**
 * How much a YAML input may hold, checked while it is read so that no document can make the reader hang, run out
 * of memory or overflow the stack: size of the file, nesting depth, length of one value, and values in all after
 * aliases are expanded (which also stops "billion laughs" documents).
 *
 * <p>{@link #TOPOLOGY}: 16 MiB, enough for an explicit graph of a 32,768-GPU rail-optimized fabric written out in
 * full ({@link TopologyYamlWriter} writes 14.3 MiB; it reloads in 4 s). {@link #PROFILE}: 4 MiB, a thousand times the largest built-in profile. Both: 64 levels
 * (real files use fewer than 10), values of at most 64 Ki characters (names, expressions, descriptions), and
 * 4 M (topology) or 1 M (profile) values. Immutable value.
 *
 * @param label             what the input is, in messages ({@code topology file}, {@code profile file})
 * @param maxDocumentBytes  most bytes of the file (and characters of in-memory text)
 * @param maxDepth          most levels of nested mappings and lists
 * @param maxValueChars     most characters of one key or scalar value
 * @param maxValues         most keys, scalars, mappings and lists in all, aliases counted at every use
 */
public record YamlLimits(String label, long maxDocumentBytes, int maxDepth, int maxValueChars, long maxValues) {
    /** Limits of a topology file. */
    public static final YamlLimits TOPOLOGY = new YamlLimits("topology file", 16L << 20, 64, 64 << 10, 4_000_000);
    /** Limits of a load-profile file. */
    public static final YamlLimits PROFILE = new YamlLimits("profile file", 4L << 20, 64, 64 << 10, 1_000_000);
}

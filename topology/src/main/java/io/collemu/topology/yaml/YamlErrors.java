package io.collemu.topology.yaml;

/**
 * How a user of {@link YamlDocument} turns problems of a YAML input into its own one-line exception (a topology
 * and a profile report the same problems with their own exception type and field style). Implementations are
 * stateless.
 */
public interface YamlErrors {
    /** Malformed YAML (or a duplicate key) at a line. */
    RuntimeException syntax(String file, int line, String message);

    /** A well-formed document breaking a rule at a field ({@code links[3].a}, or {@code (document)}). */
    RuntimeException at(String file, int line, String field, String what);

    /** A problem with the input as a whole (missing, a directory, too large, not UTF-8); the message is complete. */
    RuntimeException input(String message);
}

package io.collemu.topology.model;

import java.util.Map;

/**
 * A user error in a topology: a bad spec string, a bad YAML file, an unknown preset, an impossible fabric.
 * The message is always one line naming what is wrong and where (file, line and field when from a file);
 * the command line prints it and exits with code 2. {@link #field()} optionally names the parameter or field
 * at fault so that a caller holding location information (the YAML loader) can prefix file and line.
 *
 * <p>When the bad value came from an override (a command-line flag such as {@code --link} replacing a spec's
 * {@code link=}) rather than from the spec or file, {@link #overrideKey()} names the overridden parameter and
 * {@link #problem()} says what is wrong with the value without the spec's or file's prefix, so that the command
 * line can blame the flag: {@code --link: unknown link model 'bogus' (known: ...)}.
 *
 * <p>Immutable; safe to share between threads.
 */
public class TopologyException extends RuntimeException {
    private final String field;
    private final String problem;
    private final String overrideKey;

    public TopologyException(String message) {
        this(message, null);
    }

    public TopologyException(String message, String field) {
        this(message, field, oneLine(message), null);
    }

    private TopologyException(String message, String field, String problem, String overrideKey) {
        super(oneLine(message));
        this.field = field;
        this.problem = problem;
        this.overrideKey = overrideKey;
    }

    /**
     * An error in the value an override gave for {@code key}: the message reads {@code override key=value:
     * problem}, {@link #overrideKey()} is {@code key} and {@link #field()} is {@code key}.
     */
    public static TopologyException ofOverride(String key, String value, String problem) {
        return new TopologyException("override " + key + "=" + value + ": " + problem, key, oneLine(problem), key);
    }

    /** This error with {@code prefix + ": "} in front of its message (a spec or file:line), all else kept. */
    public TopologyException within(String prefix) {
        return within(prefix, field);
    }

    /** As {@link #within(String)}, with {@code field} as the field at fault. */
    public TopologyException within(String prefix, String field) {
        return new TopologyException(prefix + ": " + getMessage(), field, problem, overrideKey);
    }

    /**
     * This error blamed on an override when its field is one of {@code overrides}' keys (the value came from the
     * override, not from the spec or file); otherwise this error itself.
     */
    public TopologyException blamingOverrides(Map<String, String> overrides) {
        if (overrideKey != null || field == null || !overrides.containsKey(field)) {
            return this;
        }
        return ofOverride(field, overrides.get(field), problem);
    }

    /** The parameter or field at fault, or null when the error is not tied to one. */
    public String field() {
        return field;
    }

    /** What is wrong, without the location or spec prefixes that callers add with {@link #within}. */
    public String problem() {
        return problem;
    }

    /** The overridden parameter whose value is at fault (e.g. {@code link} for {@code --link}), or null. */
    public String overrideKey() {
        return overrideKey;
    }

    private static String oneLine(String message) {
        return message == null ? "topology error" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}

package io.collemu.topology.model;

/**
 * A user error in a topology: a bad spec string, a bad YAML file, an unknown preset, an impossible fabric.
 * The message is always one line naming what is wrong and where (file, line and field when from a file);
 * the command line prints it and exits with code 2. {@link #field()} optionally names the parameter or field
 * at fault so that a caller holding location information (the YAML loader) can prefix file and line.
 */
public class TopologyException extends RuntimeException {
    private final String field;

    public TopologyException(String message) {
        this(message, null);
    }

    public TopologyException(String message, String field) {
        super(oneLine(message));
        this.field = field;
    }

    /** The parameter or field at fault, or null when the error is not tied to one. */
    public String field() {
        return field;
    }

    private static String oneLine(String message) {
        return message == null ? "topology error" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}

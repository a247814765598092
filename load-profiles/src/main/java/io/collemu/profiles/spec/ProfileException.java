package io.collemu.profiles.spec;

/**
 * A user error in a load profile: malformed YAML, unknown field, bad value, a layout that does not fit the job,
 * a cycle in the operation graph, an unknown profile or parameter. {@link #getMessage()} is always one line,
 * {@code file:line: field: what is wrong} when it comes from a file (e.g.
 * {@code moe.yaml:14: jobs[0].ops[2].size: '-5M' is not a positive size}); the command line prints it and exits
 * with code 2.
 *
 * <p>Immutable; safe to share between threads.
 */
public class ProfileException extends RuntimeException {

    /** @param message what is wrong and where; line breaks are folded into spaces */
    public ProfileException(String message) {
        super(oneLine(message));
    }

    /** A located error: {@code file:line: field: what}. */
    public ProfileException(String file, int line, String field, String what) {
        this(file + ":" + line + ": " + field + ": " + what);
    }

    private static String oneLine(String message) {
        return message == null ? "profile error" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}

package io.collemu.node.run;

/** The version of collemu, as summary.json and {@code collemu --version} print it. */
public final class Version {
    /** The release. */
    public static final String VERSION = "0.1.0";

    private Version() {
    }
}

package io.collemu.node.cli;

import io.collemu.node.run.UserError;
import io.collemu.topology.yaml.YamlErrors;
import io.collemu.topology.yaml.YamlLimits;
import io.collemu.topology.yaml.YamlSource;
import java.nio.file.Path;

/**
 * Reads a YAML file the user named (a topology, a profile) once, with the same checks the topology and profile
 * readers make ({@link YamlSource}: not a directory, pipe or device, within the size limit, UTF-8), every refusal
 * one line naming the flag and the file. The text then travels to other cluster members as it is.
 */
final class UserFiles {
    private UserFiles() {
    }

    /** The text of {@code file}, given with {@code flag}, within {@code limits}. */
    static String readText(Path file, String flag, YamlLimits limits) {
        return YamlSource.read(file, limits, new YamlErrors() {
            @Override
            public RuntimeException syntax(String f, int line, String message) {
                return new UserError(flag + ": " + f + ":" + line + ": " + message);
            }

            @Override
            public RuntimeException at(String f, int line, String field, String what) {
                return new UserError(flag + ": " + f + ":" + line + ": " + field + ": " + what);
            }

            @Override
            public RuntimeException input(String message) {
                return new UserError(flag + ": " + message);
            }
        });
    }
}

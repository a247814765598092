package io.collemu.node.cli;

import io.collemu.node.run.UserError;
import java.util.function.Supplier;

/**
 * Concludes a command's settings: any bound a settings record refuses ({@link IllegalArgumentException}, whose
 * message names the flag) becomes a {@link UserError}, so every flag is checked once, where its record holds it.
 */
final class Settings {
    private Settings() {
    }

    /** The settings {@code build} makes, with refusals turned into user errors. */
    static <T> T conclude(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            if (e instanceof NumberFormatException) {
                throw new UserError("not a number: " + e.getMessage());
            }
            throw new UserError(e.getMessage());
        }
    }
}

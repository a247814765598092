package io.collemu.profiles;

import io.collemu.profiles.spec.ProfileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The profiles shipped with collemu, kept as YAML resources under {@code profiles/NAME.yaml}: what
 * {@code collemu profiles list} lists and {@code collemu profiles show NAME} prints.
 *
 * <p>Thread-safe (descriptions are cached in a concurrent map).
 */
public final class BuiltinProfiles {
    private static final List<String> NAMES = List.of("nccl-sweep", "dense-training-step", "moe-step",
            "pipeline-step", "two-jobs");
    private static final Map<String, String> DESCRIPTIONS = new ConcurrentHashMap<>();

    private BuiltinProfiles() {
    }

    /** @return the built-in profile names, in listing order */
    public static List<String> names() {
        return NAMES;
    }

    /** @return true if {@code name} is a built-in profile */
    public static boolean exists(String name) {
        return NAMES.contains(name);
    }

    /**
     * @return the YAML text of a built-in profile, as shipped
     * @throws ProfileException if there is no such built-in (the message lists the names)
     */
    public static String yaml(String name) {
        if (!exists(name)) {
            throw new ProfileException("unknown profile '" + name + "' (built-in profiles: " + String.join(", ", NAMES)
                    + "; or give a path to a .yaml file)");
        }
        try (InputStream in = BuiltinProfiles.class.getResourceAsStream("/profiles/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("resource profiles/" + name + ".yaml is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource profiles/" + name + ".yaml", e);
        }
    }

    /** @return the one-paragraph description of a built-in profile */
    public static String description(String name) {
        return DESCRIPTIONS.computeIfAbsent(name, n -> ProfileLoader.builtin(n, Map.of()).description());
    }
}

package io.collemu.node.run;

import io.collemu.profiles.spec.Profile;
import io.collemu.profiles.ProfileLoader;
import java.util.Map;

/**
 * A load profile to replay, as plain data that travels to other cluster members: a built-in name, or a YAML
 * file's name and text, with the {@code --param} overrides.
 *
 * @param source   the built-in name, or the file's name (for messages)
 * @param yamlText the file's text, or null for a built-in profile
 */
public record ProfileSpec(String source, String yamlText, Map<String, String> params) implements WorkloadSpec {

    /** Copies the overrides. */
    public ProfileSpec {
        params = Map.copyOf(params);
    }

    /**
     * Parses and validates the profile.
     *
     * @throws io.collemu.profiles.ProfileException naming file, line and field
     */
    public Profile load() {
        return yamlText == null ? ProfileLoader.builtin(source, params)
                : ProfileLoader.parse(yamlText, source, params);
    }
}

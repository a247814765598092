package io.collemu.profiles.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and validated load profile: its jobs and their operations as written, with parameters resolved
 * (defaults from the file, then {@code --param} overrides). Values that depend on the fabric ({@code gpuCount})
 * are evaluated by {@link PlanBuilder}. Created by {@link ProfileLoader}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param name        profile name
 * @param description one paragraph, may be empty
 * @param fabric      the topology spec the profile was written for (a suggestion), or null
 * @param params      parameter name to value (after overrides), in declaration order; includes the straggler
 *                    parameters {@code slowGpus}, {@code slowFactor}, {@code slowdown}
 * @param jobs        the jobs, at least one
 * @param source      file name used in error messages ({@code moe-step.yaml} for built-ins)
 */
public record Profile(String name, String description, String fabric, Map<String, Value> params,
        List<JobSpec> jobs, String source) {

    public Profile {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        jobs = List.copyOf(jobs);
    }

    /** @return parameter name to its text (after overrides), in declaration order */
    public Map<String, String> paramValues() {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.text()));
        return Collections.unmodifiableMap(out);
    }
}

package io.collemu.profiles;

import io.collemu.profiles.spec.Profile;
import io.collemu.profiles.spec.ProfileException;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.profiles.expr.Env;
import io.collemu.profiles.expr.UnboundException;
import io.collemu.profiles.spec.JobSpec;
import io.collemu.profiles.spec.Value;
import io.collemu.profiles.yaml.ProfileYamlParser;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point: loads a profile from a YAML file or the built-ins, applies {@code --param} overrides and
 * validates it: structure and field names, every value that does not depend on the fabric (sizes, durations,
 * kinds, algorithms, communicators, references, cycles), and layouts of jobs whose GPUs are listed explicitly.
 * What depends on the fabric's size is checked by {@link PlanBuilder}. Errors are one-line
 * {@link ProfileException}s naming file, line and field.
 *
 * <p>Stateless; thread-safe.
 */
public final class ProfileLoader {

    private ProfileLoader() {
    }

    /** Loads a YAML file; its path as given names it in errors. */
    public static Profile load(Path yamlFile, Map<String, String> paramOverrides) {
        return parse(ProfileYamlParser.read(yamlFile), yamlFile.toString(), paramOverrides);
    }

    /**
     * @throws ProfileException for an unknown name, listing the built-in names
     */
    public static Profile builtin(String name, Map<String, String> paramOverrides) {
        return parse(BuiltinProfiles.yaml(name), name + ".yaml", paramOverrides);
    }

    /**
     * A path if something exists there (a directory or pipe is then refused as not a profile file), otherwise a
     * built-in name.
     */
    public static Profile loadOrBuiltin(String nameOrPath, Map<String, String> paramOverrides) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new ProfileException("empty profile name (built-in profiles: "
                    + String.join(", ", BuiltinProfiles.names()) + "; or give a path to a .yaml file)");
        }
        String s = nameOrPath.trim();
        try {
            Path path = Path.of(s);
            if (Files.isRegularFile(path) || (Files.exists(path) && !BuiltinProfiles.exists(s))) {
                return load(path, paramOverrides);
            }
        } catch (InvalidPathException e) {
            // not a usable path: try it as a built-in name
        }
        if (!BuiltinProfiles.exists(s) && (s.endsWith(".yaml") || s.endsWith(".yml") || s.contains("/"))) {
            throw new ProfileException("profile file not found: " + s);
        }
        return builtin(s, paramOverrides);
    }

    /** Parses and validates YAML text; {@code fileName} names it in errors. */
    public static Profile parse(String yamlText, String fileName, Map<String, String> paramOverrides) {
        Profile p = ProfileYamlParser.parse(yamlText, fileName, paramOverrides);
        validate(p);
        return p;
    }

    /**
     * Turns {@code key=value} strings (the values of repeated {@code --param} flags) into an override map.
     *
     * @throws ProfileException for an entry without {@code =} or with an empty key
     */
    public static Map<String, String> parseParams(List<String> keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ProfileException("--param '" + kv + "': expected key=value (e.g. --param bucketBytes=50M)");
            }
            out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return out;
    }

    private static void validate(Profile p) {
        Env env = new Env(p.params());
        try {
            env.number(p.params().get("slowFactor"), 0.001, 1000);
        } catch (UnboundException e) {
            // depends on the fabric: PlanBuilder checks it
        }
        for (JobSpec job : p.jobs()) {
            Integer iterations = null;
            try {
                iterations = env.integer(job.iterations(), 1, 1_000_000) + env.integer(job.warmup(), 0, 1_000_000);
            } catch (UnboundException e) {
                // checked when bound
            }
            for (Map.Entry<String, Value> axis : job.layout().axes().entrySet()) {
                try {
                    if (!(axis.getKey().equals("dp") && env.text(axis.getValue()).trim().equals("auto"))) {
                        env.integer(axis.getValue(), 1, 1 << 22);
                    }
                } catch (UnboundException e) {
                    // checked when bound
                }
            }
            List<ExpandedOp> ops = null;
            try {
                ops = OpExpander.expand(job, env);
            } catch (UnboundException e) {
                // an op uses gpuCount, gpusPerServer or jobGpus: checked when bound
            }
            int jobGpus = 0;
            try {
                if (!env.text(job.gpus()).trim().equals("all")) {
                    jobGpus = JobBinding.bind(job, env, CollectiveRequest.MAX_RANKS, 0).gpus().length;
                }
            } catch (UnboundException e) {
                // the job's GPUs depend on the fabric: checked when bound
            }
            if (iterations != null && ops != null) {
                // without a fabric, each op counts as one task: a lower bound, refusing only the hopeless
                PlanBudget.check(job.iterations().loc(), iterations, ops.size(),
                        jobGpus > 0 ? PlanBudget.tasksPerIteration(ops, jobGpus) : ops.size(), 0);
            }
        }
    }
}

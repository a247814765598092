package io.collemu.node.cli;

import io.collemu.profiles.BuiltinProfiles;
import io.collemu.node.run.UserError;
import io.collemu.profiles.spec.ProfileException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code collemu profiles list|show}: the built-in load profiles. */
@Command(name = "profiles", mixinStandardHelpOptions = true,
        description = "Built-in load profiles (workloads for 'collemu run --profile').",
        subcommands = {ProfilesCommand.ListProfiles.class, ProfilesCommand.Show.class})
public final class ProfilesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code collemu profiles list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the built-in profiles.")
    static final class ListProfiles implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            for (String name : BuiltinProfiles.names()) {
                out.printf("%-22s %s%n", name, BuiltinProfiles.description(name));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code collemu profiles show NAME}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints a built-in profile as YAML: a starting point for your own.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!BuiltinProfiles.exists(name)) {
                throw new UserError("unknown profile '" + name + "' (built-in: "
                        + String.join(", ", BuiltinProfiles.names()) + ")");
            }
            spec.commandLine().getOut().print(BuiltinProfiles.yaml(name));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    static boolean isProfileError(Throwable t) {
        return t instanceof ProfileException;
    }
}

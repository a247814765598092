package io.collemu.node.cli;

import io.collemu.collectives.CollectiveException;
import io.collemu.node.actor.MemberLostException;
import io.collemu.node.run.UserError;
import io.collemu.node.run.Version;
import io.collemu.topology.model.TopologyException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code collemu} command line. Exit codes: 0 done, 2 bad input (one line on stderr naming what and where),
 * 3 a cluster member was lost, 1 an internal error (with its stack trace: a bug to report).
 */
@Command(name = "collemu", mixinStandardHelpOptions = true, versionProvider = CollemuCommand.VersionProvider.class,
        description = "Emulates GPU-to-GPU collective traffic over CPO, LPO and DSP-pluggable fabrics.",
        subcommands = {RunCommand.class, CompareCommand.class, SweepCommand.class, NodeCommand.class, TopologyCommand.class,
            ProfilesCommand.class, BenchCommand.class, ReliabilityCommand.class,
            CommandLine.HelpCommand.class})
public final class CollemuCommand implements Runnable {
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_MEMBER_LOST = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        // initialise SLF4J before any actor system logs from another thread (avoids its replay warning)
        org.slf4j.LoggerFactory.getLogger(CollemuCommand.class);
        System.exit(execute(System.out, System.err, args));
    }

    /** {@code s} with control characters shown as \\uXXXX, cut to 60 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 60; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > 60 ? b + "..." : b.toString();
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new CollemuCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // a path the platform cannot hold (a NUL byte) is a user's mistake: say so without the JDK's exception
        cl.registerConverter(java.nio.file.Path.class, v -> {
            try {
                return java.nio.file.Path.of(v);
            } catch (java.nio.file.InvalidPathException e) {
                throw new CommandLine.TypeConversionException("'" + printable(v) + "' is not a usable path ("
                        + e.getReason() + ")");
            }
        });
        // a list flag given only separators ("--link ,") names nothing: refuse it before any command reads it[0]
        cl.setExecutionStrategy(parsed -> {
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                for (CommandLine.Model.OptionSpec o : p.matchedOptions()) {
                    if (o.getValue() instanceof java.util.Collection<?> c && c.isEmpty()) {
                        throw new CommandLine.ParameterException(p.commandSpec().commandLine(),
                                o.longestName() + ": an empty list");
                    }
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            String name = ex.getCommandLine().getCommandName();
            err.println("collemu " + ("collemu".equals(name) ? "" : name + ": ") + oneLine(ex.getMessage())
                    + " (see --help)");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof TopologyException t && t.overrideKey() != null) {
                err.println("collemu " + c.getCommandName() + ": --" + t.overrideKey() + ": " + oneLine(t.problem()));
                return EXIT_BAD_INPUT;
            }
            if (isUserError(ex)) {
                err.println("collemu " + c.getCommandName() + ": " + oneLine(ex.getMessage()));
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException) {
                err.println("collemu " + c.getCommandName() + ": cannot write the results: "
                        + oneLine(ex.getMessage()));
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof MemberLostException lost) {
                err.println("collemu " + c.getCommandName() + ": " + oneLine(lost.getMessage()));
                return EXIT_MEMBER_LOST;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    static boolean isUserError(Throwable t) {
        return t instanceof UserError || t instanceof TopologyException || t instanceof CollectiveException
                || t instanceof io.collemu.node.cluster.ClusterStartException
                || ProfilesCommand.isProfileError(t);
    }

    static String oneLine(String s) {
        if (s == null) {
            return "error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    /** picocli version provider. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"collemu " + Version.VERSION + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}

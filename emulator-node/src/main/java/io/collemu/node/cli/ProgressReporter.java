package io.collemu.node.cli;

import io.collemu.node.run.RunListener;
import io.collemu.node.run.RunSettings;
import io.collemu.node.run.SweepSpec;
import io.collemu.node.run.Version;
import io.collemu.topology.model.Topology;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What the user sees while a run goes on: the header lines on stdout when it starts, and on stderr, once it has
 * taken more than a second, its progress (steps done, virtual time, events, events/s). On a terminal that is a
 * redrawn bar; without one (a pipe, a file, CI) a plain line every {@value #PLAIN_EVERY_SECONDS} seconds, so logs
 * hold no carriage-return redraws. Engine callbacks come from the engine's thread.
 */
public final class ProgressReporter implements RunListener, AutoCloseable {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    static final int PLAIN_EVERY_SECONDS = 10;
    private final PrintStream err;
    private final PrintWriter out;
    private final String task;
    private final RunSettings settings;
    private final long total;
    private final long wallStartNanos = System.nanoTime();
    private final boolean enabled;
    private final boolean terminal;
    private ProgressBar bar;
    private long stepsDone;
    private long eventsBefore;
    private long lastEvents;
    private long lastVirtualPs;
    private long lastPlainNanos;
    private PrintWriter lines;

    /**
     * @param out        where the header lines go (stdout)
     * @param totalSteps emulations the bar counts to
     * @param enabled    whether progress shows at all ({@code --no-progress} turns it off)
     */
    public ProgressReporter(PrintStream err, PrintWriter out, String task, RunSettings settings, long totalSteps,
            boolean enabled) {
        this.err = err;
        this.out = out;
        this.task = task;
        this.settings = settings;
        this.total = totalSteps;
        this.enabled = enabled;
        this.terminal = System.console() != null;
    }

    /** Emulations one run of {@code settings} has: its sweep steps, or one for a profile. */
    static long steps(RunSettings settings) {
        return settings.workload() instanceof SweepSpec s ? s.steps() : 1;
    }

    @Override
    public void engineReady(String description) {
        out.printf("# %s%n", description);
        out.flush();
    }

    @Override
    public void started(Path dir, Topology topology) {
        out.printf("# collemu %s: %s, %d GPUs, %s engine, segment %s, seed %d%n", Version.VERSION, topology.spec(),
                topology.gpuCount(), settings.engine().kind().cliName(),
                Sizes.format(settings.model().segmentBytes()), settings.model().seed());
        if (dir != null) {
            out.printf("# output: %s%n", dir);
        }
        out.flush();
    }

    @Override
    public synchronized void update(long virtualPs, long events) {
        lastEvents = events;
        lastVirtualPs = virtualPs;
        refresh();
    }

    @Override
    public synchronized void stepDone() {
        stepsDone++;
        eventsBefore += lastEvents;
        lastEvents = 0;
        refresh();
    }

    /** Where interruption lines go (the command's stderr); by default the progress stream. */
    public ProgressReporter linesTo(PrintWriter w) {
        this.lines = w;
        return this;
    }

    /** An interruption is a result: one line on stderr, whatever --no-progress says. */
    @Override
    public synchronized void interruption(String line) {
        if (lines != null) {
            lines.println("collemu " + task + ": " + line);
            lines.flush();
        } else {
            err.println("collemu " + task + ": " + line);
            err.flush();
        }
    }

    private void refresh() {
        long now = System.nanoTime();
        long elapsed = now - wallStartNanos;
        if (!enabled || elapsed < SHOW_AFTER_NANOS) {
            return;
        }
        long events = eventsBefore + lastEvents;
        String figures = String.format("t=%.3f ms  %.1f M ev  %.2f M ev/s", lastVirtualPs / 1e9, events / 1e6,
                events / (elapsed / 1e9) / 1e6);
        if (!terminal) {
            if (now - lastPlainNanos >= PLAIN_EVERY_SECONDS * 1_000_000_000L) {
                lastPlainNanos = now;
                err.printf("collemu %s: step %d/%d, %s%n", task, stepsDone, total, figures);
            }
            return;
        }
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).continuousUpdate().setConsumer(new ConsoleProgressBarConsumer(err))
                    .build();
        }
        bar.stepTo(stepsDone);
        bar.setExtraMessage(" " + figures);
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.stepTo(stepsDone);
            bar.close();
            bar = null;
        }
    }
}

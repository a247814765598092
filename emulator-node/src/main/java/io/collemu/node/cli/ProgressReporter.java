package io.collemu.node.cli;

import io.collemu.node.engine.Progress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (steps done, virtual time, events, events/s) that appears only once a run has taken
 * more than a second. Called from the engine's thread; not for concurrent use.
 */
public final class ProgressReporter implements Progress, AutoCloseable {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private final PrintStream err;
    private final String task;
    private final long total;
    private final long wallStartNanos = System.nanoTime();
    private final boolean enabled;
    private ProgressBar bar;
    private long stepsDone;
    private long eventsBefore;
    private long lastEvents;
    private long lastVirtualPs;

    public ProgressReporter(PrintStream err, String task, long totalSteps, boolean enabled) {
        this.err = err;
        this.task = task;
        this.total = totalSteps;
        this.enabled = enabled;
    }

    @Override
    public synchronized void update(long virtualPs, long events) {
        lastEvents = events;
        lastVirtualPs = virtualPs;
        refresh();
    }

    /** A step (one emulation of a sweep) has ended. */
    public synchronized void stepDone() {
        stepsDone++;
        eventsBefore += lastEvents;
        lastEvents = 0;
        refresh();
    }

    public long totalEvents() {
        return eventsBefore + lastEvents;
    }

    private void refresh() {
        long elapsed = System.nanoTime() - wallStartNanos;
        if (!enabled || elapsed < SHOW_AFTER_NANOS) {
            return;
        }
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).continuousUpdate().setConsumer(new ConsoleProgressBarConsumer(err))
                    .build();
        }
        long events = totalEvents();
        double rate = events / (elapsed / 1e9);
        bar.stepTo(stepsDone);
        bar.setExtraMessage(String.format(" t=%.3f ms  %.1f M ev  %.2f M ev/s", lastVirtualPs / 1e9, events / 1e6,
                rate / 1e6));
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

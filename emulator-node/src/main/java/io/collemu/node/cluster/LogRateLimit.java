package io.collemu.node.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * A logback turbo filter that bounds what the loggers under {@link #setPrefix prefix} (Pekko's) may write: per
 * {@link #setIntervalSeconds interval}, each logger gets {@link #setLines lines} events, and of those the same message
 * is written at most {@link #setRepeats repeats} times; the rest are dropped and counted, and once per interval one
 * summary line per logger says how many were dropped and what the last one was. A peer that
 * sends garbage, or a burst of failing connections, so costs a few lines instead of a line per frame (a crafted
 * kilobyte once made 708,457 WARN lines in 5 s). Pekko asks {@code isWarnEnabled()} before it builds an event
 * (its {@code Slf4jLoggingFilter}); over budget that answers no, so dropped events are not even formatted.
 *
 * <p>Configured in {@code logback.xml}. Thread-safe: {@link #decide} runs on every logging thread; the summaries are
 * written by one daemon thread.
 */
public final class LogRateLimit extends TurboFilter {
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
    private String prefix = "org.apache.pekko";
    private int lines = 20;
    private int repeats = 3;
    private long intervalNanos = TimeUnit.SECONDS.toNanos(10);
    private ScheduledExecutorService flusher;

    /** Loggers whose names start with this are limited (default {@code org.apache.pekko}). */
    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    /** Lines each logger may write per interval (default 20). */
    public void setLines(int lines) {
        this.lines = lines;
    }

    /** How often one message (its format) may be written per interval and logger (default 3). */
    public void setRepeats(int repeats) {
        this.repeats = repeats;
    }

    /** The interval in seconds (default 10). */
    public void setIntervalSeconds(int seconds) {
        this.intervalNanos = TimeUnit.SECONDS.toNanos(seconds);
    }

    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "collemu-log-limit");
            t.setDaemon(true);
            return t;
        });
        long millis = TimeUnit.NANOSECONDS.toMillis(intervalNanos);
        flusher.scheduleWithFixedDelay(() -> flush(System.nanoTime()), millis, millis, TimeUnit.MILLISECONDS);
        super.start();
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        flush(Long.MAX_VALUE);
        super.stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (!isStarted() || level.levelInt < Level.INFO_INT || !logger.getName().startsWith(prefix)
                || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        Budget b = budgets.computeIfAbsent(logger.getName(), n -> new Budget());
        return b.admit(format, System.nanoTime()) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    /** Writes one summary line for each logger that dropped lines in an interval that has ended by {@code now}. */
    void flush(long now) {
        for (Map.Entry<String, Budget> e : budgets.entrySet()) {
            String summary = e.getValue().summary(e.getKey(), now);
            if (summary != null) {
                summaryLogger().warn(summary);
            }
        }
    }

    private org.slf4j.Logger summaryLogger() {
        return getContext() instanceof LoggerContext c ? c.getLogger(LogRateLimit.class)
                : LoggerFactory.getLogger(LogRateLimit.class);
    }

    /** One logger's count in the current interval. */
    private final class Budget {
        private final Map<String, Integer> perMessage = new java.util.HashMap<>();
        private long start = Long.MIN_VALUE;
        private int seen;
        private long dropped;
        private long droppedTotal;
        private String lastDropped;

        /**
         * Whether a line may be written. Every message counts against the logger's budget, written or not, so that
         * once it is spent the question without a message ({@code isWarnEnabled()}, asked before an event is even
         * built) answers no; that question itself counts only then, as a drop, since its caller will not log.
         */
        synchronized boolean admit(String format, long now) {
            if ((start == Long.MIN_VALUE || now - start >= intervalNanos) && dropped == 0) {
                start = now;
                seen = 0;
                perMessage.clear();
            } // else: the flusher has yet to report the last interval; keep counting into it
            if (seen < lines) {
                if (format == null) {
                    return true;
                }
                seen++;
                if (perMessage.merge(format, 1, Integer::sum) <= repeats) {
                    return true;
                }
            }
            dropped++;
            droppedTotal++;
            if (format != null) {
                lastDropped = format;
            }
            return false;
        }

        synchronized String summary(String logger, long now) {
            if (dropped == 0 || now - start < intervalNanos) {
                return null;
            }
            String s = String.format("dropped %d more lines of %s in %.0f s (at most %d per %d s; %d dropped so "
                    + "far)%s", dropped, logger, (now == Long.MAX_VALUE ? intervalNanos : now - start) / 1e9, lines,
                    TimeUnit.NANOSECONDS.toSeconds(intervalNanos), droppedTotal,
                    lastDropped == null ? "" : "; the last: " + oneLine(lastDropped));
            dropped = 0;
            start = now;
            seen = 0;
            perMessage.clear();
            lastDropped = null;
            return s;
        }
    }

    private static String oneLine(String s) {
        String line = s.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}

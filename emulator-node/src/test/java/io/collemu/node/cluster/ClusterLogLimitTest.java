package io.collemu.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The limiter of Pekko's loggers, in a logback context of its own: a storm costs a few lines and one summary. */
class ClusterLogLimitTest {
    private LoggerContext context;
    private LogRateLimit limit;
    private ListAppender<ILoggingEvent> lines;

    @BeforeEach
    void setUp() {
        context = new LoggerContext();
        limit = new LogRateLimit();
        limit.setContext(context);
        limit.setLines(20);
        limit.setRepeats(3);
        limit.setIntervalSeconds(10);
        limit.start();
        context.addTurboFilter(limit);
        lines = new ListAppender<>();
        lines.setContext(context);
        lines.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(lines);
    }

    @Test
    void shouldWriteOneMessageAtMostThreeTimesThenOneSummary() {
        Logger decoder = context.getLogger("org.apache.pekko.remote.artery.Decoder");
        int asked = 0;
        for (int i = 0; i < 100_000; i++) {
            if (decoder.isWarnEnabled()) { // as Pekko's Slf4jLoggingFilter asks before it builds an event
                asked++;
                decoder.warn("Dropping message due to: {}", "IndexOutOfBoundsException");
            }
        }
        decoder.warn("another message, after the budget is spent");
        assertEquals(3, lines.list.size(), lines.list.toString());
        assertEquals(20, asked, "once the budget is spent, Pekko is told not to build the event");

        limit.flush(System.nanoTime() + TimeUnit.SECONDS.toNanos(11));
        assertEquals(4, lines.list.size());
        String summary = lines.list.get(3).getFormattedMessage();
        assertTrue(summary.contains("dropped " + (100_000 + 1 - 3) + " more lines of "
                + "org.apache.pekko.remote.artery.Decoder"), summary);
        assertTrue(summary.contains("the last: another message"), summary);
    }

    @Test
    void shouldWriteTwentyDistinctLinesPerIntervalAndLoggerThenCountTheRest() {
        Logger decoder = context.getLogger("org.apache.pekko.remote.artery.Decoder");
        Logger transport = context.getLogger("org.apache.pekko.remote.artery.ArteryTransport");
        for (int i = 0; i < 100; i++) {
            decoder.warn("message " + i);
            transport.warn("message " + i);
        }
        assertEquals(40, lines.list.size());
        limit.flush(System.nanoTime() + TimeUnit.SECONDS.toNanos(11));
        List<String> summaries = lines.list.subList(40, lines.list.size()).stream()
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, summaries.size(), summaries.toString());
        assertTrue(summaries.stream().allMatch(l -> l.startsWith("dropped 80 more lines of ")), summaries.toString());
        decoder.warn("a new interval");
        assertEquals("a new interval", lines.list.get(lines.list.size() - 1).getFormattedMessage());
    }

    @Test
    void shouldLeaveOtherLoggersAndQuietLoggersAlone() {
        Logger ours = context.getLogger("io.collemu.node.cli.Something");
        for (int i = 0; i < 50; i++) {
            ours.warn("line {}", i);
        }
        Logger cluster = context.getLogger("org.apache.pekko.cluster.Cluster");
        cluster.warn("Couldn't join seed nodes after [2] attempts");
        cluster.info("below the level: not counted, not written");
        limit.flush(System.nanoTime() + TimeUnit.SECONDS.toNanos(11));
        assertEquals(51, lines.list.size(), "no summary when nothing was dropped");
    }
}

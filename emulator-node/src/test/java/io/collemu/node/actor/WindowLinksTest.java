package io.collemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.collemu.node.lp.Segment;
import java.io.DataOutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct window links on real sockets of 127.0.0.1: what one member sends, the other's clock reads with
 * {@link WindowLinks#poll}, complete and in order, whether a frame comes in one read or many; a closed link is
 * reported; a stranger's connection delivers nothing.
 */
class WindowLinksTest {
    private static final long TOKEN = 0x5eed_cafeL;
    private static ActorSystem<Void> system;

    @BeforeAll
    static void start() {
        // the members' serialization, as ClusterSettings configures it
        system = ActorSystem.create(Behaviors.empty(), "links", ConfigFactory.parseString(
                "pekko.actor.serializers.kryo = \"io.collemu.node.cluster.KryoSerializer\"\n"
                        + "pekko.actor.serialization-bindings { \"io.collemu.node.actor.ClusterMessage\" = kryo }\n")
                .withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    /** What a poll read. */
    private static final class Received implements WindowLinks.Sink {
        final List<MemberClock.MemberBatch> batches = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        @Override
        public void batch(MemberClock.MemberBatch batch) {
            batches.add(batch);
        }

        @Override
        public void failed(int member, String message) {
            failures.add(member + ": " + message);
        }
    }

    /** Polls until {@code done} holds, for at most 10 s. */
    private static void pollUntil(WindowLinks links, Received into, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            links.poll(50, into);
        }
    }

    @Test
    void shouldDeliverEveryPartInOrderWithFramesLargerThanOneRead() throws Exception {
        try (WindowLinks sender = WindowLinks.listen(system, "127.0.0.1", "127.0.0.1", TOKEN);
                WindowLinks receiver = WindowLinks.listen(system, "127.0.0.1", "127.0.0.1", TOKEN)) {
            sender.connect(0, 1, receiver.endpoint());
            // small parts, and parts of about 1.5 MB: many times the 64 KiB read buffer, so the frame is read in pieces
            int[] sizes = {0, 1, 40, 20_000, 3, 30_000, 1};
            java.util.concurrent.CompletableFuture<Void> sent = java.util.concurrent.CompletableFuture.runAsync(() -> {
                Received none = new Received();
                for (int k = 0; k < sizes.length; k++) {
                    try {
                        sender.send(1, TestParts.part(k, sizes[k]), none);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            Received got = new Received();
            pollUntil(receiver, got, () -> got.batches.size() == sizes.length);
            sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(sizes.length, got.batches.size(), "parts read");
            assertTrue(got.failures.isEmpty(), got.failures.toString());
            for (int k = 0; k < sizes.length; k++) {
                MemberClock.MemberBatch want = TestParts.part(k, sizes[k]);
                MemberClock.MemberBatch b = got.batches.get(k);
                assertEquals(want.exchange(), b.exchange(), "order");
                assertEquals(want.senderNextPs(), b.senderNextPs());
                assertEquals(want.senderSentPs(), b.senderSentPs());
                LpActor.Batch w = want.batches()[0];
                LpActor.Batch r = b.batches()[0];
                assertEquals(w.count(), r.count());
                assertArrayEquals(w.timePs(), r.timePs());
                assertArrayEquals(w.dstLp(), r.dstLp());
                assertArrayEquals(w.aux(), r.aux());
                for (int e = 0; e < w.count(); e++) {
                    Segment ws = (Segment) w.payload()[e];
                    Segment rs = (Segment) r.payload()[e];
                    assertEquals(ws.flowHash, rs.flowHash);
                    assertArrayEquals(ws.path, rs.path);
                }
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void shouldNotDeadlockWhenTwoMembersSendPartsLargerThanTheSocketBuffersToEachOther() throws Exception {
        // each side, like a clock, sends first and reads after; a part of about 12 MB is more than the kernel buffers
        // while nobody reads (a blocking send deadlocked here with 3.5 MB: the receive buffer grows only as it is read)
        try (WindowLinks a = WindowLinks.listen(system, "127.0.0.1", "127.0.0.1", TOKEN);
                WindowLinks b = WindowLinks.listen(system, "127.0.0.1", "127.0.0.1", TOKEN)) {
            a.connect(0, 1, b.endpoint());
            b.connect(1, 0, a.endpoint());
            MemberClock.MemberBatch big = TestParts.part(3, 200_000);
            java.util.function.BiFunction<WindowLinks, Integer, Received> clock = (links, to) -> {
                Received got = new Received();
                try {
                    links.send(to, big, got);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                pollUntil(links, got, () -> !got.batches.isEmpty());
                return got;
            };
            java.util.concurrent.CompletableFuture<Received> fromB =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> clock.apply(a, 1));
            Received atB = clock.apply(b, 0);
            Received atA = fromB.get(20, java.util.concurrent.TimeUnit.SECONDS);
            for (Received r : List.of(atA, atB)) {
                assertEquals(1, r.batches.size());
                assertEquals(200_000, r.batches.get(0).batches()[0].count());
                assertTrue(r.failures.isEmpty(), r.failures.toString());
            }
        }
    }

    @Test
    void shouldReportALinkTheSenderClosed() throws Exception {
        try (WindowLinks receiver = WindowLinks.listen(system, "127.0.0.1", "127.0.0.1", TOKEN)) {
            Received got = new Received();
            try (WindowLinks sender = WindowLinks.listen(system, "127.0.0.1", "127.0.0.1", TOKEN)) {
                sender.connect(0, 1, receiver.endpoint());
                sender.send(1, TestParts.part(0, 2), new Received());
                pollUntil(receiver, got, () -> got.batches.size() == 1);
            }
            pollUntil(receiver, got, () -> !got.failures.isEmpty());
            assertEquals(1, got.batches.size());
            assertEquals(List.of("0: the window link from member 0 closed"), got.failures);
        }
    }

    @Test
    void shouldIgnoreAStrangerAndServeTheMember() throws Exception {
        try (WindowLinks receiver = WindowLinks.listen(system, "127.0.0.1", "127.0.0.1", TOKEN);
                WindowLinks sender = WindowLinks.listen(system, "127.0.0.1", "127.0.0.1", TOKEN)) {
            String[] hostPort = receiver.endpoint().split(":");
            try (Socket stranger = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
                    Socket otherRun = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                // one write each (buffered): the receiver closes as soon as it has read a wrong hello, and a second write
                // would race that close ("Broken pipe")
                DataOutputStream s =
                        new DataOutputStream(new java.io.BufferedOutputStream(stranger.getOutputStream()));
                s.writeInt(0x12345678);
                s.writeLong(TOKEN);
                s.writeInt(0);
                s.flush();
                DataOutputStream o =
                        new DataOutputStream(new java.io.BufferedOutputStream(otherRun.getOutputStream()));
                o.writeInt(WindowLinks.MAGIC);
                o.writeLong(TOKEN + 1); // another run's token
                o.writeInt(0);
                o.writeInt(8);
                o.writeLong(42);
                o.flush();
                sender.connect(0, 1, receiver.endpoint());
                sender.send(1, TestParts.part(5, 3), new Received());
                Received got = new Received();
                pollUntil(receiver, got, () -> got.batches.size() == 1);
                for (int i = 0; i < 5; i++) {
                    receiver.poll(20, got);
                }
                assertEquals(1, got.batches.size(), "only the member's part");
                assertEquals(5, got.batches.get(0).exchange());
                assertTrue(got.failures.isEmpty(), got.failures.toString());
                assertClosedByPeer(stranger);
                assertClosedByPeer(otherRun);
            }
        }
    }

    /** The other end closed {@code s}: a read sees the end of the stream, or a reset (it closed with bytes unread). */
    private static void assertClosedByPeer(Socket s) throws java.io.IOException {
        s.setSoTimeout(5000);
        try {
            assertEquals(-1, s.getInputStream().read());
        } catch (java.net.SocketException e) {
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
    }

    @Test
    void shouldSpinOnlyWhereTheHostsMembersFitItsProcessors() {
        String[] twoHere = {"127.0.0.1:4001", "127.0.0.1:4002"};
        assertTrue(MemberClock.spins(twoHere, 0, 1, 2));
        assertFalse(MemberClock.spins(twoHere, 1, 2, 2), "2 members of 2 threads on 2 processors");
        String[] threeHere = {"127.0.0.1:4001", "127.0.0.1:4002", "127.0.0.1:4003"};
        assertFalse(MemberClock.spins(threeHere, 2, 1, 2));
        String[] apart = {"10.0.0.1:4001", "10.0.0.2:4001", "10.0.0.3:4001", "10.0.0.1:4002"};
        assertTrue(MemberClock.spins(apart, 1, 2, 2), "alone on its host");
        assertFalse(MemberClock.spins(apart, 3, 2, 2), "shares 10.0.0.1 with member 0");
    }
}

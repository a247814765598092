package io.collemu.node.actor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exchange between members at the end of each global window, as plain logic (the {@link MemberClock} actor
 * drives it): the batches this member's actors produced for other members' actors, cut into
 * {@link MemberClock.MemberBatch} parts (at least one per other member and window, even an empty one, so that the
 * receiver can count), and the parts received, counted per exchange. Parts from one sender arrive in order (one
 * connection), so a sender's last part means all of its parts are in.
 *
 * <p>Every part also carries two of its sender's figures for that window: the earliest of its own pending events
 * and of the events it sent to other members ({@link #announcedNextPs}), and the earliest of the events it sent
 * ({@link #announcedSentPs}). Once every other member's parts of an exchange are in, each member knows the same
 * minima over all members, this one included: the clock derives the next global window from them on every member
 * alike, with no coordinator in between.
 *
 * <p>Not thread-safe: owned by one clock.
 */
final class MemberExchange {
    /** Batches per part: keeps a message well under Artery's frame size. */
    static final int BATCHES_PER_PART = 512;
    private final int member;
    private final int members;
    private final List<List<Integer>> outDsts = new ArrayList<>();
    private final List<List<LpActor.Batch>> outBatches = new ArrayList<>();
    /** Per exchange number, how many senders' last parts are in. */
    private final Map<Long, Integer> lastPartsSeen = new HashMap<>();
    /** Per exchange number, the earliest next event announced so far (this member's own included once it sent). */
    private final Map<Long, Long> nextSeen = new HashMap<>();
    /** Per exchange number, the earliest event sent to another member, announced so far (own included). */
    private final Map<Long, Long> sentSeen = new HashMap<>();
    /** The exchange this member sends next. */
    private long sendSeq;
    private long crossBatches;
    /** The earliest event of the batches added since the last exchange. */
    private long sentMinPs = Long.MAX_VALUE;
    private long ownNextPs = Long.MAX_VALUE;
    private long ownSentPs = Long.MAX_VALUE;

    MemberExchange(int member, int members) {
        this.member = member;
        this.members = members;
        for (int i = 0; i < members; i++) {
            outDsts.add(new ArrayList<>());
            outBatches.add(new ArrayList<>());
        }
    }

    /** A batch for group {@code dstGroup} on member {@code dstMember}, sent at the end of this window. */
    void add(int dstMember, int dstGroup, LpActor.Batch batch) {
        outDsts.get(dstMember).add(dstGroup);
        outBatches.get(dstMember).add(batch);
        sentMinPs = Math.min(sentMinPs, batch.minTimePs());
    }

    /**
     * Starts this member's part of exchange {@link #sendSeq()}: {@code localNextPs} is its earliest pending local
     * event; with the earliest event it sent other members, that is its share of the next global window.
     */
    void begin(long localNextPs) {
        ownSentPs = sentMinPs;
        ownNextPs = Math.min(localNextPs, sentMinPs);
        sentMinPs = Long.MAX_VALUE;
        nextSeen.merge(sendSeq, ownNextPs, Math::min);
        sentSeen.merge(sendSeq, ownSentPs, Math::min);
    }

    /** This window's parts for member m, then forgets them (empty for this member itself). */
    List<MemberClock.MemberBatch> flush(int m) {
        List<MemberClock.MemberBatch> out = new ArrayList<>();
        if (m == member) {
            return out;
        }
        List<Integer> dsts = outDsts.get(m);
        List<LpActor.Batch> batches = outBatches.get(m);
        int total = batches.size();
        crossBatches += total;
        int parts = Math.max(1, (total + BATCHES_PER_PART - 1) / BATCHES_PER_PART);
        for (int part = 0; part < parts; part++) {
            int from = part * BATCHES_PER_PART;
            int count = Math.max(0, Math.min(BATCHES_PER_PART, total - from));
            int[] d = new int[count];
            LpActor.Batch[] b = new LpActor.Batch[count];
            for (int i = 0; i < count; i++) {
                d[i] = dsts.get(from + i);
                b[i] = batches.get(from + i);
            }
            out.add(new MemberClock.MemberBatch(sendSeq, member, part, parts, count, d, b, ownNextPs, ownSentPs));
        }
        dsts.clear();
        batches.clear();
        return out;
    }

    /** This member has flushed its parts of this exchange to every other member: the next one begins. */
    void sent() {
        sendSeq++;
    }

    /** The exchange this member sends next (0 for the start window). */
    long sendSeq() {
        return sendSeq;
    }

    /** A part from another member arrived (possibly for a later exchange: a fast peer may be ahead). */
    void received(MemberClock.MemberBatch b) {
        nextSeen.merge(b.exchange(), b.senderNextPs(), Math::min);
        sentSeen.merge(b.exchange(), b.senderSentPs(), Math::min);
        if (b.part() == b.parts() - 1) {
            lastPartsSeen.merge(b.exchange(), 1, Integer::sum);
        }
    }

    /** Whether every other member's last part of exchange {@code seq} is in (and this member has sent its own). */
    boolean complete(long seq) {
        return seq < sendSeq && lastPartsSeen.getOrDefault(seq, 0) >= members - 1;
    }

    /**
     * After {@link #complete}: the earliest event any member had pending or sent when it ended window {@code seq},
     * the same on every member ({@code Long.MAX_VALUE}: none).
     */
    long announcedNextPs(long seq) {
        return nextSeen.getOrDefault(seq, Long.MAX_VALUE);
    }

    /** After {@link #complete}: the earliest event any member sent another in window {@code seq} (none: MAX). */
    long announcedSentPs(long seq) {
        return sentSeen.getOrDefault(seq, Long.MAX_VALUE);
    }

    /** Forgets what was counted for exchange {@code seq}, and the sent figure of {@code seq - lag}. */
    void forget(long seq, int lag) {
        lastPartsSeen.remove(seq);
        nextSeen.remove(seq);
        sentSeen.remove(seq - Math.max(1, lag));
    }

    /** Batches sent to other members so far. */
    long crossBatches() {
        return crossBatches;
    }
}

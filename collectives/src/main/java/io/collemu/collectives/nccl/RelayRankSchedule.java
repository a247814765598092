package io.collemu.collectives.nccl;

import io.collemu.collectives.RankSchedule;

/**
 * A rank's ops where some sends forward bytes that an earlier receive of the same rank staged (PXN relays).
 *
 * <p>The one departure from {@link RankSchedule}'s buffer rule: a send for which {@link #isRelayForward(int)}
 * is true reads the <em>output</em> (receive) buffer at {@code offsetBytes}, in the staging area that this
 * rank's relay receive wrote (beyond the all-to-all blocks, {@code [n x block, outputBytes)}), and it depends
 * on that receive by byte overlap although the schedule is not in place. The emulator needs nothing more (it
 * moves bytes and honours dependencies); a data-level check must read forwards from the output buffer.
 * {@link io.collemu.collectives.DataVerifier} does not know this rule, so it rejects schedules with forwards;
 * schedules without any (one GPU per server, or one server) satisfy its contract unchanged.
 *
 * <p>Immutable; thread-safe.
 */
public interface RelayRankSchedule extends RankSchedule {

    /** @return send only: true when this send forwards staged bytes read from the output buffer */
    boolean isRelayForward(int op);
}

/**
 * Collective algorithms as per-rank schedules, their alpha-beta costs, and a data-level verifier.
 *
 * <p>Flow: a {@link io.collemu.collectives.CollectiveRequest} (validated, one-line
 * {@link io.collemu.collectives.CollectiveException} otherwise) goes to
 * {@link io.collemu.collectives.algo.Schedules#of}, which returns an immutable
 * {@link io.collemu.collectives.Schedule}; the engine asks it for each rank's
 * {@link io.collemu.collectives.RankSchedule} and replays the ops segment by segment.
 * {@link io.collemu.collectives.DataVerifier} replays the same ops on real arrays under random interleavings
 * and checks every byte; {@link io.collemu.collectives.AnalyticalCost} gives the formula each emulation should
 * approach.
 *
 * <pre>
 *   CollectiveRequest --Schedules.of------> Schedule --rank(r)--> RankSchedule (ops: send/recv, deps)
 *                                                  |                        |
 *                                        AnalyticalCost.timePs     engine / DataVerifier
 * </pre>
 *
 * <p>Conventions used by every algorithm: sizes are cut with {@link io.collemu.collectives.BlockSplit} (first
 * {@code S % parts} parts one byte larger); C channels split the data, one stream (or a few, for trees) per
 * channel; ring channels alternate direction (even forward, odd backward); ops of 0 bytes are never emitted.
 * Plain Java, no clock, no threads.
 */
package io.collemu.collectives;

package io.collemu.profiles;

import io.collemu.collectives.Schedule;

/**
 * One collective call of a plan: its schedule (from {@link io.collemu.collectives.algo.Schedules#of}) and
 * the global GPU of each of its ranks. Collectives on a group communicator ({@code dp}, {@code tp}, ...) give
 * one instance per group; a send-recv with {@code peer:} gives one two-rank instance per neighbour pair.
 *
 * <p>Immutable by convention (do not modify {@code gpus}); schedules may be shared between instances with equal
 * requests.
 *
 * @param id        dense index, 0..
 * @param job       job name
 * @param op        op instance name, e.g. {@code grad-ar[3]}
 * @param iteration 0-based, warm-up iterations first
 * @param warmup    true for warm-up iterations
 * @param schedule  the collective's schedule; {@code schedule.ranks() == gpus.length}
 * @param gpus      rank to global GPU index
 */
public record PlannedCollective(int id, String job, String op, int iteration, boolean warmup, Schedule schedule,
        int[] gpus) {
}

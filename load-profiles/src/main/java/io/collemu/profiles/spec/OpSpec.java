package io.collemu.profiles.spec;

import java.util.List;

/**
 * One operation of a job as written: a compute gap, a collective, or the receiving side of a send-recv. Absent
 * optional fields are null (lists empty); defaults are applied when the profile is expanded.
 *
 * <p>Immutable value.
 *
 * @param name         unique in its job; copies get {@code [k]} appended
 * @param kind         {@code compute}, {@code recv} or a collective kind ({@code all-reduce}, ...)
 * @param size         collective size per rank (nccl-tests convention)
 * @param sizes        alternative to {@code size}: a sweep of sizes
 * @param duration     compute duration
 * @param communicator {@code world}, {@code dp}, {@code tp}, {@code pp}, {@code ep} or a combination {@code tp+dp}
 * @param algorithm    collective algorithm or {@code auto}
 * @param channels     collective channels (default 1)
 * @param root         broadcast / reduce root rank
 * @param stream       stream name: operations of a stream run in order (default {@code main})
 * @param after        extra dependencies: {@code name} or {@code name[k]}
 * @param peer         send-recv: {@code next} or {@code prev} rank in the communicator
 * @param pairs        send-recv: explicit {@code [src, dst]} rank pairs
 * @param skew         all-to-all-v: log-normal sigma of the per-pair sizes (0 = uniform)
 * @param transposeOf  all-to-all-v: reuse the transposed matrix of that operation (combine after dispatch)
 * @param of           recv: the send-recv whose receiving side runs here
 * @param repeat       shorthand for a one-operation repeat block
 */
public record OpSpec(Value name, Value kind, Value size, SweepSpec sizes, Value duration, Value communicator,
        Value algorithm, Value channels, Value root, Value stream, List<Value> after, Value peer,
        List<List<Value>> pairs, Value skew, Value transposeOf, Value of, Value repeat, Loc loc) implements OpNode {

    public OpSpec {
        after = List.copyOf(after);
        pairs = pairs == null ? null : pairs.stream().map(List::copyOf).toList();
    }
}

package io.collemu.profiles;

import io.collemu.collectives.CollectiveKind;
import io.collemu.profiles.spec.OpSpec;
import java.util.List;

/**
 * One operation of one iteration of a job, after repeat and sweep expansion and evaluation of its fields; the
 * unit {@link PlanBuilder} turns into per-GPU tasks. Indices ({@code deps}, {@code transposeOf}, ...) point into
 * the job's expanded list, which is in topological order (every dep is smaller than the op's own index).
 *
 * <p>Immutable value (arrays are not copied: package-private, never handed out).
 */
record ExpandedOp(int index, String name, OpSpec spec, Type type, CollectiveKind kind, long sizeBytes,
        long durationPs, List<String> axes, String algorithm, int channels, int root, String stream, Peer peer,
        int[] pairs, double skew, int transposeOf, int recvOf, int placeholder, int[] deps) {

    /** What the operation is. */
    enum Type { COMPUTE, RECV, COLLECTIVE }

    /** Neighbour of a send-recv {@code peer:}. */
    enum Peer { NEXT, PREV }

    /** @return the communicator as written back ({@code world}, {@code tp}, {@code tp+dp}) */
    String communicator() {
        return axes.size() == 4 ? "world" : String.join("+", axes);
    }
}

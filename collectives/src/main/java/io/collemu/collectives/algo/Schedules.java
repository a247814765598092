package io.collemu.collectives.algo;

import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;

/** The entry point to the algorithms: the schedule of a request. Stateless; thread-safe. */
public final class Schedules {
    private Schedules() {
    }

    /**
     * Builds the schedule of a (validated) request.
     *
     * @throws CollectiveException if the request cannot be served
     */
    public static Schedule of(CollectiveRequest request) {
        String algorithm = Collectives.resolveAlgorithm(request);
        return switch (request.kind()) {
            case ALL_REDUCE -> switch (algorithm) {
                case Collectives.RING -> RingSchedule.ring(request, algorithm);
                case Collectives.HIERARCHICAL -> RingSchedule.hierarchical(request, algorithm);
                case Collectives.TREE -> MaterializedSchedule.doubleBinaryTree(request, algorithm);
                default -> MaterializedSchedule.halvingDoubling(request, algorithm);
            };
            case REDUCE_SCATTER, ALL_GATHER -> RingSchedule.ring(request, algorithm);
            case BROADCAST, REDUCE -> algorithm.equals(Collectives.TREE)
                    ? MaterializedSchedule.binaryTree(request, algorithm)
                    : MaterializedSchedule.chain(request, algorithm);
            case ALL_TO_ALL, ALL_TO_ALL_V -> AllToAllSchedule.create(request, algorithm);
            case SEND_RECV -> MaterializedSchedule.sendRecv(request, algorithm);
        };
    }

}

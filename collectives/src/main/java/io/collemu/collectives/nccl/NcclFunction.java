package io.collemu.collectives.nccl;

import io.collemu.collectives.CollectiveKind;
import java.util.Optional;

/**
 * The collectives NCCL's tuning model covers, in NCCL's id order ({@code ncclFuncBroadcast} 0 ..
 * {@code ncclFuncAllReduce} 4; NVIDIA/nccl v2.30.7-1, src/include/nccl_common.h:72-90), named as NCCL prints
 * them ({@code ncclFuncStr}, src/init.cc:52).
 *
 * <p>All-to-all and send/recv are not part of the model: NCCL runs them as point-to-point operations
 * ({@code ncclFuncSendRecv}, "Send/Recv not included for now", nccl_common.h:72), with no algorithm or
 * protocol choice and a fixed number of channels per peer; see {@link NcclTuner#p2pChannelsPerPeer()}.
 * {@link #of(CollectiveKind)} returns empty for them.
 *
 * <p>Stateless enum; thread-safe.
 */
public enum NcclFunction {
    /** ncclBroadcast. */
    BROADCAST("Broadcast", CollectiveKind.BROADCAST),
    /** ncclReduce. */
    REDUCE("Reduce", CollectiveKind.REDUCE),
    /** ncclAllGather. */
    ALL_GATHER("AllGather", CollectiveKind.ALL_GATHER),
    /** ncclReduceScatter. */
    REDUCE_SCATTER("ReduceScatter", CollectiveKind.REDUCE_SCATTER),
    /** ncclAllReduce. */
    ALL_REDUCE("AllReduce", CollectiveKind.ALL_REDUCE);

    private final String cliName;
    private final CollectiveKind kind;

    NcclFunction(String cliName, CollectiveKind kind) {
        this.cliName = cliName;
        this.kind = kind;
    }

    /** @return NCCL's id, 0 (Broadcast) .. 4 (AllReduce) */
    public int id() {
        return ordinal();
    }

    /** @return the name as NCCL prints it, e.g. {@code AllReduce} */
    public String cliName() {
        return cliName;
    }

    /** @return the collemu kind this function runs */
    public CollectiveKind kind() {
        return kind;
    }

    /**
     * The NCCL function for a collemu kind: empty for all-to-all(v) and send-recv, which NCCL runs as
     * point-to-point operations outside the tuning model.
     */
    public static Optional<NcclFunction> of(CollectiveKind kind) {
        for (NcclFunction f : values()) {
            if (f.kind == kind) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** @return true for all-gather and reduce-scatter, whose NCCL byte count is nRanks times the per-rank count */
    public boolean isGatherOrScatter() {
        return this == ALL_GATHER || this == REDUCE_SCATTER;
    }

    /**
     * The model's step count: {@code 2(n-1)} for all-reduce, {@code n-1} for all-gather / reduce-scatter,
     * {@code n} otherwise (src/graph/tuning.cc:289-291).
     */
    public int modelSteps(int nRanks) {
        return this == ALL_REDUCE ? 2 * (nRanks - 1) : isGatherOrScatter() ? nRanks - 1 : nRanks;
    }

    /**
     * Network traffic per byte of count, {@code ncclFuncTrafficPerByte} (src/enqueue.cc:91-102): all-reduce 2,
     * all-gather / reduce-scatter nRanks, others 1.
     */
    public int trafficPerByte(int nRanks) {
        return this == ALL_REDUCE ? 2 : isGatherOrScatter() ? nRanks : 1;
    }

    /**
     * The {@code nBytes} NCCL tunes on for a collective whose per-rank {@code count * elemSize} is
     * {@code countBytes}: {@code elementSize * ncclFuncMaxSendRecvCount(func, nRanks, count)}
     * (src/enqueue.cc:2127; src/include/enqueue.h:39-41), i.e. nRanks times that for all-gather and
     * reduce-scatter and that itself otherwise.
     */
    public long ncclBytes(long countBytes, int nRanks) {
        return isGatherOrScatter() ? countBytes * nRanks : countBytes;
    }

    /**
     * Inverse of {@link #ncclBytes}: the per-rank {@code count * elemSize} for NCCL's {@code nBytes}.
     */
    public long countBytes(long ncclBytes, int nRanks) {
        return isGatherOrScatter() ? ncclBytes / nRanks : ncclBytes;
    }

    /**
     * NCCL's {@code nBytes} for an nccl-tests row of {@code size} bytes (the "size" column, -b/-e): nccl-tests
     * takes {@code count = size / elemSize}; all-gather and reduce-scatter then use
     * {@code base = (count / nRanks) & ~(16 / elemSize - 1)} elements per rank (NVIDIA/nccl-tests v2.19.6,
     * src/common.cu:899-912, src/all_gather.cu:10-17, src/reduce_scatter.cu:10-17), so NCCL sees
     * {@code nRanks * base * elemSize} bytes; all-reduce, broadcast and reduce pass {@code count}
     * (src/all_reduce.cu:34-40) and NCCL sees {@code count * elemSize}.
     *
     * @param testSizeBytes the nccl-tests size, at least 0
     * @param elemBytes     the datatype size (4 for the default float), 1..16 and a divisor of 16
     * @param nRanks        ranks in the communicator, at least 1
     */
    public long ncclBytesOfTestSize(long testSizeBytes, int elemBytes, int nRanks) {
        if (testSizeBytes < 0 || elemBytes < 1 || 16 % elemBytes != 0 || nRanks < 1) {
            throw new IllegalArgumentException("need size >= 0, element size dividing 16 and nRanks >= 1, got size "
                    + testSizeBytes + ", element " + elemBytes + ", nRanks " + nRanks);
        }
        long count = testSizeBytes / elemBytes;
        if (!isGatherOrScatter()) {
            return count * elemBytes;
        }
        long base = (count / nRanks) & ~(16L / elemBytes - 1);
        return base * nRanks * elemBytes;
    }
}

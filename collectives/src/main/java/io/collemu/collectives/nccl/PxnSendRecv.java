package io.collemu.collectives.nccl;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.PairSlots;
import io.collemu.collectives.Schedule;
import java.util.Arrays;

/**
 * NCCL's send/recv with PXN (NVIDIA/nccl v2.30.7-1). For a peer on another server, the sender's net
 * connection uses the NIC that NCCL's topology puts next to the GPU with the peer's device index on the
 * sender's server, and with pxnLevel 2 that GPU is the proxy when it reaches the sender over NVLink
 * (src/graph/search.cc:1454-1471, ncclTopoGetNetDev); the receiver always uses its own NIC ("We don't support
 * PXN on receive yet", src/transport/net.cc:355-368). So a pair (s, d) on different servers whose GPUs have
 * different local indices is relayed: s sends over NVLink to {@code g2 = (server(s), local(d))}, which forwards
 * on rail local(d) to d. Where the sender's server has no GPU with that index, NCCL keeps the sender's own NIC
 * (search.cc:1463, {@code g2 == -1}) and so does this schedule: the pair is direct. Same-server and same-rail
 * pairs are direct, as for {@link PxnAllToAll}.
 *
 * <p>Buffers as the ideal send-recv: a rank's input holds one slot of S per pair it sends, in pair order; its
 * output one slot per pair it receives, then one staging slot of S per pair it relays (in pair order), which its
 * forwards read ({@link RelayRankSchedule}). Each pair is cut into C channel pieces. Ops: final receives,
 * relay receives, own sends in stream c, forwards in stream C+c, each depending by byte overlap on the relay
 * receive of the same piece (NCCL's proxy forwards chunk by chunk). Memory: O(pairs + n) once, O(C x the
 * rank's pairs) per {@link #rank} call.
 *
 * <p>Immutable; thread-safe.
 */
final class PxnSendRecv implements TableSchedule.Generator, TableSchedule.Buffers {

    private static final long RELAY_TAG = 1L << 62;

    private final long sizeBytes;
    private final int channels;
    private final PairSlots pairs;
    private final int[] relayOf;
    private final int[] stagingSlot;
    private final int[][] jobsOf;
    private final int relayed;

    private PxnSendRecv(CollectiveRequest request, NcclLayout layout) {
        int n = request.ranks();
        int count = request.pairCount();
        sizeBytes = request.sizeBytes();
        channels = request.channels();
        pairs = new PairSlots(request);
        relayOf = new int[count];
        stagingSlot = new int[count];
        int[] jobCount = new int[n];
        int[][] byLocal = ranksByLocal(layout);
        int relays = 0;
        for (int i = 0; i < count; i++) {
            relayOf[i] = relay(layout, byLocal, pairs.source(i), pairs.destination(i));
            if (relayOf[i] >= 0) {
                stagingSlot[i] = jobCount[relayOf[i]]++;
                relays++;
            }
        }
        relayed = relays;
        jobsOf = new int[n][];
        for (int r = 0; r < n; r++) {
            jobsOf[r] = new int[jobCount[r]];
        }
        for (int i = 0; i < count; i++) {
            if (relayOf[i] >= 0) {
                jobsOf[relayOf[i]][stagingSlot[i]] = i;
            }
        }
    }

    /**
     * NCCL's PXN send/recv for a send-recv request on {@code layout}.
     *
     * @throws CollectiveException for another kind
     */
    static Schedule create(CollectiveRequest request, NcclLayout layout) {
        if (request.kind() != CollectiveKind.SEND_RECV) {
            throw new CollectiveException("pxn send/recv: not a send-recv request: " + request);
        }
        PxnSendRecv g = new PxnSendRecv(request, layout);
        long total = (request.pairCount() + (long) g.relayed) * request.sizeBytes();
        return new TableSchedule(request, NcclSchedules.PXN, g.relayed == 0 ? g.channels : 2 * g.channels, g,
                total, g);
    }

    /** @return for each server, the rank of each local index there, or -1 */
    private static int[][] ranksByLocal(NcclLayout layout) {
        int maxLocal = 0;
        for (int r = 0; r < layout.ranks(); r++) {
            maxLocal = Math.max(maxLocal, layout.localOf(r));
        }
        int[][] byLocal = new int[layout.nodes()][maxLocal + 1];
        for (int[] row : byLocal) {
            Arrays.fill(row, -1);
        }
        for (int r = 0; r < layout.ranks(); r++) {
            byLocal[layout.nodeOf(r)][layout.localOf(r)] = r;
        }
        return byLocal;
    }

    /** @return the proxy of pair (s, d), or -1 when the pair is sent directly */
    private static int relay(NcclLayout layout, int[][] byLocal, int s, int d) {
        int node = layout.nodeOf(s);
        int local = layout.localOf(d);
        if (node == layout.nodeOf(d) || local == layout.localOf(s) || local >= byLocal[node].length) {
            return -1;
        }
        return byLocal[node][local];
    }

    @Override
    public long inputBytes(int rank) {
        return sizeBytes * pairs.sendCount(rank);
    }

    @Override
    public long outputBytes(int rank) {
        return sizeBytes * (pairs.recvCount(rank) + jobsOf[rank].length);
    }

    @Override
    public void emit(int rank, OpTable ops) {
        for (int k = 0; k < pairs.recvCount(rank); k++) {
            int pair = pairs.recv(rank, k);
            int from = relayOf[pair] >= 0 ? relayOf[pair] : pairs.source(pair);
            for (int c = 0; c < channels; c++) {
                ops.recv(from, tag(pair, c), pairs.slotAtDestination(pair) * sizeBytes + offset(c), bytes(c), c,
                        false);
            }
        }
        long staging = sizeBytes * pairs.recvCount(rank);
        int[][] handles = new int[jobsOf[rank].length][channels];
        for (int j = 0; j < jobsOf[rank].length; j++) {
            int pair = jobsOf[rank][j];
            for (int c = 0; c < channels; c++) {
                handles[j][c] = ops.recv(pairs.source(pair), RELAY_TAG | tag(pair, c),
                        staging + j * sizeBytes + offset(c), bytes(c), channels + c, false);
            }
        }
        for (int k = 0; k < pairs.sendCount(rank); k++) {
            int pair = pairs.send(rank, k);
            boolean viaRelay = relayOf[pair] >= 0;
            int to = viaRelay ? relayOf[pair] : pairs.destination(pair);
            for (int c = 0; c < channels; c++) {
                ops.send(to, viaRelay ? RELAY_TAG | tag(pair, c) : tag(pair, c),
                        pairs.slotAtSource(pair) * sizeBytes + offset(c), bytes(c), c);
            }
        }
        for (int j = 0; j < jobsOf[rank].length; j++) {
            int pair = jobsOf[rank][j];
            for (int c = 0; c < channels; c++) {
                ops.forward(pairs.destination(pair), tag(pair, c), staging + j * sizeBytes + offset(c), bytes(c),
                        channels + c, handles[j][c]);
            }
        }
    }

    private long tag(int pair, int c) {
        return (long) pair * channels + c;
    }

    private long offset(int c) {
        return BlockSplit.offsetBytes(sizeBytes, channels, c);
    }

    private long bytes(int c) {
        return BlockSplit.sizeBytes(sizeBytes, channels, c);
    }
}

package io.collemu.collectives.nccl;

import io.collemu.collectives.CollectiveException;
import java.util.Arrays;

/**
 * Where each rank of a communicator sits: its server ({@code node}) and its GPU index in that server
 * ({@code local}), which is also the rail of the NIC next to it (one NIC per GPU, GPU g and NIC g behind one
 * PCIe switch, as on DGX/HGX H100; NVIDIA/nccl v2.30.7-1 src/graph/search.cc:724-816 starts each ring channel
 * on the NIC's local GPU).
 *
 * <p>Rules, checked once on construction (a one-line {@link CollectiveException} names the field otherwise):
 * node indices are {@code 0 .. nodes()-1} with no empty node; local indices are {@code >= 0} and distinct
 * within a node. A node's ranks are ordered by local index into <em>slots</em> {@code 0 .. nodeSize(i)-1};
 * schedules walk slots, so a communicator over a subset of a server's GPUs (locals {0, 4}) works.
 *
 * <p>Uneven servers (nodes of different sizes, or nodes holding different local indices) are accepted by the
 * ring, chain and tree schedules: each node's chains run over its own slots, and an inter-node hop may then
 * cross rails where NCCL would also have to. PXN all-to-all needs a {@link #isRegular() regular} layout and
 * rejects others (NCCL falls back to the sender's own NIC when the peer's rail has no GPU on the sender's node,
 * src/graph/search.cc:1427-1434; that fallback is not modelled).
 *
 * <p>Memory: four int arrays of n (plus one of nodes+1), shared by every schedule built on the layout.
 * Immutable; thread-safe.
 */
public final class NcclLayout {

    private final int[] nodeOfRank;
    private final int[] localOfRank;
    private final int[] slotOfRank;
    private final int[] nodeStart;
    private final int[] rankAtCoordinate;
    private final int gpusPerNode;
    private final boolean uniform;
    private final boolean regular;

    private NcclLayout(int[] nodeOfRank, int[] localOfRank) {
        int n = nodeOfRank.length;
        this.nodeOfRank = nodeOfRank;
        this.localOfRank = localOfRank;
        int nodes = 0;
        for (int r = 0; r < n; r++) {
            nodes = Math.max(nodes, nodeOfRank[r] + 1);
        }
        nodeStart = new int[nodes + 1];
        for (int r = 0; r < n; r++) {
            nodeStart[nodeOfRank[r] + 1]++;
        }
        int largest = 0;
        for (int i = 0; i < nodes; i++) {
            if (nodeStart[i + 1] == 0) {
                throw fail("nodeOfRank", "has no rank on node " + i + " (node indices must be 0.." + (nodes - 1)
                        + " without gaps)");
            }
            largest = Math.max(largest, nodeStart[i + 1]);
            nodeStart[i + 1] += nodeStart[i];
        }
        gpusPerNode = largest;
        rankAtCoordinate = sortByNodeThenLocal(nodeOfRank, localOfRank, nodeStart);
        slotOfRank = new int[n];
        for (int i = 0; i < nodes; i++) {
            for (int q = nodeStart[i]; q < nodeStart[i + 1]; q++) {
                int r = rankAtCoordinate[q];
                if (q > nodeStart[i] && localOfRank[rankAtCoordinate[q - 1]] == localOfRank[r]) {
                    throw fail("localOfRank", "gives ranks " + rankAtCoordinate[q - 1] + " and " + r + " of node " + i
                            + " the same local index " + localOfRank[r]);
                }
                slotOfRank[r] = q - nodeStart[i];
            }
        }
        uniform = n == (long) nodes * largest;
        regular = uniform && sameLocalsEverywhere();
    }

    /**
     * The layout of explicit placements.
     *
     * @param nodeOfRank  server of each rank, {@code 0 .. nodes-1}, every node used
     * @param localOfRank GPU index of each rank in its server (= its NIC's rail), distinct within a node
     * @throws CollectiveException naming the field when a rule is broken
     */
    public static NcclLayout of(int[] nodeOfRank, int[] localOfRank) {
        if (nodeOfRank == null || localOfRank == null) {
            throw fail(nodeOfRank == null ? "nodeOfRank" : "localOfRank", "must be given");
        }
        if (nodeOfRank.length == 0) {
            throw fail("nodeOfRank", "must hold at least one rank");
        }
        if (nodeOfRank.length != localOfRank.length) {
            throw fail("localOfRank", "has " + localOfRank.length + " entries but nodeOfRank has "
                    + nodeOfRank.length);
        }
        for (int r = 0; r < nodeOfRank.length; r++) {
            if (nodeOfRank[r] < 0 || nodeOfRank[r] >= nodeOfRank.length) {
                throw fail("nodeOfRank", "[" + r + "] = " + nodeOfRank[r] + " must be in 0.." + (nodeOfRank.length - 1));
            }
            if (localOfRank[r] < 0) {
                throw fail("localOfRank", "[" + r + "] = " + localOfRank[r] + " must be >= 0");
            }
        }
        return new NcclLayout(nodeOfRank.clone(), localOfRank.clone());
    }

    /**
     * The common case: rank {@code r} is GPU {@code r % gpusPerNode} of server {@code r / gpusPerNode}. When
     * {@code ranks} is not a multiple of {@code gpusPerNode} the last server is partial (an uneven layout).
     *
     * @throws CollectiveException if {@code ranks < 1} or {@code gpusPerNode < 1}
     */
    public static NcclLayout consecutive(int ranks, int gpusPerNode) {
        if (ranks < 1) {
            throw fail("ranks", "must be >= 1, got " + ranks);
        }
        if (gpusPerNode < 1) {
            throw fail("gpusPerNode", "must be >= 1, got " + gpusPerNode);
        }
        int[] node = new int[ranks];
        int[] local = new int[ranks];
        for (int r = 0; r < ranks; r++) {
            node[r] = r / gpusPerNode;
            local[r] = r % gpusPerNode;
        }
        return new NcclLayout(node, local);
    }

    /** @return ranks in the communicator */
    public int ranks() {
        return nodeOfRank.length;
    }

    /** @return servers in the communicator */
    public int nodes() {
        return nodeStart.length - 1;
    }

    /** @return the largest number of ranks on one server (G; every server's size when the layout is uniform) */
    public int gpusPerNode() {
        return gpusPerNode;
    }

    /** @return the server of {@code rank} */
    public int nodeOf(int rank) {
        return nodeOfRank[rank];
    }

    /** @return the GPU index of {@code rank} in its server, i.e. its NIC's rail */
    public int localOf(int rank) {
        return localOfRank[rank];
    }

    /** @return ranks on server {@code node} */
    public int nodeSize(int node) {
        return nodeStart[node + 1] - nodeStart[node];
    }

    /** @return position of {@code rank} among its server's ranks ordered by local index */
    public int slotOf(int rank) {
        return slotOfRank[rank];
    }

    /** @return the rank in slot {@code slot} of server {@code node} */
    public int rankAt(int node, int slot) {
        return rankAtCoordinate[nodeStart[node] + slot];
    }

    /** @return true when every server holds the same number of ranks */
    public boolean isUniform() {
        return uniform;
    }

    /** @return true when every server holds the same set of local indices (so slot s is one rail everywhere) */
    public boolean isRegular() {
        return regular;
    }

    /**
     * Ring search channels S (NCCL's {@code ringGraph.nChannels}): one per NIC, {@code G}, when G is even, so
     * that the channel pairs (2k, 2k+1) of crossNic=2 tile the G NICs; {@code 2G} when G is odd (G NICs cannot
     * be tiled by pairs, two rounds can); 2 for one GPU per server. Channel c uses search channel c mod S
     * (connect.cc:460 duplicates them; later copies repeat them again).
     */
    public int ringSearchChannels() {
        return gpusPerNode % 2 == 0 ? gpusPerNode : 2 * gpusPerNode;
    }

    /** @return first coordinate of {@code node}: coordinates {@code 0..n-1} list the ranks node by node, slot by slot */
    int nodeStart(int node) {
        return nodeStart[node];
    }

    /** @return the rank at coordinate {@code q} */
    int rankAtCoordinate(int q) {
        return rankAtCoordinate[q];
    }

    /** @return the node holding coordinate {@code q}, in {@code [0, n)} */
    int nodeOfCoordinate(int q) {
        if (uniform) {
            return q / gpusPerNode;
        }
        int lo = 0;
        int hi = nodes() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (nodeStart[mid] <= q) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** @return the coordinate of {@code rank} */
    int coordinateOf(int rank) {
        return nodeStart[nodeOfRank[rank]] + slotOfRank[rank];
    }

    private boolean sameLocalsEverywhere() {
        for (int q = gpusPerNode; q < rankAtCoordinate.length; q++) {
            if (localOfRank[rankAtCoordinate[q]] != localOfRank[rankAtCoordinate[q % gpusPerNode]]) {
                return false;
            }
        }
        return true;
    }

    /** Counting sort by node, then each node's ranks by local index (ties impossible after validation). */
    private static int[] sortByNodeThenLocal(int[] nodeOfRank, int[] localOfRank, int[] nodeStart) {
        int n = nodeOfRank.length;
        long[] keys = new long[n];
        int[] fill = Arrays.copyOf(nodeStart, nodeStart.length - 1);
        for (int r = 0; r < n; r++) {
            keys[fill[nodeOfRank[r]]++] = ((long) localOfRank[r] << 32) | r;
        }
        int[] order = new int[n];
        for (int i = 0; i + 1 < nodeStart.length; i++) {
            Arrays.sort(keys, nodeStart[i], nodeStart[i + 1]);
        }
        for (int q = 0; q < n; q++) {
            order[q] = (int) keys[q];
        }
        return order;
    }

    @Override
    public String toString() {
        return "NcclLayout ranks=" + ranks() + " nodes=" + nodes() + " gpusPerNode=" + gpusPerNode
                + (uniform ? "" : " (uneven)");
    }

    private static CollectiveException fail(String field, String what) {
        return new CollectiveException("invalid NCCL layout: " + field + " " + what);
    }
}

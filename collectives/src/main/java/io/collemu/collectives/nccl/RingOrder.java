package io.collemu.collectives.nccl;

/**
 * The rank order of one NCCL ring channel, as arithmetic (nothing per rank is stored).
 *
 * <p>Positions {@code 0..n-1} visit the nodes in index order (connectRings, NVIDIA/nccl v2.30.7-1
 * src/graph/connect.cc:95-113: the exit GPU of node i sends to the entry GPU of node i+1, the last node wraps
 * to node 0). Inside node i the ring is a chain over all its slots given by search channel
 * {@code s_i = s XOR (i odd ? 1 : 0)}: ncclTopoPostset swaps channels c and c^1 on odd nodes ("Alternate rings
 * to avoid crossing rails", connect.cc:401-414). Search channel pair (2k, 2k+1) with {@code a = 2k mod g}
 * (g = the node's size) is, as crossNic=2 builds it (search.cc:593-619, 724-816):
 * <pre>
 *   channel 2k  : NIC a   -> a, a+1, ..., a-1 -> NIC a-1
 *   channel 2k+1: NIC a-1 -> a-1, a-2, ..., a -> NIC a
 * </pre>
 * so node i's exit NIC is node i+1's entry NIC and every inter-node hop stays on one rail, except, with an
 * odd node count, the wrap from the last (even) node to node 0.
 *
 * <p>A single server runs what NCCL's single-node search finds: channel 0 in PCI order (FORCED_ORDER_PCI), every
 * later channel replaying it (FORCED_ORDER_REPLAY, search.cc:862-872), so every channel is the chain of slots
 * {@code 0, 1, ..., G-1} (NCCL's logs print {@code 0 1 2 ... 7} for every channel on an 8-GPU server). For an
 * all-reduce the per-link bytes are the same whatever the order; for a broadcast or reduce chain it decides which
 * links carry data: with one direction each GPU link carries the chain one way only, as on NCCL.
 *
 * <p>Immutable; thread-safe.
 */
final class RingOrder {

    private final NcclLayout layout;
    private final int searchChannel;
    private final int n;

    /**
     * @param layout        the communicator's placement
     * @param searchChannel the search channel of node 0 (channel c uses {@code c mod layout.ringSearchChannels()});
     *                      on a single server every channel replays channel 0
     */
    RingOrder(NcclLayout layout, int searchChannel) {
        this.layout = layout;
        this.searchChannel = layout.nodes() == 1 ? 0 : searchChannel;
        this.n = layout.ranks();
    }

    /** @return ranks in the ring */
    int size() {
        return n;
    }

    /** @return the search channel node {@code node} runs (odd nodes swap c and c^1) */
    int searchChannelOf(int node) {
        return searchChannel ^ (node & 1);
    }

    /** @return the slot where the ring enters {@code node} (the GPU next to its entry NIC) */
    int entrySlot(int node) {
        int g = layout.nodeSize(node);
        int s = searchChannelOf(node);
        int a = (s & ~1) % g;
        return (s & 1) == 0 ? a : (a - 1 + g) % g;
    }

    /** @return +1 when the chain inside {@code node} walks slots upward, -1 downward */
    int direction(int node) {
        return (searchChannelOf(node) & 1) == 0 ? 1 : -1;
    }

    /** @return the rank at {@code position}; any int is taken modulo n */
    int rankAt(int position) {
        int p = position % n;
        if (p < 0) {
            p += n;
        }
        int node = layout.nodeOfCoordinate(p);
        int g = layout.nodeSize(node);
        int j = p - layout.nodeStart(node);
        int slot = Math.floorMod(entrySlot(node) + direction(node) * j, g);
        return layout.rankAt(node, slot);
    }

    /** @return the position of {@code rank}, in {@code [0, n)} */
    int positionOf(int rank) {
        int node = layout.nodeOf(rank);
        int g = layout.nodeSize(node);
        int j = Math.floorMod(direction(node) * (layout.slotOf(rank) - entrySlot(node)), g);
        return layout.nodeStart(node) + j;
    }
}

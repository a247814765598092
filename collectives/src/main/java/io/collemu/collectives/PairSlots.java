package io.collemu.collectives;

/**
 * The buffer slots of a send-recv request's pairs: pair i moves {@code sizeBytes} from its source to its destination;
 * a rank's input holds one slot per pair it sends, in pair order, its output one slot per pair it receives. Built once
 * per schedule: O(pairs + n) memory.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class PairSlots {
    private final int[] sources;
    private final int[] destinations;
    private final int[] slotAtSource;
    private final int[] slotAtDestination;
    private final int[][] sendsOf;
    private final int[][] recvsOf;

    /** The slots of {@code request}'s pairs (a send-recv request). */
    public PairSlots(CollectiveRequest request) {
        int n = request.ranks();
        int pairs = request.pairCount();
        sources = new int[pairs];
        destinations = new int[pairs];
        slotAtSource = new int[pairs];
        slotAtDestination = new int[pairs];
        int[] sendCount = new int[n];
        int[] recvCount = new int[n];
        for (int i = 0; i < pairs; i++) {
            sources[i] = request.pairSource(i);
            destinations[i] = request.pairDestination(i);
            slotAtSource[i] = sendCount[sources[i]]++;
            slotAtDestination[i] = recvCount[destinations[i]]++;
        }
        sendsOf = new int[n][];
        recvsOf = new int[n][];
        for (int r = 0; r < n; r++) {
            sendsOf[r] = new int[sendCount[r]];
            recvsOf[r] = new int[recvCount[r]];
        }
        for (int i = 0; i < pairs; i++) {
            sendsOf[sources[i]][slotAtSource[i]] = i;
            recvsOf[destinations[i]][slotAtDestination[i]] = i;
        }
    }

    /** @return the source rank of pair {@code i} */
    public int source(int i) {
        return sources[i];
    }

    /** @return the destination rank of pair {@code i} */
    public int destination(int i) {
        return destinations[i];
    }

    /** @return pair {@code i}'s slot in its source's input */
    public int slotAtSource(int i) {
        return slotAtSource[i];
    }

    /** @return pair {@code i}'s slot in its destination's output */
    public int slotAtDestination(int i) {
        return slotAtDestination[i];
    }

    /** @return how many pairs {@code rank} sends */
    public int sendCount(int rank) {
        return sendsOf[rank].length;
    }

    /** @return how many pairs {@code rank} receives */
    public int recvCount(int rank) {
        return recvsOf[rank].length;
    }

    /** @return the {@code k}-th pair {@code rank} sends (pair order) */
    public int send(int rank, int k) {
        return sendsOf[rank][k];
    }

    /** @return the {@code k}-th pair {@code rank} receives (pair order) */
    public int recv(int rank, int k) {
        return recvsOf[rank][k];
    }
}

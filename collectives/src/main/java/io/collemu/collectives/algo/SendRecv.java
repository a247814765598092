package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveRequest;

/**
 * Point-to-point pairs (pipeline parallelism). Pair i moves {@code sizeBytes} from its source to its
 * destination. A rank's input holds one slot of {@code sizeBytes} per pair it sends (in pair order), its output
 * one slot per pair it receives. Each pair is cut into C channel pieces; piece c goes in stream c, no
 * dependencies. Per-rank pair lists are built once: O(pairs + n) memory.
 */
final class SendRecv implements MaterializedSchedule.Generator {

    private final long sizeBytes;
    private final int channels;
    private final int[][] sendsOf;
    private final int[][] recvsOf;
    private final int[] slotAtSource;
    private final int[] slotAtDestination;
    private final int[] sources;
    private final int[] destinations;

    SendRecv(CollectiveRequest request) {
        int n = request.ranks();
        int pairs = request.pairCount();
        sizeBytes = request.sizeBytes();
        channels = request.channels();
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

    long inputBytes(int rank) {
        return sizeBytes * sendsOf[rank].length;
    }

    long outputBytes(int rank) {
        return sizeBytes * recvsOf[rank].length;
    }

    @Override
    public void emit(int rank, OpList ops) {
        for (int pair : recvsOf[rank]) {
            for (int c = 0; c < channels; c++) {
                ops.recv(sources[pair], (long) pair * channels + c,
                        slotAtDestination[pair] * sizeBytes + BlockSplit.offsetBytes(sizeBytes, channels, c),
                        BlockSplit.sizeBytes(sizeBytes, channels, c), c, false);
            }
        }
        for (int pair : sendsOf[rank]) {
            for (int c = 0; c < channels; c++) {
                ops.send(destinations[pair], (long) pair * channels + c,
                        slotAtSource[pair] * sizeBytes + BlockSplit.offsetBytes(sizeBytes, channels, c),
                        BlockSplit.sizeBytes(sizeBytes, channels, c), c, true);
            }
        }
    }
}

package io.collemu.collectives.algo;

import io.collemu.collectives.BlockSplit;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.PairSlots;

/**
 * Point-to-point pairs (pipeline parallelism). Pair i moves {@code sizeBytes} from its source to its
 * destination. A rank's input holds one slot of {@code sizeBytes} per pair it sends (in pair order), its output
 * one slot per pair it receives. Each pair is cut into C channel pieces; piece c goes in stream c, no
 * dependencies. Per-rank pair lists are built once: O(pairs + n) memory.
 */
final class SendRecv implements MaterializedSchedule.Generator {

    private final long sizeBytes;
    private final int channels;
    private final PairSlots pairs;

    SendRecv(CollectiveRequest request) {
        sizeBytes = request.sizeBytes();
        channels = request.channels();
        pairs = new PairSlots(request);
    }

    long inputBytes(int rank) {
        return sizeBytes * pairs.sendCount(rank);
    }

    long outputBytes(int rank) {
        return sizeBytes * pairs.recvCount(rank);
    }

    @Override
    public void emit(int rank, OpList ops) {
        for (int k = 0; k < pairs.recvCount(rank); k++) {
            int pair = pairs.recv(rank, k);
            for (int c = 0; c < channels; c++) {
                ops.recv(pairs.source(pair), (long) pair * channels + c,
                        pairs.slotAtDestination(pair) * sizeBytes + BlockSplit.offsetBytes(sizeBytes, channels, c),
                        BlockSplit.sizeBytes(sizeBytes, channels, c), c, false);
            }
        }
        for (int k = 0; k < pairs.sendCount(rank); k++) {
            int pair = pairs.send(rank, k);
            for (int c = 0; c < channels; c++) {
                ops.send(pairs.destination(pair), (long) pair * channels + c,
                        pairs.slotAtSource(pair) * sizeBytes + BlockSplit.offsetBytes(sizeBytes, channels, c),
                        BlockSplit.sizeBytes(sizeBytes, channels, c), c, true);
            }
        }
    }
}

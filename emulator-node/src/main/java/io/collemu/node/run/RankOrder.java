package io.collemu.node.run;

import io.collemu.topology.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which a communicator over the whole fabric lays its ranks on GPUs, as NCCL's ring search does on
 * multi-GPU servers: servers in order, each server's GPUs forward then backward alternately (a snake), so a ring
 * crosses between servers GPU k to GPU k, that is, on one rail: the hop stays under one leaf instead of climbing
 * to the spines, which is the point of a rail-optimized fabric. Without servers, rank r is GPU r. A server's GPUs
 * stay consecutive ranks, so hierarchical algorithms still see whole servers.
 */
public final class RankOrder {
    private RankOrder() {
    }

    /** rank -> GPU for a communicator of every GPU of {@code t}. */
    public static int[] railAware(Topology t) {
        int n = t.gpuCount();
        Map<Integer, List<Integer>> servers = new LinkedHashMap<>();
        for (int g = 0; g < n; g++) {
            int s = t.serverOfGpu(g);
            servers.computeIfAbsent(s < 0 ? -1 - g : s, k -> new ArrayList<>()).add(g);
        }
        int[] out = new int[n];
        int r = 0;
        int index = 0;
        for (List<Integer> gpus : servers.values()) {
            boolean backward = (index++ & 1) == 1;
            for (int i = 0; i < gpus.size(); i++) {
                out[r++] = gpus.get(backward ? gpus.size() - 1 - i : i);
            }
        }
        return out;
    }
}

package io.collemu.topology.model;

/**
 * What a fabric costs, known BEFORE it is built: every builder sizes its fabric from its parameters, and an
 * explicit graph from its node and link lists, without allocating anything in proportion to the fabric. The
 * counts are computed with overflow-checked arithmetic that saturates at {@link Long#MAX_VALUE} ({@link #sum},
 * {@link #product}), so absurd parameters give huge counts, never wrapped negative ones, and
 * {@link FabricLimits} refuses them with a one-line message. The emulator may use the same figures to estimate
 * the cost of a run (LPs per GPU and per port).
 *
 * <p>Heap figures are measured, not guessed: the peak heap while building (builder lists plus the finished
 * {@link Topology}) is about {@value #HEAP_BYTES_PER_NODE} bytes per node and {@value #HEAP_BYTES_PER_PORT} bytes
 * per port (fat-tree k=128: 545 K nodes, 3.1 M ports, built in a 394 MiB heap; single-switch with 1 M GPUs in
 * 379 MiB; rail-optimized 1 M GPUs at radix 1000, 8 M ports, in 835 MiB), and the router keeps one byte per switch
 * for every switch that GPUs attach to and that reaches other switches (fat-tree k=128: 8,192 tables of 20,480
 * switches, 168 MB; measured 194 MB).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param gpus               GPUs (endpoints)
 * @param switches           switches of every tier (an NVSwitch domain counts as one)
 * @param cables             two-way cables; each is two one-way links, i.e. two egress ports
 * @param largestRadix       ports of the largest switch (its radix)
 * @param routingTables      switches the router keeps a distance table for (leaves, edges: attached to GPUs and to
 *                           other switches)
 */
public record FabricCost(long gpus, long switches, long cables, long largestRadix, long routingTables) {
    /** Peak heap per node while building, measured (name, kind, tier, server, name index). */
    public static final long HEAP_BYTES_PER_NODE = 200;
    /** Peak heap per egress port while building, measured (builder lists, then the topology's port arrays). */
    public static final long HEAP_BYTES_PER_PORT = 90;

    public FabricCost {
        if (gpus < 0 || switches < 0 || cables < 0 || largestRadix < 0 || routingTables < 0) {
            throw new IllegalArgumentException("fabric cost counts must be >= 0");
        }
    }

    /** GPUs plus switches. */
    public long nodes() {
        return sum(gpus, switches);
    }

    /** Egress ports: two per cable, one at each end. */
    public long ports() {
        return product(2, cables);
    }

    /** Bytes of the router's distance tables once every destination has been asked for. */
    public long routingTableBytes() {
        return product(routingTables, switches);
    }

    /** Peak heap to build the fabric and fill its routing tables, in bytes (see the class comment). */
    public long heapBytes() {
        return sum(product(nodes(), HEAP_BYTES_PER_NODE), product(ports(), HEAP_BYTES_PER_PORT),
                routingTableBytes());
    }

    /** {@code a + b + ...}, or {@link Long#MAX_VALUE} when it overflows; every term must be >= 0. */
    public static long sum(long... terms) {
        long s = 0;
        for (long t : terms) {
            s = t < 0 || s > Long.MAX_VALUE - t ? Long.MAX_VALUE : s + t;
        }
        return s;
    }

    /** {@code a * b * ...}, or {@link Long#MAX_VALUE} when it overflows; every factor must be >= 0. */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f == 0) {
                return 0;
            }
            try {
                p = Math.multiplyExact(p, f);
            } catch (ArithmeticException e) {
                p = Long.MAX_VALUE;
            }
        }
        return p;
    }
}

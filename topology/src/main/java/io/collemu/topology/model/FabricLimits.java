package io.collemu.topology.model;

import java.util.Locale;

/**
 * How big a fabric this JVM accepts, checked against a {@link FabricCost} before anything is built. Fixed limits
 * come from the model: at most {@value #MAX_GPUS} GPUs (the most ranks one communicator may have, as the
 * collectives module's {@code CollectiveRequest.MAX_RANKS}), switches of at most {@value #MAX_RADIX} ports, at
 * most {@value #MAX_PORTS} ports (port ids are ints). The heap limit comes from the JVM: the fabric and its routing
 * tables may take at most half of the maximum heap ({@link #ofThisJvm()}), the other half is for what uses the
 * fabric (an emulation's LPs, schedules and histograms need far more than the fabric itself).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param maxGpus          most GPUs
 * @param maxRadix         most ports of one switch
 * @param maxPorts         most egress ports
 * @param heapBudgetBytes  most heap for the fabric and its routing tables ({@link FabricCost#heapBytes()})
 * @param maxHeapBytes     the JVM's maximum heap the budget was derived from (named in messages)
 */
public record FabricLimits(long maxGpus, long maxRadix, long maxPorts, long heapBudgetBytes, long maxHeapBytes) {
    /** The most GPUs of a fabric: the most ranks of one communicator (collectives' MAX_RANKS, 2^22). */
    public static final long MAX_GPUS = 1L << 22;
    /** The most ports of one switch; the largest real switches have hundreds. */
    public static final int MAX_RADIX = 100_000;
    /** The most egress ports: port ids are ints, and arrays of them must stay indexable. */
    public static final long MAX_PORTS = 1L << 30;

    /** The fixed limits with a heap budget of half of {@code maxHeapBytes}. */
    public static FabricLimits forHeap(long maxHeapBytes) {
        return new FabricLimits(MAX_GPUS, MAX_RADIX, MAX_PORTS, maxHeapBytes / 2, maxHeapBytes);
    }

    /** The limits for this JVM's maximum heap ({@code -Xmx}). */
    public static FabricLimits ofThisJvm() {
        return forHeap(Runtime.getRuntime().maxMemory());
    }

    /**
     * @return null when the fabric fits, else one line saying which figure is too big and its limit, for the
     *         caller to complete with what to lower (e.g. {@code ": lower k"})
     */
    public String problem(FabricCost c) {
        if (c.gpus() > maxGpus) {
            return "the fabric would have " + count(c.gpus()) + " GPUs (at most " + count(maxGpus)
                    + ", the most ranks of one communicator)";
        }
        if (c.largestRadix() > maxRadix) {
            return "a switch would have " + count(c.largestRadix()) + " ports (at most " + count(maxRadix) + ")";
        }
        if (c.ports() > maxPorts) {
            return "the fabric would have " + count(c.ports()) + " ports (at most " + count(maxPorts) + ")";
        }
        if (c.heapBytes() > heapBudgetBytes) {
            return "the fabric would have " + count(c.ports()) + " ports and " + count(c.nodes()) + " nodes, about "
                    + bytes(c.heapBytes()) + " of heap with its routing tables (limit " + bytes(heapBudgetBytes)
                    + ", half of this JVM's " + bytes(maxHeapBytes) + " maximum heap; raise it with -Xmx, e.g."
                    + " COLLEMU_JAVA_OPTS=-Xmx16g)";
        }
        return null;
    }

    /** A count for people: exact below 10,000, else 3 significant figures with K, M, G, T (1000s). */
    public static String count(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        String[] units = {"K", "M", "G", "T", "P", "E"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** Bytes for people, in binary units (as -Xmx reads them): 512 MiB, 1.5 GiB. */
    public static String bytes(long n) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " bytes" : String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}

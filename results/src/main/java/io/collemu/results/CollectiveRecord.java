package io.collemu.results;

import java.util.Objects;

/**
 * One collective instance as the engine measured it: the row of {@code collectives.csv} and the input of
 * {@code nccl-tests.txt}.
 *
 * <p>Times are picoseconds of virtual time; bandwidths are GB/s with GB = 1e9 bytes, as nccl-tests prints them;
 * segment latencies are nanoseconds (HdrHistogram's recording unit in collemu); energy is joules; bits moved
 * counts every bit sent end to end by every rank for this instance. Immutable and thread-safe.
 *
 * @param job           job name (free text)
 * @param iteration     training iteration or nccl-tests iteration index, from 0
 * @param kind          "all-reduce", "reduce-scatter", "all-gather", "all-to-all", "broadcast", "reduce"
 * @param algorithm     algorithm name, e.g. "ring"
 * @param protocol      NCCL protocol it ran with ("LL", "LL128", "Simple"); "-" in the ideal mode
 * @param sizeBytes     nccl-tests "size": bytes per rank
 * @param countElements nccl-tests "count"
 * @param type          element type, e.g. "float"
 * @param redop         reduction operator, "sum" or "none"
 * @param root          root rank, -1 when the collective has none
 * @param ranks         ranks in the communicator
 * @param channels      parallel channels used
 * @param segmentBytes  pipelining segment size
 * @param startPs       virtual start time
 * @param endPs         virtual end time, not before {@code startPs}
 * @param algbwGBps     sizeBytes / duration, GB/s
 * @param busbwGBps     algbw x the nccl-tests factor of the kind, GB/s
 * @param segments      segments sent
 * @param latencyP50Ns  median segment latency
 * @param latencyP99Ns  99th percentile segment latency
 * @param latencyP999Ns 99.9th percentile segment latency
 * @param latencyMaxNs  largest segment latency
 * @param energyJoules  optics energy attributed to this instance
 * @param bitsMoved     bits moved end to end (the divisor of pJ per bit)
 * @param faults        what faults did to it, in a run with faults; null otherwise
 */
public record CollectiveRecord(String job, int iteration, String kind, String algorithm, String protocol,
                               long sizeBytes, long countElements, String type, String redop, int root,
                               int ranks, int channels, long segmentBytes, long startPs, long endPs,
                               double algbwGBps, double busbwGBps, long segments,
                               long latencyP50Ns, long latencyP99Ns, long latencyP999Ns, long latencyMaxNs,
                               double energyJoules, double bitsMoved, Faults faults) {

    /**
     * What faults did to one instance.
     *
     * @param retransmittedBytes bytes its ranks sent again (go-back-N)
     * @param stallPs            the longest wait of a rank from a lost segment's send to its resend
     * @param failed             whether it did not complete (a rank's retries ran out, or it waited on one that did);
     *                           its end is then when it failed, and its bandwidths are 0
     */
    public record Faults(long retransmittedBytes, long stallPs, boolean failed) {
    }

    /** An instance of a run without faults. */
    public CollectiveRecord(String job, int iteration, String kind, String algorithm, String protocol,
                            long sizeBytes, long countElements, String type, String redop, int root,
                            int ranks, int channels, long segmentBytes, long startPs, long endPs,
                            double algbwGBps, double busbwGBps, long segments,
                            long latencyP50Ns, long latencyP99Ns, long latencyP999Ns, long latencyMaxNs,
                            double energyJoules, double bitsMoved) {
        this(job, iteration, kind, algorithm, protocol, sizeBytes, countElements, type, redop, root, ranks, channels,
            segmentBytes, startPs, endPs, algbwGBps, busbwGBps, segments, latencyP50Ns, latencyP99Ns, latencyP999Ns,
            latencyMaxNs, energyJoules, bitsMoved, null);
    }

    /** Whether the instance failed (a fault interrupted it). */
    public boolean failed() {
        return faults != null && faults.failed();
    }

    public CollectiveRecord {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(redop, "redop");
        if (endPs < startPs) {
            throw new IllegalArgumentException(
                "collective " + kind + " of job " + job + " iteration " + iteration + " ends at " + endPs
                    + " ps before its start at " + startPs + " ps");
        }
    }

    /** @return endPs - startPs, the completion time in picoseconds */
    public long durationPs() {
        return endPs - startPs;
    }

    /** @return optics energy per bit moved, in pJ/bit (NaN when no bit moved) */
    public double picojoulesPerBit() {
        return EnergyMath.pjPerBit(energyJoules, bitsMoved);
    }
}

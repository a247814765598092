package io.collemu.results;

import java.util.List;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * One side of a {@code collemu compare}: the same workload run with one link model. Immutable once built; the
 * histogram must not be recorded into after it is handed over.
 *
 * @param label             link-model preset name, e.g. "cpo"
 * @param collectives       every collective instance of the run
 * @param latency           segment latencies merged across LPs and members, nanoseconds
 * @param opticsIdleWatts   optics power of the whole fabric with no traffic
 * @param opticsLoadedWatts optics power of the whole fabric averaged over the run
 * @param energyJoules      optics energy of the run
 * @param bitsMoved         bits moved end to end in the run
 */
public record RunOutcome(String label, List<CollectiveRecord> collectives, Histogram latency,
                         double opticsIdleWatts, double opticsLoadedWatts, double energyJoules, double bitsMoved) {

    public RunOutcome {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(latency, "latency");
        collectives = List.copyOf(collectives);
    }

    /** @return energy per bit moved end to end, pJ/bit (NaN when no bit moved) */
    public double picojoulesPerBit() {
        return EnergyMath.pjPerBit(energyJoules, bitsMoved);
    }

    /** @return from the first collective's start to the last one's end, picoseconds (0 with no collective) */
    public long makespanPs() {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (CollectiveRecord c : collectives) {
            first = Math.min(first, c.startPs());
            last = Math.max(last, c.endPs());
        }
        return collectives.isEmpty() ? 0 : last - first;
    }
}

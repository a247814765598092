package io.collemu.results;

/**
 * The energy arithmetic shared by the engine and the reports: pJ/bit figures, watts and picoseconds to joules.
 * Pure functions, thread-safe.
 */
public final class EnergyMath {

    private static final double PICO = 1e-12;

    private EnergyMath() {
    }

    /** @return energy of moving {@code bits} through optics spending {@code pjPerBit}, joules */
    public static double dynamicJoules(double bits, double pjPerBit) {
        return bits * pjPerBit * PICO;
    }

    /** @return energy of a constant {@code watts} held for {@code durationPs} picoseconds, joules */
    public static double idleJoules(double watts, long durationPs) {
        return watts * (durationPs * PICO);
    }

    /** @return {@code joules} spread over {@code bits}, pJ/bit; NaN when bits is not positive */
    public static double pjPerBit(double joules, double bits) {
        return bits > 0 ? joules / (bits * PICO) : Double.NaN;
    }

    /** @return {@code bytes} x 8 */
    public static double bits(long bytes) {
        return bytes * 8.0;
    }

    /** @return average power of {@code joules} spent over {@code durationPs}, watts; NaN for an empty duration */
    public static double watts(double joules, long durationPs) {
        return durationPs > 0 ? joules / (durationPs * PICO) : Double.NaN;
    }
}

package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnergyMathTest {

    @ParameterizedTest(name = "{0} bytes at {1} pJ/bit = {2} J")
    @CsvSource({
        "1000000000, 5.6, 0.0448",        // 1 GB through CPO optics
        "1000000000, 21.0, 0.168",        // 1 GB through 800G DSP pluggables (17 W / 800 Gb/s = 21.25)
        "125, 10.0, 1.0e-8",              // 1000 bits
        "0, 21.0, 0.0"})
    void shouldMultiplyBytesByEightAndPicojoulesPerBit(long bytes, double pjPerBit, double joules) {
        assertEquals(joules, EnergyMath.dynamicJoules(EnergyMath.bits(bytes), pjPerBit), joules * 1e-12);
    }

    @ParameterizedTest(name = "{0} W for {1} ps = {2} J")
    @CsvSource({
        "17.0, 1000000000000, 17.0",      // one second
        "9.0, 1000000, 9.0e-6",           // one microsecond
        "30.0, 0, 0.0"})
    void shouldIntegrateIdlePowerOverPicoseconds(double watts, long durationPs, double joules) {
        assertEquals(joules, EnergyMath.idleJoules(watts, durationPs), Math.abs(joules) * 1e-12);
    }

    @Test
    void shouldInvertDynamicJoulesIntoPicojoulesPerBit() {
        double bits = EnergyMath.bits(3L << 30);
        double joules = EnergyMath.dynamicJoules(bits, 18.75);
        assertEquals(18.75, EnergyMath.pjPerBit(joules, bits), 1e-9);
        // a 17 W module at 800 Gb/s spends 21.25 pJ per bit
        assertEquals(21.25, EnergyMath.pjPerBit(EnergyMath.idleJoules(17.0, 1_000_000_000_000L), 800e9), 1e-9);
    }

    @Test
    void shouldGiveNanPerBitWhenNoBitMoved() {
        assertTrue(Double.isNaN(EnergyMath.pjPerBit(1.0, 0)));
        assertTrue(Double.isNaN(EnergyMath.watts(1.0, 0)));
        assertEquals(2.0, EnergyMath.watts(2e-6, 1_000_000), 1e-12);
    }
}

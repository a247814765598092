package io.collemu.profiles.expr;

/**
 * A number with its dimension, the result of evaluating a profile expression: {@code 25M} is 26,214,400
 * {@link Dim#BYTES}, {@code 3ms} is 3e9 {@link Dim#TIME} (picoseconds), {@code 7e9} is a plain number.
 *
 * <p>Immutable value.
 *
 * @param value bytes for {@link Dim#BYTES}, picoseconds for {@link Dim#TIME}, the number otherwise
 * @param dim   what the value measures
 */
public record Quantity(double value, Dim dim) {

    /** What a quantity measures. Arithmetic keeps it consistent: bytes / bytes is a number, bytes + time fails. */
    public enum Dim {
        NONE, BYTES, TIME;

        String label() {
            return switch (this) {
                case NONE -> "a number";
                case BYTES -> "a size";
                case TIME -> "a duration";
            };
        }
    }

    /** @return a plain number */
    public static Quantity number(double value) {
        return new Quantity(value, Dim.NONE);
    }

    /** @return true when the value is a whole number (within rounding of a double) */
    public boolean isWhole() {
        return Double.isFinite(value) && Math.abs(value - Math.rint(value)) < 1e-9 * Math.max(1, Math.abs(value));
    }

    /** @return the value as text: an integer when whole, else the shortest double text */
    public String format() {
        if (isWhole() && Math.abs(value) < 9.0e18) {
            return Long.toString(Math.round(value));
        }
        return Double.toString(value);
    }
}

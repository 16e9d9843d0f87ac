package dev.ioengine.badinput;

import java.util.Objects;

/**
 * One row of a differential bad-input table: an entry point of the channels or the provider called with one kind
 * of bad argument, run on the JDK's provider (the reference) and on io-engine's. {@code expected} is what the JDK
 * does, checked too (an exception type, or {@code null} when the call returns a value; then both must return the
 * same value).
 */
record DifferentialCase(String entryPoint, String argument, Class<? extends Throwable> expected, boolean specOnly,
        Call call) {

    @FunctionalInterface
    interface Call {
        Object run(Side side) throws Throwable;
    }

    static DifferentialCase throwing(String entryPoint, String argument, Class<? extends Throwable> expected,
            Call call) {
        return new DifferentialCase(entryPoint, argument, Objects.requireNonNull(expected), false, call);
    }

    /**
     * A case where the JDK throws a subclass of the type its specification names (a quirk of its implementation):
     * io-engine must throw the specified type, not necessarily the JDK's subclass.
     */
    static DifferentialCase perSpec(String entryPoint, String argument, Class<? extends Throwable> specified,
            Call call) {
        return new DifferentialCase(entryPoint, argument, Objects.requireNonNull(specified), true, call);
    }

    static DifferentialCase returning(String entryPoint, String argument, Call call) {
        return new DifferentialCase(entryPoint, argument, null, false, call);
    }

    /** What the call did on {@code side}: "returned <value>" or "threw <exception class>". */
    Outcome outcome(Side side) {
        try {
            return new Outcome(String.valueOf(call.run(side)), null);
        } catch (Throwable t) {
            return new Outcome(null, t);
        }
    }

    record Outcome(String value, Throwable thrown) {
        String describe() {
            return thrown == null ? "returned " + value : "threw " + thrown.getClass().getName() + ": " + thrown.getMessage();
        }

        Class<?> thrownType() {
            return thrown == null ? null : thrown.getClass();
        }
    }

    @Override
    public String toString() {
        return entryPoint + " <- " + argument + " => " + (expected == null ? "a value" : expected.getSimpleName());
    }
}

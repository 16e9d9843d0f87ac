package dev.ioengine.badinput;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * One row of a bad-input table: an entry point called with one kind of bad argument, and the exception it must
 * throw (type and a fragment of the message; an empty fragment when the JDK's own message is not specified).
 *
 * @param <F> the fixture the call runs against (an engine, a pair of channels, a provider)
 */
record BadInputCase<F>(String entryPoint, String argument, Class<? extends Throwable> expected, String message,
        ThrowingConsumer<F> call) {

    static <F> BadInputCase<F> of(String entryPoint, String argument, Class<? extends Throwable> expected,
            String message, ThrowingConsumer<F> call) {
        return new BadInputCase<>(entryPoint, argument, expected, message, call);
    }

    void check(F fixture) {
        var thrown = assertThatThrownBy(() -> call.accept(fixture))
                .as("%s with %s", entryPoint, argument)
                .isInstanceOf(expected);
        if (!message.isEmpty()) {
            thrown.hasMessageContaining(message);
        }
    }

    @Override
    public String toString() {
        return entryPoint + " <- " + argument + " => " + expected.getSimpleName();
    }
}

package dev.ioengine;

/**
 * Receives a completed {@link IoRequest}: inspect {@link IoRequest#isSuccess()}, {@link IoRequest#result()} and
 * {@link IoRequest#exception()}. Runs exactly once per submission, on the thread the engine's
 * {@link CompletionMode} says. A callback that throws is logged and does not disturb the engine.
 */
@FunctionalInterface
public interface IoCallback {
    void onComplete(IoRequest request);
}

package dev.ioengine;

/** Where an engine delivers completed requests. */
public enum CompletionMode {
    /**
     * The request's {@link IoCallback} runs on the engine's reaper thread, right after the kernel reports it.
     * Cheapest; callbacks must be short and must not block.
     */
    INLINE,
    /** The callback runs on {@link IoEngineConfig#completionExecutor()}. */
    EXECUTOR,
    /**
     * Completed requests wait in a queue until the caller takes them with {@link IoEngine#poll()} or
     * {@link IoEngine#poll(long, java.util.concurrent.TimeUnit)}; callbacks, if set, run on the polling thread.
     */
    POLLED
}

package dev.ioengine.internal.engine;

import dev.ioengine.IoRequest;
import java.lang.invoke.MethodHandles;

/**
 * The engine's side of {@link IoRequest}: the state changes only engines may make. {@code IoRequest} installs the
 * one implementation from its static initializer (the JDK's "shared secrets" pattern), so the public class shows
 * no completion setters to users.
 */
public abstract class RequestAccess {
    private static volatile RequestAccess instance;

    /** Called once, by {@code IoRequest}'s static initializer. */
    public static void install(RequestAccess access) {
        if (instance != null) {
            throw new IllegalStateException("RequestAccess already installed");
        }
        instance = access;
    }

    /** The implementation, initializing {@code IoRequest} first if needed. */
    public static RequestAccess get() {
        RequestAccess a = instance;
        if (a == null) {
            try {
                MethodHandles.lookup().ensureInitialized(IoRequest.class);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            a = instance;
        }
        return a;
    }

    /** Validates a prepared request for submission and marks it in flight, stamping its submit time. */
    public abstract void markInFlight(IoRequest r, long nanos);

    /** Undoes {@link #markInFlight} for a request the engine did not accept. */
    public abstract void rollback(IoRequest r);

    public abstract long submitNanos(IoRequest r);

    /** Publishes the outcome and wakes a thread in {@code await}. Exactly once per submission. */
    public abstract void complete(IoRequest r, long result, int errno, Throwable failure);

    public abstract IoRequest[] mergedParts(IoRequest r);

    public abstract void setMergedParts(IoRequest r, IoRequest[] parts);

    /** The request's link in a {@link RequestQueue} (a volatile read). */
    public abstract IoRequest queueNext(IoRequest r);

    /** Sets the request's link in a {@link RequestQueue} (a volatile write). */
    public abstract void setQueueNext(IoRequest r, IoRequest next);
}

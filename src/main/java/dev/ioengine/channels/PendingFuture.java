package dev.ioengine.channels;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Future} of an asynchronous channel operation. Only the channel completes it; callers may only wait,
 * look and cancel. Cancelling works as the JDK's {@code sun.nio.ch.PendingFuture}: it succeeds once, only while
 * the operation is pending, and a forceful cancel ({@code mayInterruptIfRunning}) closes the channel (whose close
 * waits for the kernel). A cancel that succeeds returns only once the kernel is done with the caller's buffer
 * ({@link #onCancel}), except on the engine's own thread, which cannot wait for itself: the caller may then reuse
 * the buffer at once. (The buffer's contents are unspecified, as the AsynchronousFileChannel spec allows.)
 */
final class PendingFuture<V> implements Future<V> {
    private final CompletableFuture<V> result = new CompletableFuture<>();
    /** Closed by a forceful cancel; null for an already-completed future. */
    private final Closeable channel;
    /** Run by a cancel that succeeded without closing the channel: waits until the kernel is done; or null. */
    private volatile Runnable onCancel;

    PendingFuture(Closeable channel) {
        this.channel = channel;
    }

    static <V> PendingFuture<V> completed(V value, Throwable failure) {
        PendingFuture<V> f = new PendingFuture<>(null);
        if (failure != null) {
            f.fail(failure);
        } else {
            f.succeed(value);
        }
        return f;
    }

    /** What a successful cancel runs before it returns, unless it closes the channel: see the class comment. */
    void onCancel(Runnable waitForKernel) {
        this.onCancel = waitForKernel;
    }

    /** False if it was cancelled (or already complete). */
    boolean succeed(V value) {
        return result.complete(value);
    }

    boolean fail(Throwable failure) {
        return result.completeExceptionally(failure);
    }

    /** True only for the call that cancelled a pending operation; a forceful cancel also closes the channel. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        // completeExceptionally with a CancellationException is what CompletableFuture.cancel does, except that it
        // says whether this call did it (cancel answers true for an already-cancelled future).
        boolean cancelled = result.completeExceptionally(new CancellationException());
        if (cancelled && mayInterruptIfRunning && channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // As the JDK: the cancel stands whatever close reports.
            }
        } else if (cancelled) {
            Runnable wait = onCancel;
            if (wait != null) {
                wait.run();
            }
        }
        return cancelled;
    }

    @Override
    public boolean isCancelled() {
        return result.isCancelled();
    }

    @Override
    public boolean isDone() {
        return result.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        return result.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return result.get(timeout, unit);
    }

    @Override
    public String toString() {
        return "PendingFuture[" + result + "]";
    }
}

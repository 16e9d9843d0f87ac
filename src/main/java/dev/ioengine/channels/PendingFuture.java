package dev.ioengine.channels;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Future} of an asynchronous channel operation. Only the channel completes it; callers may only wait,
 * look and cancel. Cancelling marks it cancelled and nothing more: the IO may still complete in the kernel, and
 * its buffer stays referenced until then (as the AsynchronousFileChannel spec allows, the buffer's contents are
 * then unspecified).
 */
final class PendingFuture<V> implements Future<V> {
    private final CompletableFuture<V> result = new CompletableFuture<>();

    static <V> PendingFuture<V> completed(V value, Throwable failure) {
        PendingFuture<V> f = new PendingFuture<>();
        if (failure != null) {
            f.fail(failure);
        } else {
            f.succeed(value);
        }
        return f;
    }

    /** False if it was cancelled (or already complete). */
    boolean succeed(V value) {
        return result.complete(value);
    }

    boolean fail(Throwable failure) {
        return result.completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return result.cancel(mayInterruptIfRunning);
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

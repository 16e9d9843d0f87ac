package dev.ioengine.internal.files;

import dev.ioengine.internal.linux.LibC;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file descriptor number with a count of the IO using it, closed only once it was asked to close and the last
 * user is gone: so the number cannot be reused by another file while the kernel may still read or write through
 * it. The one implementation behind {@code dev.ioengine.IoFile} (each request in flight holds a reference) and the
 * channels' {@code Descriptor} (each operation holds one, and close waits for the number to close).
 *
 * <p>State: one long, {@code references << 1 | closedBit}. {@link #acquire()} adds a reference unless closed;
 * whoever brings the state to "closed, no references" closes the number, which happens exactly once, and then runs
 * {@link #afterClose()}. Thread-safe.
 */
public class CountedDescriptor {
    /** In {@link #state}: set by {@link #close()}. */
    private static final long CLOSED = 1;
    /** In {@link #state}: one reference, counted above the closed bit. */
    private static final long ONE_REFERENCE = 2;

    private final int fd;
    private final AtomicLong state = new AtomicLong();

    /** Takes ownership of the open descriptor {@code fd}. */
    public CountedDescriptor(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor must not be negative: " + fd);
        }
        this.fd = fd;
    }

    /** The descriptor number: valid while a reference is held, or before {@link #close()}. */
    public final int fd() {
        return fd;
    }

    /** Takes a reference; false once {@link #close()} was called. */
    public final boolean acquire() {
        while (true) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + ONE_REFERENCE)) {
                return true;
            }
        }
    }

    /**
     * Takes a reference if the number is still open, even after {@link #close()} was called (while IO in flight
     * keeps it open): for a caller that only needs the number to name the file, such as a cancel. False once the
     * number is closed.
     */
    public final boolean acquireOpenNumber() {
        while (true) {
            long s = state.get();
            if (s == CLOSED) {
                return false;
            }
            if (state.compareAndSet(s, s + ONE_REFERENCE)) {
                return true;
            }
        }
    }

    /** Drops a reference taken by {@link #acquire()}; the last one after close closes the number. */
    public final void release() {
        long s = state.addAndGet(-ONE_REFERENCE);
        if (s == CLOSED) {
            closeNumber();
        }
    }

    /** True once {@link #close()} was called (the number may stay open for IO still holding it). */
    public final boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Closes the number now if no reference is held, else when the last one is released. Idempotent. */
    public final void close() {
        long s = state.getAndUpdate(v -> v | CLOSED);
        if (s == 0) {
            closeNumber();
        }
    }

    private void closeNumber() {
        LibC.close(fd);
        afterClose();
    }

    /** Runs once, on the thread that closed the number, right after. Nothing by default. */
    protected void afterClose() {
    }

    /** The references held now. */
    public final long references() {
        return state.get() >> 1;
    }

    @Override
    public String toString() {
        return "fd " + fd + (isClosed() ? " (closed)" : "") + ", " + references() + " references";
    }
}

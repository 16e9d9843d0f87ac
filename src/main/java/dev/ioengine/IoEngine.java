package dev.ioengine;

import dev.ioengine.internal.engine.Backends;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A submit/poll engine for file IO: requests go in ({@link #submit}), are batched to the kernel (one
 * {@code io_uring_enter} or {@code io_submit} per batch), and come back completed, delivered as
 * {@link IoEngineConfig#completionMode()} says. One engine serves any number of files: each request carries its
 * file descriptor.
 *
 * <p>Backpressure: at most {@link IoEngineConfig#maxInFlight()} requests are accepted and not yet complete;
 * {@link #submit} blocks while the engine is full, {@link #trySubmit} says so instead. Nothing spins.
 *
 * <p>Close drains: {@link #close()} stops accepting, lets every accepted request complete (each with its result),
 * and only then releases the ring or context, its memory and its threads. Threads are named daemon threads.
 *
 * <p>Thread-safe: any thread may submit, poll and close.
 */
public interface IoEngine extends AutoCloseable {

    /** Opens an engine configured from the {@code ioengine.*} system properties (see {@link IoEngineConfig}). */
    static IoEngine open() throws IOException {
        return open(IoEngineConfig.fromSystemProperties());
    }

    /**
     * Opens an engine as configured. {@link EngineKind#AUTO} picks io_uring, then Linux AIO, then threads.
     *
     * @throws IOException if the engine asked for is unavailable (the message says why; see
     *     {@link EngineAvailability#probe(EngineKind)}) or cannot be set up
     */
    static IoEngine open(IoEngineConfig config) throws IOException {
        return Backends.open(config);
    }

    /** Which engine this is (never {@link EngineKind#AUTO}). */
    EngineKind kind();

    IoEngineConfig config();

    /**
     * Accepts a prepared request, waiting while the engine is full.
     *
     * @throws IllegalArgumentException if the request is not prepared, or reads into read-only memory
     * @throws IllegalStateException if the request is already in flight, or the engine is closed
     * @throws InterruptedException if interrupted while waiting for room; the request was not accepted
     */
    void submit(IoRequest request) throws InterruptedException;

    /**
     * Accepts a prepared request if there is room now.
     *
     * @return false, with the request not accepted, when {@link IoEngineConfig#maxInFlight()} requests are in
     *     flight
     * @throws IllegalArgumentException as {@link #submit}
     * @throws IllegalStateException as {@link #submit}
     */
    boolean trySubmit(IoRequest request);

    /**
     * Does a read or write now, on the calling thread, if the kernel can without waiting: {@code preadv2} /
     * {@code pwritev2} with {@code RWF_NOWAIT}, which the kernel serves from the page cache and refuses when it
     * would wait for the device or a lock. Then the request completes as if submitted (its result, its callback
     * in this engine's {@link CompletionMode}, the statistics) before this returns true; else this returns
     * false, the request untouched, and the caller submits it. A page-cache hit so costs one system call, as a
     * plain {@code pread} does, instead of a trip through the engine's queue and threads.
     *
     * <p>Use it for files opened without {@code O_DIRECT} (with O_DIRECT the call would wait for the device). It
     * answers false at once for requests other than reads and writes, when {@link IoEngineConfig#nowait()} is
     * off, and for files whose file system cannot serve it (each such call costs a refused system call:
     * callers that see only refusals for a file should stop asking for it). The count may be short (the bytes up to the first page not cached): continue
     * with {@link IoRequest#prepareRemainder()} as after any short transfer.
     *
     * @throws IllegalArgumentException as {@link #submit}
     * @throws IllegalStateException as {@link #submit}
     */
    boolean tryNow(IoRequest request);

    /**
     * Asks the engine to cancel the requests on {@code file} that it has accepted and not yet completed, for a
     * caller about to close the file: those still queued in the engine are taken back, and those in the kernel are
     * cancelled where the kernel can (io_uring's {@code IORING_OP_ASYNC_CANCEL}; a system call already running on a
     * worker thread, or a Linux AIO file request, runs to its end). Every request still completes exactly once: a
     * cancelled one with {@code ECANCELED}, the others with their result. Returns without waiting for them. Called
     * after {@link IoFile#close()}, it still cancels the requests keeping the file's descriptor open. A no-op here,
     * for engines that cancel nothing.
     *
     * @throws NullPointerException if {@code file} is null
     */
    default void cancel(IoFile file) {
        Objects.requireNonNull(file, "file");
    }

    /**
     * Submits and waits: the convenience for blocking callers.
     *
     * @return the request's {@link IoRequest#result()}
     * @throws IOException the request's {@link IoRequest#exception()} if it failed
     * @throws InterruptedException if interrupted before the request was accepted or while waiting; in the
     *     latter case the request is still in flight and completes later
     */
    default long execute(IoRequest request) throws IOException, InterruptedException {
        submit(request);
        request.await();
        IOException failure = request.exception();
        if (failure != null) {
            throw failure;
        }
        return request.result();
    }

    /**
     * In {@link CompletionMode#POLLED} mode, the next completed request, or null if none is waiting. Its callback,
     * if any, has run on this thread before it is returned.
     *
     * @throws IllegalStateException in the other modes
     */
    IoRequest poll();

    /** As {@link #poll()}, waiting up to the given time. */
    IoRequest poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** A snapshot of the engine's counters and histograms. */
    EngineStats stats();

    /** False once {@link #close()} has begun. */
    boolean isOpen();

    /**
     * Stops accepting requests, waits until every accepted request has completed, then releases the engine's
     * kernel resources, memory and threads. Idempotent. Called from one of the engine's own threads (a
     * callback), it starts the close and returns without waiting.
     */
    @Override
    void close();
}

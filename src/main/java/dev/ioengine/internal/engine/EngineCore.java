package dev.ioengine.internal.engine;

import dev.ioengine.CompletionMode;
import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import dev.ioengine.IoCallback;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.files.CountedDescriptor;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every engine shares: accepting requests under the in-flight cap (backpressure), completing them exactly
 * once (statistics, merged requests split back, delivery by completion mode), and closing by draining.
 *
 * <p>A backend implements three things: {@link #enqueue(IoRequest)} hands it an accepted request (on the
 * submitting thread; it must not block on IO), it calls {@link #complete(IoRequest, long)} exactly once per
 * request it was given, and {@link #closeBackend()} releases its kernel resources and stops its threads once
 * every accepted request has completed.
 *
 * <p>Close protocol: {@code closing} is set first, so no request is accepted after it; each accepted request
 * holds one of {@code maxInFlight} permits until it completes; close then takes all the permits, which it can
 * only do when nothing is in flight, and only then calls {@link #closeBackend()}.
 *
 * <p>Fault injection (tests only): an engine constructed under a name given to {@link FaultInjection#install}
 * keeps that {@link FaultInjector}; {@link #complete} passes every kernel result through it and backends ask
 * {@link #admitSubmission(int)} before each kernel submission. Without one, both are a null check.
 */
public abstract class EngineCore implements IoEngine {
    private static final RequestAccess ACCESS = RequestAccess.get();
    private static final System.Logger LOG = LazyLogger.named("dev.ioengine");

    private final EngineKind kind;
    private final IoEngineConfig config;
    private final Semaphore permits;
    private final StatsRecorder stats = new StatsRecorder();
    private final Set<Thread> engineThreads = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingQueue<IoRequest> polled;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** The thread finishing a close begun on an engine thread, joined by later close() calls; else null. */
    private volatile Thread closer;
    /** The test seam's injector ({@link FaultInjection}); null in production, where it costs one null check. */
    private final FaultInjector faults;
    /** The backend's loop turns, if its loop runs callbacks under {@link LoopTurns}; else null. */
    private LoopTurns turns;
    /** The engine's registered MBean ({@link EngineMBeans}), or null. */
    private volatile Object mbean;

    protected EngineCore(EngineKind kind, IoEngineConfig config) {
        this.kind = kind;
        this.config = config;
        this.faults = FaultInjection.take(config.name());
        this.permits = new Semaphore(config.maxInFlight());
        this.polled = config.completionMode() == CompletionMode.POLLED ? new LinkedBlockingQueue<>() : null;
    }

    // ---- backend contract ------------------------------------------------------------------------------------

    /**
     * Hands an accepted request to the backend. Called on the submitting thread, after the request is marked in
     * flight and holds a permit. Must not block on IO; may throw only if the backend is broken, in which case the
     * request is failed here.
     */
    protected abstract void enqueue(IoRequest request);

    /** Releases kernel resources and stops the backend's threads; called once, when nothing is in flight. */
    protected abstract void closeBackend();

    /**
     * {@link #cancel(IoFile)} for the backend: takes back the requests on {@code fd} still in its queues (completing
     * them with {@code -ECANCELED} through {@link #complete}), and asks the kernel to cancel those it holds where
     * it can. Called on any thread, never after {@link #closeBackend()} began. A backend that keeps no queue and
     * cannot cancel in the kernel leaves it as it is: its requests complete with their results.
     */
    protected void cancelRequests(int fd) {
    }

    // ---- accepting -------------------------------------------------------------------------------------------

    @Override
    public final EngineKind kind() {
        return kind;
    }

    @Override
    public final IoEngineConfig config() {
        return config;
    }

    @Override
    public final void submit(IoRequest request) throws InterruptedException {
        checkOpen();
        if (isEngineThread()) {
            // A callback on the reaper thread must never wait for room: only that thread could make it. On a loop
            // that takes turns, it passes its turn on first, and then it may wait as any thread.
            if (!permits.tryAcquire()) {
                if (!LoopTurns.releaseTurn()) {
                    throw new RejectedExecutionException(
                            "engine full (" + config.maxInFlight() + " in flight); a callback must use trySubmit");
                }
                permits.acquire();
            }
        } else {
            permits.acquire();
        }
        accept(request);
    }

    @Override
    public final boolean trySubmit(IoRequest request) {
        checkOpen();
        if (!permits.tryAcquire()) {
            return false;
        }
        accept(request);
        return true;
    }

    private void accept(IoRequest request) {
        if (closing.get()) {
            permits.release();
            throw closedException();
        }
        try {
            ACCESS.markInFlight(request, System.nanoTime());
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        stats.submitted();
        try {
            enqueue(request);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "io-engine " + kind + ": backend refused a request", e);
            completeFailed(request, e);
        }
    }

    /** The test seam's injector, or null: see {@link FaultInjection#of}. */
    final FaultInjector faults() {
        return faults;
    }

    @Override
    public final boolean tryNow(IoRequest request) {
        checkOpen();
        if (request.op() == null) {
            throw new IllegalArgumentException("request was never prepared");
        }
        // With a fault injector installed every request must meet it in the backend: none is served here.
        if (!config.nowait() || faults != null || !request.op().transfersData()) {
            return false;
        }
        ACCESS.markInFlight(request, 0); // its latency is not recorded: see StatsRecorder.immediate
        long result;
        try {
            result = NowaitTransfer.attempt(request);
        } catch (RuntimeException | Error e) {
            // Nothing reached the kernel's file: the request is the caller's again, as after a refusal.
            ACCESS.rollback(request);
            throw e;
        }
        if (result == NowaitTransfer.WOULD_WAIT) {
            ACCESS.rollback(request);
            return false;
        }
        stats.immediate();
        // No permit was taken (the request never queued), so none goes back.
        ACCESS.complete(request, result, 0, null);
        deliver(request);
        return true;
    }

    @Override
    public final void cancel(IoFile file) {
        CountedDescriptor descriptor = ACCESS.descriptor(Objects.requireNonNull(file, "file"));
        // Once close began nothing new is accepted and the drain completes what is in flight: nothing to do. A
        // descriptor already closed has no request left. The reference keeps the number from closing, and being
        // reused by another file, while its requests are looked up by number.
        if (closing.get() || !descriptor.acquireOpenNumber()) {
            return;
        }
        try {
            cancelRequests(descriptor.fd());
        } finally {
            descriptor.release();
        }
    }

    private void checkOpen() {
        if (closing.get()) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("io-engine " + kind + " engine '" + config.name() + "' is closed");
    }

    // ---- completing ------------------------------------------------------------------------------------------

    /**
     * Completes a request the backend was given: {@code kernelResult} is the kernel's return value, bytes transferred
     * (or 0) when non-negative, {@code -errno} when negative. A merged request is split back into its parts.
     * With a {@link FaultInjector} installed, its {@link FaultInjector#onComplete} answer replaces the result.
     */
    protected final void complete(IoRequest request, long kernelResult) {
        FaultInjector f = faults;
        long result = f == null ? kernelResult : injectedResult(f, request, kernelResult);
        IoRequest[] parts = ACCESS.mergedParts(request);
        if (parts == null) {
            finish(request, result >= 0 ? result : 0, result >= 0 ? 0 : (int) -result, null);
            return;
        }
        stats.merged(parts.length - 1);
        long remaining = result;
        for (IoRequest part : parts) {
            if (result < 0) {
                finish(part, 0, (int) -result, null);
            } else {
                long mine = Math.min(part.length(), remaining);
                remaining -= mine;
                finish(part, mine, 0, null);
            }
        }
    }

    /**
     * The injector's answer for a completion, held to its contract: never more bytes than the kernel moved; an
     * injector that throws changes nothing (the request must still complete).
     */
    private long injectedResult(FaultInjector f, IoRequest request, long kernelResult) {
        long injected;
        try {
            injected = f.onComplete(request, kernelResult);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "io-engine " + kind + ": fault injector threw; the kernel's result stands", e);
            return kernelResult;
        }
        if (injected >= 0 && (kernelResult < 0 || injected > kernelResult)) {
            return kernelResult;
        }
        return injected;
    }

    /**
     * Called by a backend just before a kernel submission of {@code count} requests: {@code count} without a
     * {@link FaultInjector} (the production case: one null check), else the injector's
     * {@link FaultInjector#onSubmitBatch} answer, {@code 1..count} requests to submit or a {@code -errno} to
     * handle as the kernel's (the backend retries EINTR and EAGAIN as its own system call's).
     */
    protected final int admitSubmission(int count) {
        FaultInjector f = faults;
        if (f == null) {
            return count;
        }
        int answer;
        try {
            answer = f.onSubmitBatch(count);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "io-engine " + kind + ": fault injector threw; the submission goes ahead", e);
            return count;
        }
        return answer == 0 || answer > count ? count : answer;
    }

    /** Completes a request with a failure of the engine's own (not an errno). Merged requests are split. */
    protected final void completeFailed(IoRequest request, Throwable failure) {
        IoRequest[] parts = ACCESS.mergedParts(request);
        if (parts == null) {
            finish(request, 0, 0, failure);
            return;
        }
        for (IoRequest part : parts) {
            finish(part, 0, 0, failure);
        }
    }

    private void finish(IoRequest request, long result, int errno, Throwable failure) {
        stats.completed(System.nanoTime() - ACCESS.submitNanos(request), errno != 0 || failure != null);
        ACCESS.complete(request, result, errno, failure);
        // The permit goes back before the callback runs, so a callback may submit again without deadlock.
        permits.release();
        deliver(request);
    }

    private void deliver(IoRequest request) {
        switch (config.completionMode()) {
            case INLINE -> {
                LoopTurns t = turns;
                if (t != null && t.holdsLoop()) {
                    t.defer(request); // the loop delivers it once it is done with the kernel
                } else {
                    runCallback(request);
                }
            }
            case EXECUTOR -> {
                IoCallback callback = request.callback();
                if (callback == null) {
                    return;
                }
                Executor executor = config.completionExecutor();
                try {
                    executor.execute(() -> runCallback(request));
                } catch (RejectedExecutionException e) {
                    LOG.log(Level.WARNING, "io-engine " + kind + ": completion executor rejected a callback; "
                            + "running it on the engine thread", e);
                    runCallback(request);
                }
            }
            case POLLED -> polled.add(request);
        }
    }

    void runCallback(IoRequest request) {
        IoCallback callback = request.callback();
        if (callback == null) {
            return;
        }
        try {
            callback.onComplete(request);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "io-engine " + kind + ": completion callback threw; the engine goes on", t);
        }
    }

    @Override
    public final IoRequest poll() {
        checkPolled();
        IoRequest r = polled.poll();
        if (r != null) {
            runCallback(r);
        }
        return r;
    }

    @Override
    public final IoRequest poll(long timeout, TimeUnit unit) throws InterruptedException {
        checkPolled();
        IoRequest r = polled.poll(timeout, unit);
        if (r != null) {
            runCallback(r);
        }
        return r;
    }

    private void checkPolled() {
        if (polled == null) {
            throw new IllegalStateException("poll() needs CompletionMode.POLLED; this engine delivers "
                    + config.completionMode());
        }
    }

    // ---- statistics, threads, closing ----------------------------------------------------------------------

    /** Records one kernel submission of {@code requests} requests (merged ones count once). */
    protected final void recordBatch(int requests) {
        stats.batch(requests);
    }

    @Override
    public final EngineStats stats() {
        return stats.snapshot();
    }

    /**
     * For {@link #cancelRequests}: removes from a backend's {@code queue} the requests on {@code fd} (never
     * {@code except}, a backend's stop marker) and returns them, for the backend to complete with -ECANCELED.
     *
     * <p>Only a request this call removed is returned: the backend's threads take from the same queue meanwhile,
     * and a request both taken by them and returned here would be run and cancelled, completed twice, its
     * channel's descriptor reference dropped before its system call. {@code removeIf} cannot say which: the
     * concurrent queues run its predicate outside their lock (LinkedBlockingQueue) or before their CAS
     * (ConcurrentLinkedQueue), so an element the predicate accepted may be taken by another thread first. Each
     * candidate is therefore claimed with {@link Collection#remove}, atomic in those queues: true for exactly one
     * of this call and a concurrent taker.
     */
    protected static List<IoRequest> takeRequestsOn(Collection<IoRequest> queue, int fd, IoRequest except) {
        List<IoRequest> taken = new ArrayList<>();
        // A snapshot to walk, so that removing as it goes is right for any collection (ArrayDeque's iterator
        // would fail on it), concurrent or not.
        for (IoRequest r : queue.toArray(new IoRequest[0])) {
            if (r != except && r.fd() == fd && queue.remove(r)) {
                taken.add(r);
            }
        }
        return taken;
    }

    /**
     * {@link #takeRequestsOn(Collection, int, IoRequest)} for a {@link RequestQueue}, on its one consumer: no other
     * thread takes from it meanwhile, so what {@code removeIf} accepts is what it removes.
     */
    protected static List<IoRequest> takeRequestsOn(RequestQueue queue, int fd) {
        List<IoRequest> taken = new ArrayList<>();
        queue.removeIf(r -> {
            if (r.fd() == fd) {
                taken.add(r);
                return true;
            }
            return false;
        });
        return taken;
    }

    /** Makes a named daemon thread of this engine; the thread is not started. */
    protected final Thread newThread(String role, Runnable body) {
        return Thread.ofPlatform().daemon().name(threadName(role)).unstarted(registered(body));
    }

    /** The name of this engine's thread doing {@code role}: "name-kind-role". */
    final String threadName(String role) {
        return config.name() + "-" + kind.id() + "-" + role;
    }

    /** {@code body}, run as one of this engine's threads ({@link #isEngineThread()}). */
    final Runnable registered(Runnable body) {
        return () -> {
            engineThreads.add(Thread.currentThread());
            try {
                body.run();
            } finally {
                engineThreads.remove(Thread.currentThread());
            }
        };
    }

    /**
     * For a backend whose loop runs callbacks under {@link LoopTurns} (call once, from its constructor): its
     * completions on the loop are then deferred, and the loop delivers them with
     * {@link LoopTurns#deliverDeferred()}.
     *
     * @param lead what a thread that takes the turn over runs (see {@link LoopTurns})
     */
    protected final LoopTurns newLoopTurns(Runnable lead) {
        turns = new LoopTurns(this, lead);
        return turns;
    }

    /**
     * True if a callback run on this engine's thread may block without stalling the completion of other requests:
     * the loop's turn passes on ({@link LoopTurns}), or (a backend overriding this) each thread completes only
     * its own requests.
     */
    protected boolean callbacksMayBlock() {
        return turns != null;
    }

    /** True if {@code engine} runs callbacks {@link CompletionMode#INLINE} and they {@link #callbacksMayBlock()}. */
    public static boolean callbacksMayBlock(IoEngine engine) {
        return engine instanceof EngineCore core && core.config.completionMode() == CompletionMode.INLINE
                && core.callbacksMayBlock();
    }

    /**
     * Joins each thread, waiting on through interrupts (a backend's threads must be gone before its memory is
     * freed); the caller's interrupt status is restored afterwards.
     */
    protected static void joinUninterruptibly(Thread... threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes from a backend's queue; engine threads stop on a marker put in the queue, never by interrupts. */
    protected static <T> T takeUninterruptibly(BlockingQueue<T> queue) {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Not a stop signal: see above.
            }
        }
    }

    /** True on one of this engine's own threads (where waiting for the engine would deadlock). */
    protected final boolean isEngineThread() {
        return engineThreads.contains(Thread.currentThread());
    }

    @Override
    public final boolean isOpen() {
        return !closing.get();
    }

    @Override
    public final void close() {
        if (closing.compareAndSet(false, true)) {
            if (isEngineThread()) {
                Thread t = Thread.ofPlatform().daemon().name(config.name() + "-" + kind.id() + "-closer")
                        .unstarted(this::drainAndRelease);
                closer = t;
                t.start();
                return;
            }
            drainAndRelease();
            return;
        }
        if (!isEngineThread()) {
            awaitTermination();
        }
    }

    private void drainAndRelease() {
        try {
            permits.acquireUninterruptibly(config.maxInFlight());
            closeBackend();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "io-engine " + kind + ": error while closing", e);
        } finally {
            EngineMBeans.unregister(mbean);
            terminated.countDown();
            // A submitter that passed checkOpen() before close began may be parked in permits.acquire(), having
            // lost every permit to the acquire above: give them all back, so it wakes, finds the engine closing in
            // accept(), returns its permit and throws, instead of waiting forever.
            permits.release(config.maxInFlight());
        }
    }

    /** Waits until the engine is released and, when a closer thread did it, until that thread has ended. */
    private void awaitTermination() {
        Uninterruptibly.await(terminated);
        Thread t = closer;
        if (t != null) {
            joinUninterruptibly(t);
        }
    }

    /** Registers the engine's MBean, once it is open; unregistered when it is closed. */
    final void registerMBean() {
        mbean = EngineMBeans.register(this);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + config.name() + ", " + (isOpen() ? "open" : "closed") + ", "
                + stats.snapshot() + "]";
    }
}

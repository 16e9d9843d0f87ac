package dev.ioengine.channels;

import dev.ioengine.IoEngine;
import dev.ioengine.internal.engine.FaultInjection;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.engine.LoopTurns;
import dev.ioengine.internal.files.OpenSpec;
import dev.ioengine.internal.linux.Errno;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An {@link AsynchronousFileChannel} whose reads and writes are engine requests: submitted by the caller, completed
 * by the engine's callback (on the reaper thread, in {@link dev.ioengine.CompletionMode#INLINE} mode), which
 * completes the {@link Future} or hands the {@link CompletionHandler} to the channel's executor. Nothing blocks on
 * the reaper thread: copying out of a bounce buffer and running handlers happen on the executor, a blocking
 * {@code lock} waits on an executor thread.
 *
 * <p>Checks and exceptions follow the JDK's {@code sun.nio.ch.SimpleAsynchronousFileChannelImpl}. Closing completes
 * the pending operations that only use bounce memory (heap buffers, locks waited for, fsync) with
 * {@link AsynchronousCloseException} at once; operations on the caller's own direct buffers keep their real
 * result. Close invalidates the channel's locks, cancels what the engine can cancel, and waits until the kernel
 * is done with every request of the channel, as the JDK's close waits for its IO threads: once it returns,
 * nothing of this channel can change the file or the caller's buffers. {@code size}, {@code truncate},
 * {@code force} and {@link #preallocate} block the caller, as the JDK's do.
 *
 * <p>Buffers: a direct buffer whose memory only the garbage collector frees goes to the kernel as it is (the
 * operation keeps it reachable until the kernel is done); a heap buffer, and a buffer over a segment of an arena
 * its owner may close, are copied through an aligned bounce buffer of their size (pooled up to 1 MiB, else
 * allocated for the operation, as the JDK's temporary direct buffers are), so one operation transfers the whole
 * buffer, and the kernel never holds memory the caller can free ({@link Operation#prepareTransfer}).
 * The submitting thread may wait for room when the engine is full ({@code maxInFlight}).
 */
final class EngineAsynchronousFileChannel extends AsynchronousFileChannel
        implements Preallocatable, SyncGroup.Sync {
    private static final System.Logger LOG = System.getLogger("dev.ioengine.channels");

    private final IoEngine engine;
    private final Descriptor descriptor;
    private final String pathName;
    private final boolean readable;
    private final boolean writable;
    private final int alignment;
    private final ExecutorService executor;
    private final HandlerDispatcher handlers;
    private final SyncGroup syncs;
    /** The test seam for the syncs made on the caller's thread ({@link FaultInjection#of}); null in production. */
    private final FaultInjector faults;
    /** Operations take the read lock to register; close takes the write lock to stop registrations. */
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final Set<Pending<?, ?>> pending = ConcurrentHashMap.newKeySet();
    /** The reusable reads and writes of the CompletionHandler path; registered while in use ({@link TransferSlot}). */
    private final TransferSlots slots = new TransferSlots();
    private volatile boolean closed;

    EngineAsynchronousFileChannel(IoEngine engine, Descriptor descriptor, Path path, OpenSpec spec, int alignment,
            ExecutorService executor, HandlerDispatcher handlers) {
        this.engine = engine;
        this.descriptor = descriptor;
        this.pathName = path.toString();
        this.readable = spec.read();
        this.writable = spec.write();
        this.alignment = alignment;
        this.executor = executor;
        this.handlers = handlers;
        this.syncs = new SyncGroup(pathName, this);
        this.faults = FaultInjection.of(engine);
    }

    /**
     * One operation the caller is owed a result for: exactly one of success, failure or close-abandonment
     * delivers it, to a future or (on the executor) to a handler.
     */
    private class Pending<V, A> {
        final PendingFuture<V> future;
        CompletionHandler<V, ? super A> handler;
        A attachment;
        final AtomicBoolean delivered = new AtomicBoolean();
        Operation operation;
        /** Bytes an immediate attempt moved before the rest of the transfer was submitted ({@link #transfer}). */
        long servedNow;
        /** A caller blocked in {@link #runBlocking}, woken when the result is delivered. */
        Thread waiter;

        Pending(A attachment, CompletionHandler<V, ? super A> handler) {
            this.future = handler == null ? new PendingFuture<>(EngineAsynchronousFileChannel.this) : null;
            this.handler = handler;
            this.attachment = attachment;
        }

        /** A handler's, whose handler and attachment are set for each use ({@link TransferSlot}). */
        Pending() {
            this.future = null;
        }

        void succeed(V value) {
            deliver(value, null, false);
        }

        /** Delivers now: a handler runs on the executor, or here if this thread drains the channel's handlers. */
        void deliver(V value, Throwable failure) {
            deliver(value, failure, false);
        }

        void fail(Throwable failure) {
            deliver(null, failure, false);
        }

        /** Delivers on this thread, which must be one of the executor's: the handler runs here. */
        void deliverOnExecutor(V value, Throwable failure) {
            deliver(value, failure, true);
        }

        private void deliver(V value, Throwable failure, boolean onExecutor) {
            if (!delivered.compareAndSet(false, true)) {
                return;
            }
            unregister();
            if (future != null) {
                if (failure != null) {
                    future.fail(failure);
                } else {
                    future.succeed(value);
                }
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
                return;
            }
            if (onExecutor) {
                runHandler(value, failure);
            } else {
                dispatchHandler(value, failure);
            }
        }

        /** Taken into the channel's pending operations, which close abandons ({@link #register}). */
        void enlist() {
            pending.add(this);
        }

        /** Out of the channel's pending operations: delivered. */
        void unregister() {
            pending.remove(this);
        }

        /** Has the handler run on the executor. */
        void dispatchHandler(V value, Throwable failure) {
            dispatch(() -> runHandler(value, failure));
        }

        /** The result as handlers receive it. */
        Integer box(int value) {
            return value;
        }

        void runHandler(V value, Throwable failure) {
            if (failure != null) {
                handler.failed(failure, attachment);
            } else {
                handler.completed(value, attachment);
            }
        }

        /**
         * Close: an operation not yet completed by the kernel fails now if it only uses bounce memory (or none);
         * one using the caller's memory is left to complete, and close waits for it.
         */
        void abandonOnClose(boolean mayWait) {
            Operation op = operation;
            if (op == null || ((!mayWait || !op.usesCallerMemory()) && op.abandon())) {
                fail(new AsynchronousCloseException());
            }
        }

    }

    /**
     * A read or write of the CompletionHandler path whose {@link Pending}, {@link Operation} and engine request are
     * reused, so that an operation allocates nothing of its own. Its two references, taken by {@link #tryTake()},
     * say who still uses it: the kernel's (dropped once the engine is done with the request, or once it is known
     * never to reach it) and the delivery's (dropped when the handler is about to be called, the slot's fields
     * read). At zero it is free: never while the kernel may still complete its request (an operation that close
     * abandoned keeps the kernel's reference until its completion), and free before the handler runs, so a
     * handler that starts the next operation (on the engine's thread or not, blocking or not) can reuse it.
     * Futures never use slots: a Future's operation is its own, whatever its caller does with it.
     */
    private final class TransferSlot extends Pending<Integer, Object> implements Operation.Listener {
        private final AtomicInteger references = new AtomicInteger();
        /** This slot's handler call, queued without a node of its own (at most once per use). */
        private final HandlerDispatcher.Call call = new HandlerDispatcher.Call() {
            @Override
            public void run() {
                runCall();
            }
        };
        private final Operation reusable = Operation.reusable(descriptor, pathName, this);
        /** Set under the close lock's read lock while the operation is registered; close abandons it then. */
        private volatile boolean live;
        private boolean isRead;
        /** True if the handler's run on the executor must first finish the operation ({@link #finishTransfer}). */
        private boolean finishOnRun;
        private Integer value;
        private Throwable failure;
        /** The last result boxed, handed out again for the same count (most operations of a channel are alike). */
        private Integer lastBoxed;
        /**
         * The memory of the last direct buffer used, for the same buffer, position and limit: a segment over a
         * buffer costs an allocation. Keeps that buffer reachable until the next use of the slot or the channel's
         * end.
         */
        private ByteBuffer segmentBuffer;
        private int segmentPosition;
        private int segmentLimit;
        private MemorySegment segment;

        TransferSlot() {
            operation = reusable;
        }

        /** Takes the free slot for one operation: true if it was free. */
        boolean tryTake() {
            return references.get() == 0 && references.compareAndSet(0, 2);
        }

        @SuppressWarnings("unchecked")
        <A> void start(boolean read, A attachment, CompletionHandler<Integer, ? super A> handler) {
            this.isRead = read;
            this.attachment = attachment;
            this.handler = (CompletionHandler<Integer, Object>) (CompletionHandler<?, ?>) handler;
            this.servedNow = 0;
            this.finishOnRun = false;
            delivered.set(false);
        }

        /** {@code MemorySegment.ofBuffer(buffer)} for a direct buffer, else null. */
        MemorySegment memoryOf(ByteBuffer buffer) {
            if (!buffer.isDirect()) {
                return null;
            }
            if (buffer != segmentBuffer || buffer.position() != segmentPosition || buffer.limit() != segmentLimit) {
                segment = MemorySegment.ofBuffer(buffer);
                segmentBuffer = buffer;
                segmentPosition = buffer.position();
                segmentLimit = buffer.limit();
            }
            return segment;
        }

        /** The kernel is done with the request, or it never reached the engine. */
        void kernelDone() {
            references.decrementAndGet();
        }

        /**
         * Close: while this slot holds a registered operation, abandons it as any pending one; pinned meanwhile,
         * so that it cannot be freed and taken by another operation under close's feet.
         */
        void abandonOnCloseIfLive(boolean mayWait) {
            int n;
            do {
                n = references.get();
                if (n == 0) {
                    return;
                }
            } while (!references.compareAndSet(n, n + 1));
            try {
                if (live) {
                    abandonOnClose(mayWait);
                }
            } finally {
                references.decrementAndGet();
            }
        }

        @Override
        void enlist() {
            live = true;
        }

        @Override
        void unregister() {
            live = false;
        }

        @Override
        Integer box(int n) {
            Integer last = lastBoxed;
            if (last != null && last == n) {
                return last;
            }
            last = n;
            lastBoxed = last;
            return last;
        }

        @Override
        void dispatchHandler(Integer result, Throwable error) {
            this.value = result;
            this.failure = error;
            handlers.dispatch(call);
        }

        private void runCall() {
            if (finishOnRun) {
                finishTransfer(this, reusable, isRead, true);
            } else {
                runHandler(value, failure);
            }
        }

        /** Frees the slot, then calls the handler: a handler may start its next operation on this slot. */
        @Override
        void runHandler(Integer result, Throwable error) {
            CompletionHandler<Integer, Object> h = handler;
            Object a = attachment;
            handler = null;
            attachment = null;
            value = null;
            failure = null;
            references.decrementAndGet();
            if (error != null) {
                h.failed(error, a);
            } else {
                h.completed(result, a);
            }
        }

        @Override
        public void completed(Operation op) {
            kernelDone();
            if (!isRead && op.errno() != 0) {
                syncs.writeFailed(op.errno());
            }
            // Running handlers (and copying out of a bounce buffer) is for the executor, not the engine's thread,
            // unless handlers run on this thread (HandlerDispatcher.enterDirect): then here, without a task.
            if (handlers.enterDirect()) {
                try {
                    finishTransfer(this, op, isRead, true);
                } catch (RuntimeException | Error thrown) {
                    LOG.log(Level.WARNING, "completion handler threw", thrown);
                } finally {
                    handlers.exitDirect();
                }
            } else {
                finishOnRun = true;
                handlers.dispatch(call);
            }
        }

        @Override
        public void dropped(Operation op) {
            kernelDone();
        }
    }

    /** The channel's {@link TransferSlot}s, made as operations in flight at once need them, up to {@link #MAX}. */
    private final class TransferSlots {
        /** Beyond as many handler operations in flight at once, an operation has objects of its own. */
        static final int MAX = 64;
        private final AtomicReferenceArray<TransferSlot> slots = new AtomicReferenceArray<>(MAX);

        /** A free slot, taken; null if {@link #MAX} are in use. */
        TransferSlot take() {
            for (int i = 0; i < MAX; i++) {
                TransferSlot s = slots.get(i);
                if (s == null) {
                    TransferSlot made = new TransferSlot();
                    made.tryTake();
                    if (slots.compareAndSet(i, null, made)) {
                        return made;
                    }
                    s = slots.get(i);
                }
                if (s.tryTake()) {
                    return s;
                }
            }
            return null;
        }

        /** Slots taken and not yet counted ({@code references > 0}); for tests. */
        int inUse() {
            int n = 0;
            for (int i = 0; i < MAX; i++) {
                TransferSlot s = slots.get(i);
                if (s != null && s.references.get() > 0) {
                    n++;
                }
            }
            return n;
        }

        /** Slots made so far; for tests. */
        int made() {
            int n = 0;
            while (n < MAX && slots.get(n) != null) {
                n++;
            }
            return n;
        }

        void abandonOnClose(boolean mayWait) {
            for (int i = 0; i < MAX; i++) {
                TransferSlot s = slots.get(i);
                if (s == null) {
                    return;
                }
                s.abandonOnCloseIfLive(mayWait);
            }
        }
    }

    /**
     * Runs a handler on the executor, through the {@link HandlerDispatcher}. If the executor refuses (it was shut
     * down), the handler runs on a new virtual thread rather than here, which may be the engine's reaper thread;
     * what it throws is logged.
     */
    private void dispatch(Runnable task) {
        handlers.dispatch(task);
    }

    /**
     * An immediate result: a completed Future (as the JDK's CompletedFuture), or the handler run on the executor
     * (as Invoker.invokeIndirectly), directly when this thread drains this channel's handlers (as Invoker.invoke
     * does on the JDK's pool threads).
     */
    private <V, A> Future<V> immediately(V value, Throwable failure, A attachment,
            CompletionHandler<V, ? super A> handler) {
        if (handler == null) {
            return PendingFuture.completed(value, failure);
        }
        if (handlers.enterDirect()) {
            // On a thread draining this channel's handlers: run it here, without making it a task.
            try {
                if (failure != null) {
                    handler.failed(failure, attachment);
                } else {
                    handler.completed(value, attachment);
                }
            } catch (RuntimeException | Error thrown) {
                LOG.log(Level.WARNING, "completion handler threw", thrown);
            } finally {
                handlers.exitDirect();
            }
            return null;
        }
        dispatch(() -> {
            if (failure != null) {
                handler.failed(failure, attachment);
            } else {
                handler.completed(value, attachment);
            }
        });
        return null;
    }

    /**
     * Registers {@code p} unless closed, taking a descriptor reference for its request when {@code withDescriptor}
     * (under the read lock, so close cannot have closed the descriptor yet); false if closed.
     */
    private boolean register(Pending<?, ?> p, boolean withDescriptor) {
        closeLock.readLock().lock();
        try {
            if (closed || (withDescriptor && !descriptor.acquire())) {
                return false;
            }
            p.enlist();
            return true;
        } finally {
            closeLock.readLock().unlock();
        }
    }

    // ---- read and write --------------------------------------------------------------------------------------

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        return implRead(dst, position, null, null);
    }

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        implRead(dst, position, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        return implWrite(src, position, null, null);
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        implWrite(src, position, attachment, handler);
    }

    private <A> Future<Integer> implRead(ByteBuffer dst, long position, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (!readable) {
            throw new NonReadableChannelException();
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (!isOpen() || dst.remaining() == 0) {
            return immediately(0, isOpen() ? null : new ClosedChannelException(), attachment, handler);
        }
        return transfer(true, dst, position, attachment, handler);
    }

    private <A> Future<Integer> implWrite(ByteBuffer src, long position, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        if (!isOpen() || src.remaining() == 0) {
            return immediately(0, isOpen() ? null : new ClosedChannelException(), attachment, handler);
        }
        return transfer(false, src, position, attachment, handler);
    }

    private <A> Future<Integer> transfer(boolean isRead, ByteBuffer buffer, long position, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        TransferSlot slot = handler == null ? null : slots.take();
        if (slot != null) {
            slot.start(isRead, attachment, handler);
        }
        long servedNow = 0;
        if (alignment == 0) {
            try {
                servedNow = ImmediateTransfer.transfer(engine, descriptor, pathName, isRead, buffer,
                        slot != null ? slot.memoryOf(buffer) : buffer.isDirect() ? MemorySegment.ofBuffer(buffer) : null,
                        position);
            } catch (RuntimeException refused) {
                return immediately(slot, null, refusal(refused), attachment, handler);
            }
            if (servedNow != ImmediateTransfer.REFUSED) {
                if (servedNow == 0 || !buffer.hasRemaining()) {
                    Integer value = isRead && servedNow == 0 ? -1
                            : slot != null ? slot.box((int) servedNow) : (Integer) (int) servedNow;
                    return immediately(slot, value, null, attachment, handler);
                }
                // Short: the rest is not cached. It goes to the engine, and the result counts both parts.
            } else {
                servedNow = 0;
            }
        }
        // One request for the whole buffer, as the JDK does with its temporary direct buffer, so a write is as
        // whole as the kernel makes it; a short count (which the contract allows) is reported exactly.
        Operation op;
        try {
            if (slot != null) {
                op = slot.operation;
                op.reload(isRead, buffer, slot.memoryOf(buffer), position + servedNow, BouncePool.MAX_BOUNCE,
                        alignment);
            } else {
                op = Operation.prepareTransfer(descriptor, pathName, isRead, new ByteBuffer[] {buffer}, 0, 1,
                        position + servedNow, BouncePool.MAX_BOUNCE, alignment);
            }
        } catch (IOException misaligned) {
            // As the JDK's channel, which meets it in the IO it runs for the caller: delivered, not thrown.
            return immediately(slot, null, misaligned, attachment, handler);
        }
        if (slot != null) {
            return submitPooled(slot, op, servedNow);
        }
        return submitTransfer(op, isRead, buffer, servedNow, attachment, handler);
    }

    /**
     * {@link #immediately} for an operation that may have a slot: the slot's operation never reached the engine,
     * and the slot delivers, without a task object of its own.
     */
    private <A> Future<Integer> immediately(TransferSlot slot, Integer value, Throwable failure, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        if (slot == null) {
            return immediately(value, failure, attachment, handler);
        }
        slot.kernelDone();
        slot.deliver(value, failure);
        return null;
    }

    /** {@link #submitTransfer} with a slot: its listener is the slot itself ({@link TransferSlot#completed}). */
    private Future<Integer> submitPooled(TransferSlot slot, Operation op, long servedNow) {
        slot.servedNow = servedNow;
        if (!register(slot, true)) {
            op.discard(); // the slot's kernel reference goes with it
            slot.deliver(null, new ClosedChannelException());
            return null;
        }
        submitUninterruptibly(op, slot);
        return null;
    }

    /** The engine's part of a transfer, of which {@code servedNow} bytes were already moved on this thread. */
    private <A> Future<Integer> submitTransfer(Operation op, boolean isRead, ByteBuffer buffer, long servedNow,
            A attachment, CompletionHandler<Integer, ? super A> handler) {
        Pending<Integer, A> p = new Pending<>(attachment, handler);
        p.operation = op;
        p.servedNow = servedNow;
        if (p.future != null && op.usesCallerMemory()) {
            // A cancelled read must not leave the kernel writing into a buffer the caller takes back.
            p.future.onCancel(() -> {
                if (!Operation.isCompleting()) {
                    op.request.awaitUninterruptibly();
                }
            });
        }
        boolean copiesOut = isRead && !op.usesCallerMemory();
        op.listener(completed -> {
            if (!isRead && completed.errno() != 0) {
                syncs.writeFailed(completed.errno());
            }
            // Copying out of a bounce buffer and running handlers are for the executor, not the engine's thread,
            // unless handlers run on this thread (HandlerDispatcher.enterDirect): then here, without a task.
            if (copiesOut || handler != null) {
                if (handlers.enterDirect()) {
                    try {
                        finishTransfer(p, completed, isRead, true);
                    } catch (RuntimeException | Error thrown) {
                        LOG.log(Level.WARNING, "completion handler threw", thrown);
                    } finally {
                        handlers.exitDirect();
                    }
                } else {
                    dispatch(() -> finishTransfer(p, completed, isRead, true));
                }
            } else {
                finishTransfer(p, completed, isRead, false);
            }
        });
        if (!register(p, true)) {
            op.discard();
            return immediately(null, new ClosedChannelException(), attachment, handler);
        }
        submitUninterruptibly(op, p);
        return p.future;
    }

    /** On completion: moves the buffer, then delivers the count (-1 for a read at end of file) or the error. */
    private static void finishTransfer(Pending<Integer, ?> p, Operation op, boolean isRead, boolean onExecutor) {
        long asked = op.length();
        Integer value = null;
        Throwable failure = null;
        try {
            long n = op.finish();
            value = p.box(p.servedNow > 0 ? (int) (p.servedNow + n) : isRead && n == 0 && asked > 0 ? -1 : (int) n);
        } catch (IOException | RuntimeException e) {
            if (p.servedNow > 0) {
                // The first part's bytes are in the caller's buffer: report them, as a short transfer.
                value = p.box((int) p.servedNow);
            } else {
                failure = e;
            }
        }
        if (onExecutor) {
            p.deliverOnExecutor(value, failure);
        } else if (failure != null) {
            p.fail(failure);
        } else {
            p.succeed(value);
        }
    }

    /**
     * Submits, waiting for room if the engine is full; an interrupt does not stop it (the interrupt status is
     * kept). If the engine refuses, the operation fails with an IOException.
     */
    private void submitUninterruptibly(Operation op, Pending<?, ?> p) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    engine.submit(op.request);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (RuntimeException e) {
                    descriptor.release();
                    op.discard();
                    p.fail(refusal(e));
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What the caller is told when the engine refused a request ({@link Operation#submitFailure}). */
    private Throwable refusal(RuntimeException refused) {
        try {
            throw Operation.submitFailure(engine, refused);
        } catch (IOException | RuntimeException failure) {
            return failure;
        }
    }

    // ---- size, truncate, force, preallocate ------------------------------------------------------------------

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return descriptor.size(pathName);
    }

    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        ensureOpen();
        if (!descriptor.truncate(pathName, size)) {
            throw new ClosedChannelException();
        }
        return this;
    }

    /**
     * Group commit and sticky write-back errors ({@link SyncGroup}); as the JDK's, it blocks the caller and ignores
     * interrupts, and ends with {@link AsynchronousCloseException} when the channel closes first.
     */
    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        if (!syncs.force(metaData, false)) {
            throw new AsynchronousCloseException();
        }
    }

    /**
     * One fsync or fdatasync for {@link SyncGroup}: on a platform thread the system call itself, as the JDK's;
     * on a virtual thread through the engine.
     */
    @Override
    public long sync(boolean metaData) throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            return CallerThreadIo.syncRecorded(descriptor, pathName, metaData, faults);
        }
        Operation op = Operation.prepareSync(descriptor, pathName, metaData);
        try {
            runBlocking(op);
            return 0;
        } catch (ClosedChannelException e) {
            return SyncGroup.NOT_DONE;
        } catch (IOException e) {
            if (op.errno() != 0) {
                return -op.errno();
            }
            throw e;
        }
    }

    @Override
    public void preallocate(long at, long length, boolean keepSize) throws IOException {
        Operation.checkPreallocateRange(at, length);
        ensureOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
        Operation op = Operation.preparePreallocate(descriptor, pathName, at, length, keepSize);
        try {
            runBlocking(op);
        } catch (IOException e) {
            if (keepSize || op.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
            if (size() < at + length) {
                Operation zero = Operation.prepareTransfer(descriptor, pathName, false,
                        new ByteBuffer[] {ByteBuffer.allocate(1)}, 0, 1, at + length - 1, 1, 0);
                runBlocking(zero);
            }
        }
    }

    /** Submits and waits, ignoring interrupts (kept) and failing with AsynchronousCloseException on close. */
    private long runBlocking(Operation op) throws IOException {
        Thread me = Thread.currentThread();
        op.waiter(me);
        Pending<Long, Void> p = new Pending<>(null, null);
        p.operation = op;
        p.waiter = me;
        if (!register(p, true)) {
            op.discard();
            throw new ClosedChannelException();
        }
        if (Operation.isCompleting()) {
            // On the engine's own thread (a handler run inline): waiting for the engine would wait for ourselves.
            // The plain system call instead, the loop's turn passed on first when it can be (an fsync takes long).
            LoopTurns.releaseTurn();
            try {
                return op.runDirectly();
            } finally {
                pending.remove(p);
                p.delivered.set(true);
            }
        }
        submitUninterruptibly(op, p);
        boolean interrupted = false;
        try {
            while (!op.isCompleted() && !p.future.isDone()) {
                if (Thread.interrupted()) {
                    interrupted = true;
                }
                LockSupport.park(this);
            }
            if (!op.isCompleted()) {
                try {
                    p.future.get();
                } catch (Exception e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new AsynchronousCloseException();
                }
            }
            pending.remove(p);
            p.delivered.set(true);
            return op.finish();
        } finally {
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    // ---- locks -----------------------------------------------------------------------------------------------

    /** As AsynchronousFileChannelImpl.addToFileLockTable: null when closed. */
    private EngineFileLock addToLockTable(long position, long size, boolean shared) throws IOException {
        closeLock.readLock().lock();
        try {
            if (closed) {
                return null;
            }
            EngineFileLock lock = new EngineFileLock(this, descriptor, pathName, position, size, shared);
            descriptor.record(pathName, lock);
            return lock;
        } finally {
            closeLock.readLock().unlock();
        }
    }

    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
        return implLock(position, size, shared, null, null);
    }

    @Override
    public <A> void lock(long position, long size, boolean shared, A attachment,
            CompletionHandler<FileLock, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        implLock(position, size, shared, attachment, handler);
    }

    private <A> Future<FileLock> implLock(long position, long size, boolean shared, A attachment,
            CompletionHandler<FileLock, ? super A> handler) {
        if (shared && !readable) {
            throw new NonReadableChannelException();
        }
        if (!shared && !writable) {
            throw new NonWritableChannelException();
        }
        EngineFileLock lock;
        try {
            lock = addToLockTable(position, EngineFileLock.sizeOf(position, size), shared);
        } catch (IOException e) {
            return immediately(null, e, attachment, handler);
        }
        if (lock == null) {
            return immediately(null, new ClosedChannelException(), attachment, handler);
        }
        Pending<FileLock, A> p = new Pending<>(attachment, handler);
        if (!register(p, false)) {
            descriptor.forget(lock);
            return immediately(null, new ClosedChannelException(), attachment, handler);
        }
        Runnable waitOffExecutor = () -> waitForLock(p, lock, false);
        if (Operation.isCompleting()) {
            // Never wait for a lock on the engine's own thread, whatever the executor does with its tasks.
            Thread.ofVirtual().name("io-engine-file-lock").start(waitOffExecutor);
            return p.future;
        }
        try {
            executor.execute(() -> waitForLock(p, lock, true));
        } catch (RejectedExecutionException e) {
            Thread.ofVirtual().name("io-engine-file-lock").start(waitOffExecutor);
        }
        return p.future;
    }

    /**
     * On an executor thread ({@code onExecutor}) or a thread of its own, never the engine's: waits for the lock
     * ({@link Descriptor#awaitLock}) until it is had, the channel closes, or the caller cancels the future.
     */
    private void waitForLock(Pending<FileLock, ?> p, EngineFileLock lock, boolean onExecutor) {
        BooleanSupplier cancelled = () -> p.future != null && p.future.isCancelled();
        try {
            boolean acquired = descriptor.awaitLock(pathName, lock,
                    () -> closed || p.delivered.get() || cancelled.getAsBoolean());
            if (acquired && !closed && !cancelled.getAsBoolean()) {
                deliverLock(p, lock, null, onExecutor);
                return;
            }
            if (acquired) {
                descriptor.forget(lock);
                if (!closed) {
                    descriptor.unlock(pathName, lock);
                }
            }
            if (cancelled.getAsBoolean()) {
                pending.remove(p);
                return;
            }
            deliverLock(p, null, new AsynchronousCloseException(), onExecutor);
        } catch (IOException | RuntimeException e) {
            deliverLock(p, null, e, onExecutor);
        }
    }

    private static void deliverLock(Pending<FileLock, ?> p, FileLock lock, Throwable failure, boolean onExecutor) {
        if (onExecutor) {
            p.deliverOnExecutor(lock, failure);
        } else if (failure != null) {
            p.fail(failure);
        } else {
            p.succeed(lock);
        }
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        if (shared && !readable) {
            throw new NonReadableChannelException();
        }
        if (!shared && !writable) {
            throw new NonWritableChannelException();
        }
        ensureOpen();
        EngineFileLock lock = new EngineFileLock(this, descriptor, pathName, position,
                EngineFileLock.sizeOf(position, size), shared);
        return descriptor.tryLock(pathName, lock) ? lock : null;
    }

    // ---- closing ---------------------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() throws IOException {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            closeLock.writeLock().unlock();
        }
        // Closed from a handler the executor ran on the engine's own thread, close cannot wait for the engine:
        // then every pending operation fails now (the kernel's memory is GC-managed or io-engine's own: see
        // Operation.prepareTransfer). Otherwise the operations on the caller's own memory keep their real result.
        boolean mayWait = !Operation.isCompleting();
        for (Pending<?, ?> p : pending) {
            p.abandonOnClose(mayWait);
        }
        slots.abandonOnClose(mayWait);
        // As the JDK's close waits for its IO threads: nothing of this channel runs once close returns.
        descriptor.close(this, engine);
    }

    /** Transfer slots made so far (for tests: a chain of operations, one in flight at a time, needs one). */
    int transferSlotsMade() {
        return slots.made();
    }

    /** Transfer slots in use: taken by an operation the kernel or its handler is not yet done with (for tests). */
    int transferSlotsInUse() {
        return slots.inUse();
    }

    @Override
    public String toString() {
        return "EngineAsynchronousFileChannel[" + pathName + ", " + descriptor + (readable ? ", read" : "")
                + (writable ? ", write" : "") + (alignment > 0 ? ", O_DIRECT " + alignment : "") + ", engine "
                + engine.kind() + ", " + pending.size() + " pending]";
    }
}

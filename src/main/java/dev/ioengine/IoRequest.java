package dev.ioengine;

import dev.ioengine.internal.engine.RequestAccess;
import dev.ioengine.internal.files.CountedDescriptor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One IO operation for an {@link IoEngine}: what to do (op, {@link IoFile}, position, native memory, length),
 * and, once the engine has completed it, what happened (bytes transferred or the error).
 *
 * <p>A request is reusable: prepare it with one of the {@code prepare*} methods, submit it, wait for it (or be
 * called back), read its result, then prepare it again. That keeps the submit path free of allocation. The
 * static factories ({@link #read(IoFile, long, MemorySegment)} and friends) are shorthands for a new request.
 *
 * <p>Memory: the kernel may write into the request's segments until the request completes, so they must stay
 * valid (their arena open) until then. The request keeps them reachable; the caller must not close their arena
 * early. Only native memory is accepted: a heap segment or a heap {@link ByteBuffer} is rejected, since the
 * garbage collector may move it while the kernel uses its address.
 *
 * <p>The file: from {@link IoEngine#submit} until completion the request holds a reference to its {@link IoFile}, so
 * that closing the file then never lets its descriptor number be reused under the request; a request on a closed
 * file cannot be submitted.
 *
 * <p>Threads: a request is owned by the caller until {@link IoEngine#submit(IoRequest)}, by the engine until
 * completion, and by the caller again afterwards. Completion is published with a volatile write, so the result
 * is visible to any thread that sees {@link #isDone()} true or returns from {@link #await()}.
 */
public final class IoRequest {
    /** Never submitted, or prepared again after completion. */
    private static final int IDLE = 0;
    /** Accepted by an engine, not yet complete. */
    private static final int IN_FLIGHT = 1;
    /** Complete: result or error set. */
    private static final int DONE = 2;

    private static final MemorySegment[] NO_SEGMENTS = new MemorySegment[0];

    /** The most buffers a vectored request may carry: Linux's IOV_MAX. */
    public static final int MAX_IOVECS = 1024;

    private static final VarHandle STATE;
    private static final VarHandle WAITERS;
    private static final VarHandle FIRST_WAITER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(IoRequest.class, "state", int.class);
            WAITERS = lookup.findVarHandle(IoRequest.class, "waiters", WaitNode.class);
            FIRST_WAITER = lookup.findVarHandle(IoRequest.class, "firstWaiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        RequestAccess.install(new Access());
    }

    /** One thread waiting in {@link #await}; pushed before it parks, woken by the completion. */
    private record WaitNode(Thread thread, WaitNode next) {
    }

    private IoOp op;
    /** The file the request holds a reference to while in flight; null for the channels' own descriptors. */
    private IoFile file;
    private int fd = -1;
    private long position;
    private MemorySegment segment;
    private MemorySegment[] segments = NO_SEGMENTS;
    private long length;
    private int fallocateMode;
    private IoCallback callback;
    private Object attachment;

    private volatile int state = IDLE;
    /**
     * A thread in {@link #await}, the usual one, kept without a node so that waiting allocates nothing; taken and
     * woken by the completion, with {@link #waiters}.
     */
    private volatile Thread firstWaiter;
    /** The other threads in {@link #await}: a stack, emptied and woken as a whole by the completion. */
    private volatile WaitNode waiters;
    private long result;
    private int errno;
    private Throwable failure;
    private long submitNanos;
    /** Engine-private: the requests a merged request stands for, or null. */
    private IoRequest[] mergedParts;
    /** Engine-private: the next request in an engine's submission queue (RequestQueue), while queued. */
    private volatile IoRequest queueNext;

    /** A new, unprepared request. */
    public IoRequest() {
    }

    // ---- factories -------------------------------------------------------------------------------------------

    /** A new request reading {@code buffer.byteSize()} bytes at {@code position} into {@code buffer}. */
    public static IoRequest read(IoFile file, long position, MemorySegment buffer) {
        return new IoRequest().prepareRead(file, position, buffer);
    }

    /** A new request writing all of {@code buffer} at {@code position}. */
    public static IoRequest write(IoFile file, long position, MemorySegment buffer) {
        return new IoRequest().prepareWrite(file, position, buffer);
    }

    /** A new request reading into the direct buffer's remaining bytes; the buffer's position does not move. */
    public static IoRequest read(IoFile file, long position, ByteBuffer direct) {
        return new IoRequest().prepareRead(file, position, segmentOf(direct, true));
    }

    /** A new request writing the direct buffer's remaining bytes; the buffer's position does not move. */
    public static IoRequest write(IoFile file, long position, ByteBuffer direct) {
        return new IoRequest().prepareWrite(file, position, segmentOf(direct, false));
    }

    /** A new vectored read ({@code preadv}) filling {@code buffers} in order. */
    public static IoRequest readv(IoFile file, long position, MemorySegment... buffers) {
        return new IoRequest().prepareReadv(file, position, buffers);
    }

    /** A new vectored write ({@code pwritev}) of {@code buffers} in order. */
    public static IoRequest writev(IoFile file, long position, MemorySegment... buffers) {
        return new IoRequest().prepareWritev(file, position, buffers);
    }

    /** A new {@code fsync}. */
    public static IoRequest fsync(IoFile file) {
        return new IoRequest().prepareFsync(file);
    }

    /** A new {@code fdatasync}. */
    public static IoRequest fdatasync(IoFile file) {
        return new IoRequest().prepareFdatasync(file);
    }

    /** A new {@code fallocate(fd, mode, position, length)}; mode 0 allocates and extends the file. */
    public static IoRequest fallocate(IoFile file, int mode, long position, long length) {
        return new IoRequest().prepareFallocate(file, mode, position, length);
    }

    // ---- preparation -----------------------------------------------------------------------------------------

    /** Prepares a read of {@code buffer.byteSize()} bytes at {@code position}. */
    public IoRequest prepareRead(IoFile file, long position, MemorySegment buffer) {
        return prepareSingle(IoOp.READ, checkFile(file), file.fd(), position, buffer);
    }

    /** Prepares a write of all of {@code buffer} at {@code position}. */
    public IoRequest prepareWrite(IoFile file, long position, MemorySegment buffer) {
        return prepareSingle(IoOp.WRITE, checkFile(file), file.fd(), position, buffer);
    }

    /** Prepares a vectored read. The array is used as given, not copied: do not change it until completion. */
    public IoRequest prepareReadv(IoFile file, long position, MemorySegment... buffers) {
        return prepareVector(IoOp.READV, checkFile(file), file.fd(), position, buffers);
    }

    /** Prepares a vectored write. The array is used as given, not copied: do not change it until completion. */
    public IoRequest prepareWritev(IoFile file, long position, MemorySegment... buffers) {
        return prepareVector(IoOp.WRITEV, checkFile(file), file.fd(), position, buffers);
    }

    /** Prepares an {@code fsync}. */
    public IoRequest prepareFsync(IoFile file) {
        return prepareNoData(IoOp.FSYNC, checkFile(file), file.fd());
    }

    /** Prepares an {@code fdatasync}. */
    public IoRequest prepareFdatasync(IoFile file) {
        return prepareNoData(IoOp.FDATASYNC, checkFile(file), file.fd());
    }

    /**
     * Prepares {@code fallocate(fd, mode, position, length)} on the file. Mode 0 allocates the range and extends the file
     * if it ends past the end of file; {@code FALLOC_FL_KEEP_SIZE} (1) allocates without changing the size.
     *
     * @throws IllegalArgumentException if position is negative, length is not positive, or their sum overflows
     */
    public IoRequest prepareFallocate(IoFile file, int mode, long position, long length) {
        return prepareFallocate(checkFile(file), file.fd(), mode, position, length);
    }

    private IoRequest prepareFallocate(IoFile file, int fd, int mode, long position, long length) {
        checkRange(position, length);
        if (length <= 0) {
            throw new IllegalArgumentException("fallocate length must be positive: " + length);
        }
        prepareNoData(IoOp.FALLOCATE, file, fd);
        this.position = position;
        this.length = length;
        this.fallocateMode = mode;
        return this;
    }

    /** Sets the callback run at completion (see {@link CompletionMode} for the thread); null for none. */
    public IoRequest callback(IoCallback callback) {
        checkNotInFlight();
        this.callback = callback;
        return this;
    }

    /** Attaches an object of the caller's; the engine never looks at it. */
    public IoRequest attachment(Object attachment) {
        this.attachment = attachment;
        return this;
    }

    /**
     * After a short read or write, prepares this request again for the bytes not yet transferred: the position
     * advances by {@link #result()} and the memory is sliced past the bytes done. The callback and attachment
     * are kept.
     *
     * @throws IllegalStateException if the request is not a completed, successful data transfer
     */
    public IoRequest prepareRemainder() {
        if (state != DONE || op == null || !op.transfersData() || errno != 0 || failure != null) {
            throw new IllegalStateException("only a completed, successful read or write can be continued: " + this);
        }
        long done = result;
        if (segments.length == 0) {
            return prepareSingle(op, file, fd, position + done, segment.asSlice(done));
        }
        int first = 0;
        long skip = done;
        while (first < segments.length && skip >= segments[first].byteSize()) {
            skip -= segments[first].byteSize();
            first++;
        }
        MemorySegment[] rest = new MemorySegment[segments.length - first];
        for (int i = 0; i < rest.length; i++) {
            MemorySegment s = segments[first + i];
            rest[i] = i == 0 ? s.asSlice(skip) : s;
        }
        return prepareVector(op, file, fd, position + done, rest);
    }

    private IoRequest prepareSingle(IoOp op, IoFile file, int fd, long position, MemorySegment buffer) {
        Objects.requireNonNull(buffer, "buffer");
        checkNative(buffer);
        checkRange(position, buffer.byteSize());
        if (file != null && file.isDirect()) {
            AlignedBuffers.checkDirectIo(buffer, position, buffer.byteSize(), file.directAlignment());
        }
        reset(op, file, fd);
        this.position = position;
        this.segment = buffer;
        this.length = buffer.byteSize();
        return this;
    }

    private IoRequest prepareVector(IoOp op, IoFile file, int fd, long position, MemorySegment[] buffers) {
        Objects.requireNonNull(buffers, "buffers");
        if (buffers.length > MAX_IOVECS) {
            throw new IllegalArgumentException(
                    "at most " + MAX_IOVECS + " buffers per vectored request (IOV_MAX), not " + buffers.length);
        }
        long total = 0;
        for (MemorySegment b : buffers) {
            Objects.requireNonNull(b, "buffers contains null");
            checkNative(b);
            total = Math.addExact(total, b.byteSize());
        }
        checkRange(position, total);
        if (file != null && file.isDirect()) {
            for (MemorySegment b : buffers) {
                AlignedBuffers.checkDirectIo(b, position, b.byteSize(), file.directAlignment());
            }
        }
        reset(op, file, fd);
        this.position = position;
        this.segments = buffers;
        this.length = total;
        return this;
    }

    private IoRequest prepareNoData(IoOp op, IoFile file, int fd) {
        reset(op, file, fd);
        return this;
    }

    private void reset(IoOp op, IoFile file, int fd) {
        checkNotInFlight();
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor must not be negative: " + fd);
        }
        this.op = op;
        this.file = file;
        this.fd = fd;
        this.position = 0;
        this.segment = null;
        this.segments = NO_SEGMENTS;
        this.length = 0;
        this.fallocateMode = 0;
        this.result = 0;
        this.errno = 0;
        this.failure = null;
        this.mergedParts = null;
        this.state = IDLE;
    }

    private void checkNotInFlight() {
        if (state == IN_FLIGHT) {
            throw new IllegalStateException("request is in flight: " + this);
        }
    }

    private static IoFile checkFile(IoFile file) {
        return Objects.requireNonNull(file, "file");
    }

    private static void checkNative(MemorySegment buffer) {
        if (!buffer.isNative()) {
            throw new IllegalArgumentException(
                    "the kernel needs native memory: a heap segment may move while the kernel uses it (" + buffer + ")");
        }
    }

    private static void checkRange(long position, long length) {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        if (length < 0 || position + length < 0) {
            throw new IllegalArgumentException(
                    "position + length overflows a file offset: " + position + " + " + length);
        }
    }

    private static MemorySegment segmentOf(ByteBuffer buffer, boolean forRead) {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException(
                    "the kernel needs a direct ByteBuffer: a heap buffer may move while the kernel uses it");
        }
        if (forRead && buffer.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        return MemorySegment.ofBuffer(buffer);
    }

    // ---- description -----------------------------------------------------------------------------------------

    public IoOp op() {
        return op;
    }

    /** The file the request was prepared on; null for a request of io-engine's own channels. */
    public IoFile file() {
        return file;
    }

    /** The file descriptor number the kernel is given (the file's). */
    public int fd() {
        return fd;
    }

    public long position() {
        return position;
    }

    /** Total bytes to transfer (the sum over all segments), or the fallocate length; 0 for fsync. */
    public long length() {
        return length;
    }

    /** The single buffer of a {@link IoOp#READ} or {@link IoOp#WRITE}, else null. */
    public MemorySegment segment() {
        return segment;
    }

    /** The buffers of a vectored request, else an empty array. Not a copy. */
    public MemorySegment[] segments() {
        return segments;
    }

    public int fallocateMode() {
        return fallocateMode;
    }

    public IoCallback callback() {
        return callback;
    }

    public Object attachment() {
        return attachment;
    }

    // ---- completion ------------------------------------------------------------------------------------------

    /** True once the engine has completed the request. */
    public boolean isDone() {
        return state == DONE;
    }

    /** True if complete without error. */
    public boolean isSuccess() {
        return state == DONE && errno == 0 && failure == null;
    }

    /** Bytes transferred for reads and writes (0 at end of file for a read); 0 for the other operations. */
    public long result() {
        return result;
    }

    /** The Linux errno the operation failed with, or 0. */
    public int errno() {
        return errno;
    }

    /** True for a successful read that returned no bytes although it asked for some: the end of the file. */
    public boolean isEof() {
        return isSuccess() && op.isRead() && result == 0 && length > 0;
    }

    /** True for a successful read or write that moved fewer bytes than asked (a read at EOF included). */
    public boolean isShort() {
        return isSuccess() && op.transfersData() && result < length;
    }

    /** Bytes asked for but not transferred. */
    public long remaining() {
        return op != null && op.transfersData() ? length - result : 0;
    }

    /**
     * The error the request failed with, or null: an {@link ErrnoException} for an errno, or the engine's own
     * failure (for example an {@link java.nio.channels.AsynchronousCloseException}-like close error).
     */
    public IOException exception() {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure != null) {
            return new IOException(failure.getMessage(), failure);
        }
        return errno == 0 ? null : new ErrnoException(errno, op + " " + (file != null ? file.path() : "fd=" + fd)
                + " position=" + position);
    }

    /**
     * Waits until the request completes. Any number of threads may wait; the completion wakes them all. Virtual
     * threads unmount while they wait.
     */
    public void await() throws InterruptedException {
        // Enlisted again after each wake-up: a reused request's previous completion may still be taking its waiters
        // (it wrote DONE before taking them), and then it takes this wait's enlistment and wakes this thread early.
        while (state != DONE) {
            enlistWaiter();
            if (state == DONE) {
                return;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.park(this);
        }
    }

    /** Waits at most the given time; true if the request completed. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        if (state == DONE) {
            return true;
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (state != DONE) {
            enlistWaiter(); // again after each wake-up, as in await()
            if (state == DONE) {
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(this, left);
        }
        return true;
    }

    /**
     * Enlists this thread as {@link #firstWaiter} if that is free, else pushes it on the waiters. Dekker with
     * {@link Access#complete}: the enlisting (a CAS) comes before the waiter's next read of {@code state}, and the
     * completion's write of {@code state} before its swaps of {@code firstWaiter} and the stack: either the waiter
     * sees DONE, or the completion sees (and unparks) the waiter. A waiter that gave up (timeout, interrupt) and
     * is still enlisted only costs a spurious unpark at completion.
     */
    private void enlistWaiter() {
        Thread me = Thread.currentThread();
        // Enlisted already: a completion has yet to take it, and will wake this thread (if it is an earlier one's,
        // await() enlists again once woken).
        if (firstWaiter == me || FIRST_WAITER.compareAndSet(this, (Thread) null, me)) {
            return;
        }
        while (true) {
            WaitNode head = waiters;
            if (WAITERS.compareAndSet(this, head, new WaitNode(me, head))) {
                return;
            }
        }
    }

    /**
     * Waits until the request completes, ignoring interrupts; the thread's interrupt status is restored if it
     * was interrupted while waiting.
     */
    public void awaitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case IDLE -> "idle";
            case IN_FLIGHT -> "in flight";
            default -> errno != 0 ? "failed " + ErrnoException.errnoName(errno)
                    : failure != null ? "failed " + failure : "done " + result;
        };
        return "IoRequest[" + op + (file != null ? " " + file.path() : "") + " fd=" + fd + " position=" + position + " length=" + length
                + (segments.length > 0 ? " iovecs=" + segments.length : "") + ", " + s + "]";
    }

    // ---- engine side: reached only through RequestAccess ---------------------------------------------------

    private static final class Access extends RequestAccess {
        /**
         * Validates, then marks in flight with a compare-and-set: of two threads submitting the same request at
         * once, exactly one gets it; the other gets IllegalStateException and the request reaches the kernel once.
         */
        @Override
        public void markInFlight(IoRequest r, long nanos) {
            if (r.op == null) {
                throw new IllegalArgumentException("request was never prepared");
            }
            if (r.state == IN_FLIGHT) {
                throw new IllegalStateException("request is already in flight: " + r);
            }
            checkAlive(r);
            if (r.op.isRead()) {
                checkWritable(r);
            }
            int s = r.state;
            if (s == IN_FLIGHT || !STATE.compareAndSet(r, s, IN_FLIGHT)) {
                throw new IllegalStateException("request is already in flight: " + r);
            }
            if (r.file != null && !r.file.descriptor().acquire()) {
                r.state = s; // this thread won the CAS: nobody else changes the state until it gives it back
                throw new IllegalStateException("the request's file is closed: " + r.file);
            }
            // Written after the CAS, by the one thread that won it; the engine reads them after the hand-off.
            r.result = 0;
            r.errno = 0;
            r.failure = null;
            r.submitNanos = nanos;
        }

        /** The kernel would write through a dangling address: refuse memory whose arena is closed. */
        private static void checkAlive(IoRequest r) {
            if (r.segment != null && !r.segment.scope().isAlive()) {
                throw new IllegalStateException("the request's memory was freed: its arena is closed");
            }
            for (MemorySegment s : r.segments) {
                if (!s.scope().isAlive()) {
                    throw new IllegalStateException("the request's memory was freed: its arena is closed");
                }
            }
        }

        private static void checkWritable(IoRequest r) {
            if (r.segment != null && r.segment.isReadOnly()) {
                throw new IllegalArgumentException("cannot read into a read-only segment");
            }
            for (MemorySegment s : r.segments) {
                if (s.isReadOnly()) {
                    throw new IllegalArgumentException("cannot read into a read-only segment");
                }
            }
        }

        @Override
        public void rollback(IoRequest r) {
            r.state = IDLE;
            if (r.file != null) {
                r.file.descriptor().release();
            }
        }

        @Override
        public long submitNanos(IoRequest r) {
            return r.submitNanos;
        }

        @Override
        public void complete(IoRequest r, long result, int errno, Throwable failure) {
            if (r.file != null) {
                // Before the completion is published: once await() returns, the request holds the file no more.
                r.file.descriptor().release();
            }
            r.result = result;
            r.errno = errno;
            r.failure = failure;
            r.state = DONE; // volatile write: publishes result, errno and failure to await()/isDone() readers
            // Dekker with enlistWaiter(): the state write above comes before these swaps (see there).
            Thread first = (Thread) FIRST_WAITER.getAndSet(r, (Thread) null);
            if (first != null) {
                LockSupport.unpark(first);
            }
            for (WaitNode w = (WaitNode) WAITERS.getAndSet(r, null); w != null; w = w.next()) {
                LockSupport.unpark(w.thread());
            }
        }

        @Override
        protected IoRequest prepareSingle(IoRequest r, IoOp op, int fd, long position, MemorySegment buffer) {
            return r.prepareSingle(op, null, fd, position, buffer);
        }

        @Override
        protected IoRequest prepareVector(IoRequest r, IoOp op, int fd, long position, MemorySegment[] buffers) {
            return r.prepareVector(op, null, fd, position, buffers);
        }

        @Override
        protected IoRequest prepareNoData(IoRequest r, IoOp op, int fd) {
            return r.prepareNoData(op, null, fd);
        }

        @Override
        public IoRequest prepareFallocate(IoRequest r, int fd, int mode, long position, long length) {
            return r.prepareFallocate(null, fd, mode, position, length);
        }

        @Override
        public CountedDescriptor descriptor(IoFile file) {
            return file.descriptor();
        }

        @Override
        public IoFile fileOn(CountedDescriptor descriptor, Path path, int directAlignment) {
            return new IoFile(path, descriptor, directAlignment);
        }

        @Override
        public IoRequest[] mergedParts(IoRequest r) {
            return r.mergedParts;
        }

        @Override
        public void setMergedParts(IoRequest r, IoRequest[] parts) {
            r.mergedParts = parts;
        }

        @Override
        public IoRequest queueNext(IoRequest r) {
            return r.queueNext;
        }

        @Override
        public void setQueueNext(IoRequest r, IoRequest next) {
            r.queueNext = next;
        }
    }
}

package dev.ioengine.channels;

import dev.ioengine.ErrnoException;
import dev.ioengine.IoCallback;
import dev.ioengine.IoEngine;
import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.events.IoEvents;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.Iovec;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One read or write (or sync, or fallocate) of a channel, from preparation to completion: the engine request,
 * the caller's buffers, the pooled bounce buffers standing in for heap buffers, and who is waiting.
 *
 * <p>Ownership: the caller prepares it and submits it; from then on exactly one of two things happens. Either
 * the engine completes it first ({@link #onComplete}: PENDING to COMPLETED), and the owner then calls
 * {@link #finish()} to move the buffers and learn the result; or the owner gives up first ({@link #abandon()}:
 * PENDING to ABANDONED, after an interrupt or an asynchronous close), and the completion, whenever the kernel
 * delivers it, only recycles the bounce buffers (an operation on the caller's own memory is never abandoned:
 * see {@link #usesCallerMemory()}). Either way the bounce buffers go back to the pool only after
 * the kernel is done with them, and the descriptor reference the owner took before submitting is dropped at
 * completion (or by the owner, if the request never reached the engine).
 *
 * <p>A one-buffer operation may be reused ({@link #reusable}, {@link #reload}): only once its previous use is over,
 * that is the kernel is done with its request (completed, or it never reached the engine) and its owner has
 * finished it or given it up. Its {@link Listener} is told both ends, so a pool can tell.
 */
final class Operation implements IoCallback {
    private static final int PENDING = 0;
    private static final int COMPLETED = 1;
    private static final int ABANDONED = 2;

    /** Set on the engine's thread while a listener runs (and whatever it calls inline, such as a handler). */
    private static final ThreadLocal<Boolean> COMPLETING = new ThreadLocal<>();

    final IoRequest request = new IoRequest();
    private final AtomicInteger state = new AtomicInteger(PENDING);
    private final Descriptor descriptor;
    private final String path;
    private boolean isRead;
    /** The caller's buffers, in order; their positions move only in {@link #finish()}. */
    private final ByteBuffer[] buffers;
    /** Per buffer: the bounce buffer standing in for it, or null when the kernel uses the buffer itself. */
    private final ByteBuffer[] bounces;
    /** Per buffer: how many of its remaining bytes this operation covers. */
    private final int[] lengths;
    /** A read or write of a file without O_DIRECT: the kernel may serve it from the page cache at once. */
    private boolean pageCached;
    /** Served on the caller's thread by {@link #tryNow}. */
    private boolean servedNow;
    private volatile Thread waiter;
    /** The errno of {@link #runDirectly()}, which bypasses the request. */
    private int directErrno;
    private volatile Listener listener;
    /** The JFR event begun with the operation ({@link IoEvents}), committed by {@link #finish()}; null when off. */
    private Object event;

    /** Who is told, on the engine's thread, how the operation ended. */
    interface Listener {
        /** The engine completed the operation before its owner gave up: call {@link #finish()}. */
        void completed(Operation op);

        /**
         * The operation ended without its owner finishing it: the engine completed it after the owner gave up
         * ({@link #abandon()}), or it never reached the engine ({@link #discard()}). The kernel is done with it.
         */
        default void dropped(Operation op) {
        }
    }

    private Operation(Descriptor descriptor, String path, boolean isRead, ByteBuffer[] buffers, ByteBuffer[] bounces,
            int[] lengths, boolean pageCached) {
        this.pageCached = pageCached;
        this.descriptor = descriptor;
        this.path = path;
        this.isRead = isRead;
        this.buffers = buffers;
        this.bounces = bounces;
        this.lengths = lengths;
        this.event = isRead ? IoEvents.beginRead() : buffers.length > 0 ? IoEvents.beginWrite() : IoEvents.beginForce();
        request.callback(this);
    }

    /**
     * A read (isRead) or write of the given buffers' remaining bytes at {@code position}, copying at most
     * {@code maxBytes} through bounce buffers (the last buffer copied may be covered in part; buffers the kernel
     * uses directly are never split). The kernel uses a buffer directly only if it is a direct buffer over
     * {@link CollectedMemory}, which this operation keeps reachable until the kernel is done with it. Heap buffers,
     * and buffers over an arena's segment (which its owner may close at any time: a close or cancel that cannot
     * wait for the kernel must not leave it the caller's memory), are copied through pooled aligned direct buffers
     * (for a write, the bytes are copied now). With O_DIRECT ({@code alignment > 0}) every buffer, the position and
     * each length must be aligned.
     *
     * @return the operation, or null if the buffers have nothing remaining
     * @throws IOException for a misaligned O_DIRECT transfer, naming the alignment, with the JDK's messages
     */
    static Operation prepareTransfer(Descriptor descriptor, String path, boolean isRead, ByteBuffer[] source,
            int offset, int count, long position, long maxBytes, int alignment) throws IOException {
        int n = Math.min(count, IoRequest.MAX_IOVECS);
        ByteBuffer[] buffers = new ByteBuffer[n];
        int[] lengths = new int[n];
        // Per buffer: its memory if direct, and whether it is copied through a bounce buffer.
        MemorySegment[] memories = new MemorySegment[n];
        boolean[] copied = new boolean[n];
        int used = 0;
        long total = 0;
        long copiedBytes = 0;
        for (int i = 0; i < n && copiedBytes < maxBytes; i++) {
            ByteBuffer b = source[offset + i];
            MemorySegment memory = b.isDirect() ? MemorySegment.ofBuffer(b) : null;
            boolean copies = memory == null || !CollectedMemory.is(memory);
            int len = copies ? (int) Math.min(b.remaining(), maxBytes - copiedBytes) : b.remaining();
            if (len == 0) {
                continue;
            }
            buffers[used] = b;
            lengths[used] = len;
            memories[used] = memory;
            copied[used] = copies;
            used++;
            total += len;
            if (copies) {
                copiedBytes += len;
            }
        }
        if (used == 0) {
            return null;
        }
        checkPosition(position, total, alignment);
        ByteBuffer[] bounces = new ByteBuffer[used];
        MemorySegment[] segments = new MemorySegment[used];
        ByteBuffer[] kept = used == n ? buffers : Arrays.copyOf(buffers, used);
        int[] keptLengths = used == n ? lengths : Arrays.copyOf(lengths, used);
        try {
            for (int i = 0; i < used; i++) {
                segments[i] = stage(isRead, kept[i], keptLengths[i], memories[i], copied[i], alignment, bounces, i);
            }
        } catch (RuntimeException | IOException e) {
            recycle(bounces);
            throw e;
        }
        Operation op = new Operation(descriptor, path, isRead, kept, bounces, keptLengths, alignment == 0);
        op.prepareRequest(position, segments);
        return op;
    }

    /** The position checks of a transfer of {@code total} bytes, before the kernel is asked. */
    private static void checkPosition(long position, long total, int alignment) throws IOException {
        if (alignment > 0 && position % alignment != 0) {
            throw misaligned("Channel position", position, alignment);
        }
        if (position + total < 0) {
            // pread(2) / pwrite(2) answer EINVAL when position + count passes the largest file offset, and the
            // JDK's channels report that as an IOException: so do these, before the kernel is asked.
            throw new IOException(Errno.description(Errno.EINVAL));
        }
    }

    /**
     * The memory the kernel uses for {@code len} bytes of buffer {@code b} ({@code memory} if direct): the buffer's
     * own, or a pooled bounce buffer put in {@code bounces[i]} (filled now for a write). Under O_DIRECT, the JDK's
     * checks of each buffer, in its order (sun.nio.ch.IOUtil): a direct buffer's position, whether or not it is
     * then copied, then any buffer's remaining bytes.
     */
    private static MemorySegment stage(boolean isRead, ByteBuffer b, int len, MemorySegment memory, boolean copies,
            int alignment, ByteBuffer[] bounces, int i) throws IOException {
        if (alignment > 0) {
            if (memory != null && memory.address() % alignment != 0) {
                throw misalignedBufferPosition(b.position(), memory.address(), alignment);
            }
            if (len % alignment != 0) {
                throw misaligned("Number of remaining bytes", len, alignment);
            }
        }
        if (!copies) {
            return memory.byteSize() == len ? memory : memory.asSlice(0, len);
        }
        ByteBuffer bounce = BouncePool.acquire(len, Math.max(alignment, 1));
        if (!isRead) {
            bounce.put(0, b, b.position(), len);
        }
        bounces[i] = bounce;
        return MemorySegment.ofBuffer(bounce).asSlice(0, len);
    }

    private void prepareRequest(long position, MemorySegment[] segments) {
        if (segments.length == 1) {
            prepareRequest(position, segments[0]);
        } else if (isRead) {
            descriptor.prepareReadv(request, position, segments);
        } else {
            descriptor.prepareWritev(request, position, segments);
        }
    }

    private void prepareRequest(long position, MemorySegment segment) {
        if (isRead) {
            descriptor.prepareRead(request, position, segment);
        } else {
            descriptor.prepareWrite(request, position, segment);
        }
    }

    /**
     * A one-buffer read or write to be prepared, and prepared again for each use, by {@link #reload}: for a pool
     * of operations, which must reuse it only once its previous use is over (see the class comment).
     */
    static Operation reusable(Descriptor descriptor, String path, Listener listener) {
        Operation op = new Operation(descriptor, path, false, new ByteBuffer[1], new ByteBuffer[1], new int[1], false);
        op.listener = listener;
        return op;
    }

    /**
     * Prepares a {@link #reusable} operation, whose previous use is over, as {@link #prepareTransfer} prepares a
     * one-buffer transfer: {@code buffer}'s remaining bytes (at most {@code maxBytes} of them if copied) at
     * {@code position}. {@code memory} is {@code MemorySegment.ofBuffer(buffer)} for a direct buffer, else null.
     *
     * @throws IOException for a misaligned O_DIRECT transfer, as {@link #prepareTransfer}; the operation is then
     *     over again (nothing held)
     */
    void reload(boolean read, ByteBuffer buffer, MemorySegment memory, long position, long maxBytes,
            int alignment) throws IOException {
        boolean copies = memory == null || !CollectedMemory.is(memory);
        int len = copies ? (int) Math.min(buffer.remaining(), maxBytes) : buffer.remaining();
        checkPosition(position, len, alignment);
        MemorySegment segment = stage(read, buffer, len, memory, copies, alignment, bounces, 0);
        isRead = read;
        pageCached = alignment == 0;
        servedNow = false;
        directErrno = 0;
        buffers[0] = buffer;
        lengths[0] = len;
        state.set(PENDING);
        event = read ? IoEvents.beginRead() : IoEvents.beginWrite();
        prepareRequest(position, segment);
    }

    /**
     * The JDK's O_DIRECT misalignment error (sun.nio.ch.IOUtil): an IOException naming the value and the block
     * size, thrown before the kernel is asked, so callers never see a bare EINVAL.
     */
    static IOException misaligned(String what, long value, int alignment) {
        return new IOException(what + " (" + value + ") is not a multiple of the block size (" + alignment + ")");
    }

    /**
     * The JDK's O_DIRECT error for a direct buffer whose position is not at an aligned address
     * (sun.nio.ch.Util.checkBufferPositionAligned): {@code address} is the address of the buffer's position.
     */
    static IOException misalignedBufferPosition(int position, long address, int alignment) {
        return new IOException("Current position of the bytebuffer (" + position
                + ") is not a multiple of the block size (" + alignment + "): alignment offset = "
                + address % alignment);
    }

    /** An operation with no buffers: fsync, fdatasync or fallocate, prepared by the caller on {@link #request}. */
    static Operation prepareControl(Descriptor descriptor, String path) {
        return new Operation(descriptor, path, false, new ByteBuffer[0], new ByteBuffer[0], new int[0], false);
    }

    /** An fsync ({@code metaData}) or fdatasync of the file, for either channel's {@code sync} through the engine. */
    static Operation prepareSync(Descriptor descriptor, String path, boolean metaData) {
        Operation op = prepareControl(descriptor, path);
        if (metaData) {
            descriptor.prepareFsync(op.request);
        } else {
            descriptor.prepareFdatasync(op.request);
        }
        return op;
    }

    /**
     * Either channel's {@code preallocate} arguments, checked before anything else.
     *
     * @throws IllegalArgumentException for a negative position, a length that is not positive, or an overflow
     */
    static void checkPreallocateRange(long at, long length) {
        if (at < 0 || length <= 0 || at + length < 0) {
            throw new IllegalArgumentException("preallocate needs position >= 0 and length > 0 without overflow: "
                    + at + ", " + length);
        }
    }

    /** A fallocate of {@code [at, at + length)} for either channel's {@code preallocate}. */
    static Operation preparePreallocate(Descriptor descriptor, String path, long at, long length, boolean keepSize) {
        Operation op = prepareControl(descriptor, path);
        descriptor.prepareFallocate(op.request, keepSize ? LibC.FALLOC_FL_KEEP_SIZE : 0, at, length);
        return op;
    }

    /**
     * Serves the operation on this thread if the kernel can without waiting ({@link IoEngine#tryNow}), unless
     * recent attempts on this file were refused ({@link Descriptor.ImmediateOdds}). The caller holds a
     * descriptor reference: completion drops it, as after a submit; if this answers false, the caller still
     * holds it.
     *
     * @return true if the operation completed (its listener has run; call {@link #finish()}); false if it must be
     *     submitted
     */
    boolean tryNow(IoEngine engine) {
        Descriptor.ImmediateOdds odds = descriptor.immediate(isRead);
        if (!pageCached || !odds.worthTrying()) {
            return false;
        }
        boolean served = engine.tryNow(request);
        odds.tried(served);
        servedNow = served;
        return served;
    }

    /** True if {@link #tryNow} served it: a short count then means "not cached further", not end of file. */
    boolean wasServedNow() {
        return servedNow;
    }

    /** The thread to unpark at completion; set before submitting. */
    void waiter(Thread thread) {
        this.waiter = thread;
    }

    /** Called on completion (on the engine's thread), instead of unparking a waiter; set before submitting. */
    void listener(Listener listener) {
        this.listener = listener;
    }

    boolean isCompleted() {
        return state.get() == COMPLETED;
    }

    /** The engine's completion: drops the descriptor reference, then wakes the owner or cleans up after it. */
    @Override
    public void onComplete(IoRequest completed) {
        descriptor.release();
        if (state.compareAndSet(PENDING, COMPLETED)) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
            Listener l = listener;
            if (l != null) {
                // Set and put back rather than removed: a removed thread-local costs a new map entry next time.
                Boolean outer = COMPLETING.get();
                COMPLETING.set(Boolean.TRUE);
                try {
                    l.completed(this);
                } finally {
                    COMPLETING.set(outer);
                }
            }
        } else {
            recycle(bounces);
            Listener l = listener;
            if (l != null) {
                l.dropped(this);
            }
        }
    }

    /** The request never reached the engine (refused, or the channel closed first): releases the bounce buffers. */
    void discard() {
        recycle(bounces);
        Listener l = listener;
        if (l != null) {
            l.dropped(this);
        }
    }

    /**
     * True on the engine's thread inside a completion listener: waiting there for another completion would
     * deadlock the engine (a handler run inline by a caller-runs executor lands here).
     */
    static boolean isCompleting() {
        return COMPLETING.get() != null;
    }

    /**
     * The owner gives up waiting. True if it did so before completion: the completion will recycle the bounce
     * buffers; false if the operation has completed, and the owner must {@link #finish()} it.
     */
    boolean abandon() {
        return state.compareAndSet(PENDING, ABANDONED);
    }

    /**
     * True if the kernel uses memory of the caller's (a direct buffer over {@link CollectedMemory}) rather than
     * only bounce buffers. Such an operation is abandoned only where waiting is impossible: the caller may reuse
     * that memory as soon as the channel call returns, so the call waits for the kernel to finish with it, as
     * the JDK's blocking system calls do.
     */
    boolean usesCallerMemory() {
        for (ByteBuffer b : bounces) {
            if (b == null) {
                return true;
            }
        }
        return false;
    }

    /** Bytes this operation asked for. */
    long length() {
        return request.length();
    }

    /**
     * After completion: moves the buffers' positions by the bytes transferred (copying read bytes out of the
     * bounce buffers first), recycles the bounce buffers and returns the byte count. On failure nothing moves and
     * the error is thrown, naming the path.
     */
    long finish() throws IOException {
        IOException failure = request.exception();
        return finishWith(request.result(), failure == null ? null : withPath(failure));
    }

    private long finishWith(long done, IOException failure) throws IOException {
        try {
            if (failure != null) {
                throw failure;
            }
            long left = done;
            for (int i = 0; i < buffers.length && left > 0; i++) {
                ByteBuffer b = buffers[i];
                int moved = (int) Math.min(lengths[i], left);
                if (isRead && bounces[i] != null) {
                    b.put(b.position(), bounces[i], 0, moved);
                }
                b.position(b.position() + moved);
                left -= moved;
            }
            if (event != null) {
                commitEvent(done);
            }
            return done;
        } finally {
            recycle(bounces);
        }
    }

    private void commitEvent(long done) {
        IoOp op = request.op();
        switch (op) {
            case READ, READV -> IoEvents.commitRead(event, path, done, descriptor.engine(), servedNow);
            case WRITE, WRITEV -> IoEvents.commitWrite(event, path, done, descriptor.engine(), servedNow);
            case FSYNC, FDATASYNC -> IoEvents.commitForce(event, path, op == IoOp.FSYNC, descriptor.engine());
            case FALLOCATE -> {
                // Not a read, write or force: no event, as the JDK emits none for it.
            }
        }
    }

    /**
     * Does the prepared request on this thread with the plain system call instead of the engine, then finishes
     * as {@link #finish()}; for a caller on the engine's own completion thread, which must not wait for the
     * engine. The caller holds a descriptor reference, which this drops.
     */
    long runDirectly() throws IOException {
        long result;
        IoRequest r = request;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = Native.newCallState(arena);
            int fd = r.fd();
            result = switch (r.op()) {
                case READ -> LibC.pread(callState, fd, r.segment().address(), r.length(), r.position());
                case WRITE -> LibC.pwrite(callState, fd, r.segment().address(), r.length(), r.position());
                case READV, WRITEV -> {
                    MemorySegment[] segments = r.segments();
                    MemorySegment iovecs = arena.allocate(Iovec.LAYOUT, segments.length);
                    for (int i = 0; i < segments.length; i++) {
                        Iovec.set(iovecs, i, segments[i]);
                    }
                    yield r.op() == IoOp.READV ? LibC.preadv(callState, fd, iovecs, segments.length, r.position())
                            : LibC.pwritev(callState, fd, iovecs, segments.length, r.position());
                }
                case FSYNC -> LibC.fsync(callState, fd);
                case FDATASYNC -> LibC.fdatasync(callState, fd);
                case FALLOCATE -> LibC.fallocate(callState, fd, r.fallocateMode(), r.position(), r.length());
            };
        } finally {
            Reference.reachabilityFence(r);
            descriptor.release();
        }
        state.set(COMPLETED);
        if (result < 0) {
            directErrno = (int) -result;
            return finishWith(0, Errno.toFileSystemException((int) -result, path, null));
        }
        return finishWith(result, null);
    }

    private IOException withPath(IOException failure) {
        if (failure instanceof ErrnoException errno && errno.errno() == Errno.ECANCELED) {
            // Only a channel's close cancels its requests (IoEngine.cancel): the JDK's exception for IO ended so.
            AsynchronousCloseException closed = new AsynchronousCloseException();
            closed.initCause(failure);
            return closed;
        }
        if (failure instanceof ErrnoException errno) {
            IOException mapped = Errno.toFileSystemException(errno.errno(), path, null);
            mapped.initCause(failure);
            return mapped;
        }
        return failure;
    }

    /**
     * What a caller sees when the engine refused a request: an IOException when the engine is closed (or full
     * on one of its own threads), else the engine's own exception (for example IllegalStateException for a
     * segment-backed buffer whose arena is closed, as the JDK throws).
     */
    static IOException submitFailure(IoEngine engine, RuntimeException refused) {
        if (!engine.isOpen() || refused instanceof RejectedExecutionException) {
            return new IOException("io-engine: the engine refused the request: " + refused.getMessage(), refused);
        }
        throw refused;
    }

    /** The errno of a failed request, or 0. */
    int errno() {
        return directErrno != 0 ? directErrno : request.errno();
    }

    private static void recycle(ByteBuffer[] bounces) {
        for (int i = 0; i < bounces.length; i++) {
            ByteBuffer b = bounces[i];
            if (b != null) {
                bounces[i] = null;
                BouncePool.release(b);
            }
        }
    }
}

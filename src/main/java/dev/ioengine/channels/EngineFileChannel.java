package dev.ioengine.channels;

import dev.ioengine.IoEngine;
import dev.ioengine.internal.engine.FaultInjection;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.events.IoEvents;
import dev.ioengine.internal.files.OpenSpec;
import dev.ioengine.internal.linux.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link FileChannel} with the JDK's semantics (sun.nio.ch.FileChannelImpl) whose reads, writes and syncs are,
 * on a platform thread, one system call on that thread ({@link CallerThreadIo}, as the JDK's), and on a virtual
 * thread requests to an {@link IoEngine}, opened on first need ({@link EngineChannels.LazyEngine}); {@code force}
 * is a group commit with sticky write-back errors ({@link SyncGroup}). The same checks in the same order, the
 * same exceptions, buffer positions moving only by what was transferred, and the interrupt behaviour of
 * {@link java.nio.channels.spi.AbstractInterruptibleChannel}: a thread interrupted in an IO operation closes
 * the channel and gets {@link java.nio.channels.ClosedByInterruptException}; other threads blocked in it get
 * {@link AsynchronousCloseException}. On the engine's road: when the request copies through bounce buffers (heap
 * buffers, fsync, fallocate) the wait ends at once and the request is abandoned: the bounce buffers and the file
 * descriptor stay alive until the kernel is done ({@link Operation}, {@link Descriptor}), and the close waits for
 * that. When the
 * kernel uses the caller's own direct or segment-backed buffer, the thread waits for the request to complete
 * (as the JDK's uninterruptible file system calls do), so that the caller may free that memory once the call
 * returns; the exception, if any, is thrown then.
 *
 * <p>Waiting parks ({@link LockSupport}), so virtual threads unmount while their IO is in the kernel. The
 * channel's position is a field guarded by {@code positionLock}; relative operations hold that lock.
 *
 * <p>The uninterruptible variant ({@link EngineChannels#newUninterruptibleFileChannel}) ignores interrupts, as the
 * JDK's channels for {@code Files.newInputStream} and friends do: the operation completes and the interrupt
 * status is kept.
 *
 * <p>Closing: {@link #implCloseChannel()} wakes blocked threads, releases this channel's locks, cancels what the
 * engine can cancel and waits until no IO of this channel runs any more, as the JDK's close waits for the threads
 * in its system calls; then the descriptor is closed.
 */
final class EngineFileChannel extends FileChannel implements Preallocatable, SyncGroup.Sync {
    /** What the wait returns when the channel was closed before the request completed. */
    static final long ABANDONED = -2;

    private final EngineChannels.LazyEngine engines;
    /** The engine, once a call needed it; null before (and when none can be had). */
    private volatile IoEngine engine;
    /** The test seam for calls made on the caller's thread ({@link FaultInjection#of}); null in production. */
    private final FaultInjector faults;
    private final SyncGroup syncs;
    private final Descriptor descriptor;
    private final Path path;
    private final String pathName;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    /** The O_DIRECT alignment, or 0 without O_DIRECT. */
    private final int alignment;
    private final boolean uninterruptible;
    private final ReentrantLock positionLock = new ReentrantLock();
    private final Set<Thread> blocked = ConcurrentHashMap.newKeySet();
    private long position;

    EngineFileChannel(EngineChannels.LazyEngine engines, FaultInjector faults, Descriptor descriptor, Path path,
            OpenSpec spec, int alignment, boolean uninterruptible) {
        this.engines = engines;
        this.faults = faults;
        this.descriptor = descriptor;
        this.path = path;
        this.pathName = path.toString();
        this.syncs = new SyncGroup(pathName, this);
        this.readable = spec.read();
        this.writable = spec.write();
        this.append = spec.append();
        this.alignment = alignment;
        this.uninterruptible = uninterruptible;
    }

    // ---- where a call runs ------------------------------------------------------------------------------------

    /**
     * The engine, opened by the source on the first call that needs it. Null when none can be had: the calls are
     * then all made on the caller's thread.
     */
    private IoEngine engine() throws IOException {
        IoEngine e = engine;
        if (e == null) {
            e = engines.get();
            engine = e;
        }
        return e;
    }

    /**
     * Whether this call is a system call on the caller's own thread ({@link CallerThreadIo}) rather than an engine
     * request: on a platform thread it always is (a hand-off gains nothing there, and the JDK's own call is the
     * cost to meet); a virtual thread submits and parks, its carrier free for others, unless no engine can be had.
     */
    private boolean onCallerThread() throws IOException {
        return !Thread.currentThread().isVirtual() || engine() == null;
    }

    // ---- blocking protocol -----------------------------------------------------------------------------------

    void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    void beginBlocking() {
        if (!uninterruptible) {
            begin();
        }
    }

    void endBlocking(boolean completed) throws AsynchronousCloseException {
        if (!uninterruptible) {
            end(completed);
        } else if (!completed && !isOpen()) {
            throw new AsynchronousCloseException();
        }
    }

    /**
     * Submits the operation and waits for it, between {@link #beginBlocking()} and {@link #endBlocking}.
     *
     * @return the operation's {@link Operation#finish()} result, or {@link #ABANDONED} if the channel closed
     *     (by an interrupt or by another thread) before it completed
     */
    private long run(Operation op) throws IOException {
        IoEngine engine = engine();
        if (!descriptor.acquire()) {
            op.discard();
            return ABANDONED;
        }
        if (Operation.isCompleting()) {
            // On the engine's own thread (a handler run inline): waiting for the engine would wait for ourselves.
            return op.runDirectly();
        }
        try {
            if (op.tryNow(engine)) {
                return op.finish();
            }
        } catch (RuntimeException e) {
            descriptor.release();
            op.discard();
            throw Operation.submitFailure(engine, e);
        }
        Thread me = Thread.currentThread();
        op.waiter(me);
        blocked.add(me);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    engine.submit(op.request);
                    break;
                } catch (InterruptedException e) {
                    if (!uninterruptible) {
                        me.interrupt();
                        descriptor.release();
                        op.discard();
                        return ABANDONED;
                    }
                    interrupted = true;
                } catch (RuntimeException e) {
                    descriptor.release();
                    op.discard();
                    throw Operation.submitFailure(engine, e);
                }
            }
            // Heap buffers are bounced, so the wait can end at close or interrupt; the caller's own memory must
            // outlive the kernel's use of it, so then the wait goes on (the JDK's system call would too).
            boolean mayAbandon = !op.usesCallerMemory();
            while (!op.isCompleted()) {
                if (mayAbandon && !isOpen() && op.abandon()) {
                    return ABANDONED;
                }
                if ((uninterruptible || !mayAbandon) && Thread.interrupted()) {
                    interrupted = true;
                }
                LockSupport.park(this);
            }
            return op.finish();
        } finally {
            blocked.remove(me);
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /** Reads into the buffers at {@code at}: bytes read, -1 at end of file, or {@link #ABANDONED}. */
    private long readAt(ByteBuffer[] dsts, int offset, int length, long at) throws IOException {
        if (onCallerThread()) {
            return readOnCallerThread(dsts, offset, length, at);
        }
        long total = 0;
        while (true) {
            Operation op = Operation.prepareTransfer(descriptor, pathName, true, dsts, offset, length, at + total,
                    BouncePool.MAX_CHUNK, alignment);
            if (op == null) {
                return total;
            }
            long asked = op.length();
            long n = run(op);
            if (n == ABANDONED) {
                return total > 0 ? total : ABANDONED;
            }
            if (n == 0) {
                return total > 0 ? total : -1;
            }
            total += n;
            if (n < asked && !op.wasServedNow()) {
                return total;
            }
        }
    }

    /**
     * Reads into (or writes from) one buffer at {@code at}: at once from the page cache if it can
     * ({@link ImmediateTransfer}), else (or for what was not cached) through the engine. Bytes moved, -1 for a
     * read at end of file, or {@link #ABANDONED}.
     */
    private long transferAt(boolean isRead, ByteBuffer buffer, long at) throws IOException {
        if (!buffer.hasRemaining()) {
            return 0;
        }
        if (onCallerThread()) {
            return isRead ? readOnCallerThread(buffer, at) : writeOnCallerThread(buffer, at);
        }
        ByteBuffer[] one = {buffer};
        long now = immediately(isRead, buffer, at);
        if (now == ImmediateTransfer.REFUSED) {
            return isRead ? readAt(one, 0, 1, at) : writeAt(one, 0, 1, at);
        }
        if (isRead && now == 0) {
            return -1;
        }
        if (!buffer.hasRemaining()) {
            return now;
        }
        long rest = isRead ? readAt(one, 0, 1, at + now) : writeAt(one, 0, 1, at + now);
        return rest > 0 ? now + rest : now;
    }

    /** {@link ImmediateTransfer#transfer} without O_DIRECT (else REFUSED), its refusals as the engine's. */
    private long immediately(boolean isRead, ByteBuffer buffer, long at) throws IOException {
        if (alignment > 0) {
            return ImmediateTransfer.REFUSED;
        }
        try {
            return ImmediateTransfer.transfer(engine(), descriptor, pathName, isRead, buffer, at);
        } catch (RuntimeException e) {
            throw Operation.submitFailure(engine(), e);
        }
    }

    /** Writes the buffers at {@code at} until they are empty: bytes written, or {@link #ABANDONED}. */
    private long writeAt(ByteBuffer[] srcs, int offset, int length, long at) throws IOException {
        if (onCallerThread()) {
            return writeOnCallerThread(srcs, offset, length, at);
        }
        long total = 0;
        while (true) {
            Operation op = Operation.prepareTransfer(descriptor, pathName, false, srcs, offset, length, at + total,
                    BouncePool.MAX_CHUNK, alignment);
            if (op == null) {
                return total;
            }
            long n;
            try {
                n = run(op);
            } catch (IOException e) {
                syncs.writeFailed(op.errno());
                throw e;
            }
            if (n == ABANDONED) {
                return total > 0 ? total : ABANDONED;
            }
            if (n == 0) {
                return total;
            }
            total += n;
        }
    }

    // ---- calls on the caller's thread: one system call each, as the JDK's ----------------------------------

    private long readOnCallerThread(ByteBuffer dst, long at) throws IOException {
        if (alignment > 0) {
            CallerThreadIo.checkDirectIo(new ByteBuffer[] {dst}, 0, 1, at, alignment);
        }
        checkEndOffset(at, dst.remaining());
        Object event = IoEvents.beginRead();
        long n = CallerThreadIo.read(descriptor, dst, at, alignment, faults);
        readEvent(event, n);
        return n == 0 ? -1 : callerThreadResult(n, false);
    }

    private long writeOnCallerThread(ByteBuffer src, long at) throws IOException {
        if (alignment > 0) {
            CallerThreadIo.checkDirectIo(new ByteBuffer[] {src}, 0, 1, at, alignment);
        }
        checkEndOffset(at, src.remaining());
        Object event = IoEvents.beginWrite();
        long n = CallerThreadIo.write(descriptor, src, at, alignment, faults);
        writeEvent(event, n);
        return callerThreadResult(n, true);
    }

    private long readOnCallerThread(ByteBuffer[] dsts, int offset, int length, long at) throws IOException {
        long asked = remaining(dsts, offset, length);
        if (asked == 0) {
            return 0;
        }
        if (alignment > 0) {
            CallerThreadIo.checkDirectIo(dsts, offset, length, at, alignment);
        }
        checkEndOffset(at, asked);
        Object event = IoEvents.beginRead();
        long n = CallerThreadIo.read(descriptor, dsts, offset, length, at, alignment, faults);
        readEvent(event, n);
        return n == 0 ? -1 : callerThreadResult(n, false);
    }

    private long writeOnCallerThread(ByteBuffer[] srcs, int offset, int length, long at) throws IOException {
        long asked = remaining(srcs, offset, length);
        if (asked == 0) {
            return 0;
        }
        if (alignment > 0) {
            CallerThreadIo.checkDirectIo(srcs, offset, length, at, alignment);
        }
        checkEndOffset(at, asked);
        Object event = IoEvents.beginWrite();
        long n = CallerThreadIo.write(descriptor, srcs, offset, length, at, alignment, faults);
        writeEvent(event, n);
        return callerThreadResult(n, true);
    }

    /** The JFR event of a read made on the caller's thread: bytes read (0 at the end of the file), if any. */
    private void readEvent(Object event, long n) {
        if (event != null && n >= 0) {
            IoEvents.commitRead(event, pathName, n, descriptor.engine(), true);
        }
    }

    /** The JFR event of a write made on the caller's thread, if it wrote. */
    private void writeEvent(Object event, long n) {
        if (event != null && n >= 0) {
            IoEvents.commitWrite(event, pathName, n, descriptor.engine(), true);
        }
    }

    /** A {@link CallerThreadIo} answer as this channel's: bytes, {@link #ABANDONED} when closed, or the error. */
    private long callerThreadResult(long n, boolean isWrite) throws IOException {
        if (n >= 0) {
            return n;
        }
        if (n == CallerThreadIo.CLOSED) {
            return ABANDONED;
        }
        if (isWrite) {
            syncs.writeFailed((int) -n);
        }
        throw Errno.toFileSystemException((int) -n, pathName, null);
    }

    private static long remaining(ByteBuffer[] buffers, int offset, int length) {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += buffers[i].remaining();
        }
        return total;
    }

    /**
     * pread(2) / pwrite(2) answer EINVAL when position + count passes the largest file offset, and the JDK's
     * channels report that as an IOException: so do these, before the kernel is asked (as {@link Operation}).
     */
    private static void checkEndOffset(long at, long length) throws IOException {
        if (at + length < 0) {
            throw new IOException(Errno.description(Errno.EINVAL));
        }
    }

    /** The JDK's O_DIRECT position check, with its exception and message. */
    private void checkPositionAligned(long at) throws IOException {
        if (alignment > 0 && at % alignment != 0) {
            throw Operation.misaligned("Channel position", at, alignment);
        }
    }

    private static void checkWritableBuffers(ByteBuffer[] dsts, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (Objects.requireNonNull(dsts[i]).isReadOnly()) {
                throw new IllegalArgumentException("Read-only buffer");
            }
        }
    }

    private static void checkBuffers(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            Objects.requireNonNull(srcs[i]);
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        return (int) read(new ByteBuffer[] {dst}, 0, 1);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        ensureOpen();
        if (!readable) {
            throw new NonReadableChannelException();
        }
        checkWritableBuffers(dsts, offset, length);
        positionLock.lock();
        try {
            checkPositionAligned(position);
            long n = 0;
            try {
                beginBlocking();
                if (!isOpen()) {
                    return 0;
                }
                n = length == 1 ? transferAt(true, dsts[offset], position) : readAt(dsts, offset, length, position);
                if (n > 0) {
                    position += n;
                }
                return n == ABANDONED ? 0 : n;
            } finally {
                endBlocking(n > 0);
            }
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public int read(ByteBuffer dst, long at) throws IOException {
        Objects.requireNonNull(dst);
        if (at < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ensureOpen();
        if (!readable) {
            throw new NonReadableChannelException();
        }
        checkPositionAligned(at);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        long n = 0;
        try {
            beginBlocking();
            if (!isOpen()) {
                return 0;
            }
            n = transferAt(true, dst, at);
            return n == ABANDONED ? 0 : (int) n;
        } finally {
            endBlocking(n > 0);
        }
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        ensureOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
        checkBuffers(srcs, offset, length);
        positionLock.lock();
        try {
            if (!append) {
                checkPositionAligned(position);
            }
            long n = 0;
            try {
                beginBlocking();
                if (!isOpen()) {
                    return 0;
                }
                // With O_APPEND the kernel writes at the end of the file whatever position it is given.
                long at = append ? 0 : position;
                n = length == 1 ? transferAt(false, srcs[offset], at) : writeAt(srcs, offset, length, at);
                if (n > 0) {
                    position = append ? sizeNow() : position + n;
                }
                return n == ABANDONED ? 0 : n;
            } finally {
                endBlocking(n > 0);
            }
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src, long at) throws IOException {
        Objects.requireNonNull(src);
        if (at < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ensureOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
        checkPositionAligned(at);
        long n = 0;
        try {
            beginBlocking();
            if (!isOpen()) {
                return 0;
            }
            n = transferAt(false, src, at);
            return n == ABANDONED ? 0 : (int) n;
        } finally {
            endBlocking(n > 0);
        }
    }

    // ---- position, size, truncate, force ---------------------------------------------------------------------

    /** As the JDK, position and size are blocking operations too: an interrupted caller closes the channel. */
    @Override
    public long position() throws IOException {
        ensureOpen();
        positionLock.lock();
        try {
            long p = -1;
            try {
                beginBlocking();
                if (!isOpen()) {
                    return 0;
                }
                // As the JDK: in append mode the position is the end of the file.
                p = append ? sizeNow() : position;
                return p;
            } finally {
                endBlocking(p > -1);
            }
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException();
        }
        positionLock.lock();
        try {
            boolean completed = false;
            try {
                beginBlocking();
                if (!isOpen()) {
                    return null;
                }
                position = newPosition;
                completed = true;
                return this;
            } finally {
                endBlocking(completed);
            }
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        long size = -1;
        try {
            beginBlocking();
            if (!isOpen()) {
                return -1;
            }
            size = sizeNow();
            return size;
        } finally {
            endBlocking(size > -1);
        }
    }

    private long sizeNow() throws IOException {
        return descriptor.size(pathName);
    }

    @Override
    public FileChannel truncate(long newSize) throws IOException {
        ensureOpen();
        if (newSize < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        positionLock.lock();
        try {
            boolean completed = false;
            try {
                beginBlocking();
                if (!isOpen() || !descriptor.truncate(pathName, newSize)) {
                    return null;
                }
                if (position > newSize) {
                    position = newSize;
                }
                completed = true;
                return this;
            } finally {
                endBlocking(completed);
            }
        } finally {
            positionLock.unlock();
        }
    }

    /** Group commit and sticky write-back errors: {@link SyncGroup}. */
    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        boolean done = false;
        try {
            beginBlocking();
            if (!isOpen()) {
                return;
            }
            done = syncs.force(metaData, !uninterruptible);
        } finally {
            endBlocking(done);
        }
    }

    /** One fsync or fdatasync for {@link SyncGroup}: on this thread, or through the engine. */
    @Override
    public long sync(boolean metaData) throws IOException {
        if (onCallerThread()) {
            return CallerThreadIo.syncRecorded(descriptor, pathName, metaData, faults);
        }
        Operation op = Operation.prepareSync(descriptor, pathName, metaData);
        try {
            return run(op) == ABANDONED ? SyncGroup.NOT_DONE : 0;
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
        long n = ABANDONED;
        try {
            beginBlocking();
            if (!isOpen()) {
                return;
            }
            try {
                n = run(op);
            } catch (IOException e) {
                if (keepSize || op.errno() != Errno.EOPNOTSUPP) {
                    throw e;
                }
                n = 0;
                if (sizeNow() < at + length) {
                    n = writeAt(new ByteBuffer[] {ByteBuffer.allocate(1)}, 0, 1, at + length - 1);
                }
            }
        } finally {
            endBlocking(n != ABANDONED);
        }
    }

    // ---- transfers -------------------------------------------------------------------------------------------

    @Override
    public long transferTo(long at, long count, WritableByteChannel target) throws IOException {
        return FileTransfers.transferTo(this, at, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long at, long count) throws IOException {
        return FileTransfers.transferFrom(this, src, at, count);
    }

    // The state FileTransfers reads: the open modes, the descriptor, the blocking protocol, the position.

    boolean isReadable() {
        return readable;
    }

    boolean isWritable() {
        return writable;
    }

    boolean isAppend() {
        return append;
    }

    boolean isUninterruptible() {
        return uninterruptible;
    }

    Descriptor descriptor() {
        return descriptor;
    }

    String pathName() {
        return pathName;
    }

    ReentrantLock positionLock() {
        return positionLock;
    }

    /** The position, read with {@link #positionLock()} held. */
    long positionHeld() {
        assert positionLock.isHeldByCurrentThread();
        return position;
    }

    /** Sets the position with {@link #positionLock()} held. */
    void positionHeld(long newPosition) {
        assert positionLock.isHeldByCurrentThread();
        position = newPosition;
    }

    // ---- mapping ---------------------------------------------------------------------------------------------

    /**
     * Maps through a JDK FileChannel on this very open file ({@link Descriptor#map}), kept open until this channel
     * closes so that no lock of the channel is dropped by an early close of it.
     */
    @Override
    public MappedByteBuffer map(MapMode mode, long at, long size) throws IOException {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Size exceeds Integer.MAX_VALUE");
        }
        checkMap(mode, at, size);
        return descriptor.map(path, isReadOnly(mode), mapper -> mapper.map(mode, at, size));
    }

    /** As {@link #map(MapMode, long, long)}, for a {@link MemorySegment} whose lifetime is {@code arena}'s. */
    @Override
    public MemorySegment map(MapMode mode, long at, long size, Arena arena) throws IOException {
        Objects.requireNonNull(mode, "Mode is null");
        Objects.requireNonNull(arena, "Arena is null");
        if (at < 0) {
            throw new IllegalArgumentException("Requested bytes offset must be >= 0.");
        }
        if (size < 0) {
            throw new IllegalArgumentException("Requested bytes size must be >= 0.");
        }
        checkMap(mode, at, size);
        return descriptor.map(path, isReadOnly(mode), mapper -> mapper.map(mode, at, size, arena));
    }

    /** The JDK's read-only modes: READ_ONLY and jdk.nio.mapmode.ExtendedMapMode.READ_ONLY_SYNC. */
    private static boolean isReadOnly(MapMode mode) {
        return mode == MapMode.READ_ONLY || mode.toString().equals("READ_ONLY_SYNC");
    }

    /** FileChannelImpl.mapInternal's checks, in its order. */
    private void checkMap(MapMode mode, long at, long size) throws IOException {
        ensureOpen();
        Objects.requireNonNull(mode, "Mode is null");
        if (at < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (at + size < 0) {
            throw new IllegalArgumentException("Position + size overflow");
        }
        if (!isReadOnly(mode) && !writable) {
            throw new NonWritableChannelException();
        }
        if (!readable) {
            throw new NonReadableChannelException();
        }
    }

    // ---- locks -----------------------------------------------------------------------------------------------

    private void checkLockMode(boolean shared) {
        if (shared && !readable) {
            throw new NonReadableChannelException();
        }
        if (!shared && !writable) {
            throw new NonWritableChannelException();
        }
    }

    /** Waits for the lock as {@link Descriptor#awaitLock} does, ended by close or (when interruptible) interrupt. */
    @Override
    public FileLock lock(long at, long size, boolean shared) throws IOException {
        ensureOpen();
        checkLockMode(shared);
        EngineFileLock lock = new EngineFileLock(this, descriptor, pathName, at, EngineFileLock.sizeOf(at, size),
                shared);
        descriptor.record(pathName, lock);
        boolean completed = false;
        Thread me = Thread.currentThread();
        boolean[] interrupted = {false};
        try {
            beginBlocking();
            blocked.add(me);
            boolean acquired = descriptor.awaitLock(pathName, lock, () -> {
                if (uninterruptible && Thread.interrupted()) {
                    interrupted[0] = true;
                }
                return !isOpen();
            });
            completed = acquired && isOpen();
            if (acquired && !completed) {
                descriptor.forget(lock);
            }
            return completed ? lock : null;
        } finally {
            blocked.remove(me);
            if (interrupted[0]) {
                me.interrupt();
            }
            try {
                endBlocking(completed);
            } catch (ClosedByInterruptException e) {
                // As the JDK (and FileChannel.lock's spec): the interrupted locker gets this instead.
                throw new FileLockInterruptionException();
            }
        }
    }

    @Override
    public FileLock tryLock(long at, long size, boolean shared) throws IOException {
        ensureOpen();
        checkLockMode(shared);
        EngineFileLock lock = new EngineFileLock(this, descriptor, pathName, at, EngineFileLock.sizeOf(at, size),
                shared);
        return descriptor.tryLock(pathName, lock) ? lock : null;
    }

    // ---- closing ---------------------------------------------------------------------------------------------

    /**
     * Wakes the threads blocked in this channel (those waiting for a bounce-buffer request end at once with
     * AsynchronousCloseException), then closes the open file: when this returns, no IO of the channel runs
     * ({@link Descriptor#close(java.nio.channels.Channel, IoEngine)}).
     */
    @Override
    protected void implCloseChannel() {
        for (Thread t : blocked) {
            LockSupport.unpark(t);
        }
        descriptor.close(this, engine);
    }

    @Override
    public String toString() {
        return "EngineFileChannel[" + pathName + ", " + descriptor + (readable ? ", read" : "")
                + (writable ? ", write" : "") + (append ? ", append" : "")
                + (alignment > 0 ? ", O_DIRECT " + alignment : "")
                + (engine != null ? ", engine " + engine.kind() : "") + "]";
    }
}

package dev.ioengine.channels;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.engine.RequestAccess;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Stat;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file descriptor shared by a channel and the requests it has in flight, closed only when both are done
 * with it. The kernel (or a thread-pool worker) may still use the descriptor after the channel has closed,
 * when a request was abandoned by an interrupt or an asynchronous close; closing the number early would let a
 * newly opened file reuse it and receive that request's bytes.
 *
 * <p>State: one long, {@code references << 1 | closedBit}. {@link #acquire()} adds a reference unless closed;
 * whoever brings the state to "closed, no references" closes the descriptor, which happens exactly once.
 */
final class Descriptor {
    private static final RequestAccess REQUESTS = RequestAccess.get();
    private static final long CLOSED = 1;
    private static final long ONE_REFERENCE = 2;

    private final int fd;
    /** The engine the channel's requests go to: named in the JFR events
     * ({@link dev.ioengine.internal.events.IoEvents}). */
    private final EngineKind engine;
    private final AtomicLong state = new AtomicLong();
    private volatile Stat stat;
    private volatile FileLockTable.FileKey fileKey;
    private final ImmediateOdds immediateReads = new ImmediateOdds();
    private final ImmediateOdds immediateWrites = new ImmediateOdds();

    Descriptor(int fd, EngineKind engine) {
        this.fd = fd;
        this.engine = engine;
    }

    /** The descriptor number: valid while a reference is held. */
    int fd() {
        return fd;
    }

    EngineKind engine() {
        return engine;
    }

    /** Takes a reference; false once {@link #close()} was called. */
    boolean acquire() {
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

    /** Drops a reference taken by {@link #acquire()}; the last one after close closes the descriptor. */
    void release() {
        long s = state.addAndGet(-ONE_REFERENCE);
        if (s == CLOSED) {
            LibC.close(fd);
        }
    }

    /** Closes now if no reference is held, else when the last one is released. Idempotent. */
    void close() {
        long s = state.getAndUpdate(v -> v | CLOSED);
        if (s == 0) {
            LibC.close(fd);
        }
    }

    /** True once {@link #close()} was called (the number may still be open for requests in flight). */
    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** How often reads (or writes) of this file have been served at once lately: see {@link ImmediateOdds}. */
    ImmediateOdds immediate(boolean reads) {
        return reads ? immediateReads : immediateWrites;
    }

    /**
     * Whether the next read (or write) of the file should first try to complete at once from the page cache
     * ({@link IoEngine#tryNow}): yes while such attempts succeed; after {@link #REFUSALS_BEFORE_BACKOFF} refusals in
     * a row (a file not cached, or a file system that cannot, such as ext4 for buffered writes), only one
     * operation in {@link #ATTEMPT_INTERVAL}, so such a file does not pay a refused system call per operation and
     * still finds out when it is cached again. A heuristic, updated without synchronization by every thread using
     * the file: a lost update only moves the next attempt a little.
     */
    static final class ImmediateOdds {
        private static final int REFUSALS_BEFORE_BACKOFF = 32;
        private static final int ATTEMPT_INTERVAL = 64;

        private int refusedInARow;
        private int sinceLastAttempt;

        boolean worthTrying() {
            if (refusedInARow < REFUSALS_BEFORE_BACKOFF) {
                return true;
            }
            if (++sinceLastAttempt < ATTEMPT_INTERVAL) {
                return false;
            }
            sinceLastAttempt = 0;
            return true;
        }

        /** Records the outcome of an attempt {@link #worthTrying()} allowed. */
        void tried(boolean served) {
            if (served) {
                if (refusedInARow != 0) {
                    refusedInARow = 0;
                }
            } else if (refusedInARow < REFUSALS_BEFORE_BACKOFF) {
                refusedInARow++;
            }
        }
    }

    /**
     * The open file's size now, an error naming {@code path}.
     *
     * @throws ClosedChannelException once the descriptor is closed
     */
    long size(String path) throws IOException {
        if (!acquire()) {
            throw new ClosedChannelException();
        }
        try {
            long size = LibC.size(fd);
            if (size < 0) {
                throw Errno.toFileSystemException((int) -size, path, null);
            }
            return size;
        } finally {
            release();
        }
    }

    /** fstat(2) of the open file, cached: device and inode identify it for the lock table. */
    Stat stat(String path) throws IOException {
        Stat s = stat;
        if (s == null) {
            int[] errno = new int[1];
            s = LibC.fstat(fd, errno);
            if (s == null) {
                throw Errno.toFileSystemException(errno[0], path, null);
            }
            stat = s;
        }
        return s;
    }

    /**
     * The lock table's key for the open file (device and inode), cached after the first call.
     *
     * @throws ClosedChannelException once the descriptor is closed
     */
    FileLockTable.FileKey fileKey(String path) throws IOException {
        FileLockTable.FileKey key = fileKey;
        if (key == null) {
            if (!acquire()) {
                throw new ClosedChannelException();
            }
            try {
                Stat s = stat(path);
                key = new FileLockTable.FileKey(s.device(), s.inode());
                fileKey = key;
            } finally {
                release();
            }
        }
        return key;
    }

    /** The key if {@link #fileKey} was ever asked for (so locks may be in the table), else null. */
    FileLockTable.FileKey fileKeyIfKnown() {
        return fileKey;
    }

    // ---- requests on this descriptor: the caller holds a reference until each completes ----------------------

    IoRequest prepareRead(IoRequest r, long position, MemorySegment buffer) {
        return REQUESTS.prepareRead(r, fd, position, buffer);
    }

    IoRequest prepareWrite(IoRequest r, long position, MemorySegment buffer) {
        return REQUESTS.prepareWrite(r, fd, position, buffer);
    }

    IoRequest prepareReadv(IoRequest r, long position, MemorySegment[] buffers) {
        return REQUESTS.prepareReadv(r, fd, position, buffers);
    }

    IoRequest prepareWritev(IoRequest r, long position, MemorySegment[] buffers) {
        return REQUESTS.prepareWritev(r, fd, position, buffers);
    }

    IoRequest prepareFsync(IoRequest r) {
        return REQUESTS.prepareFsync(r, fd);
    }

    IoRequest prepareFdatasync(IoRequest r) {
        return REQUESTS.prepareFdatasync(r, fd);
    }

    IoRequest prepareFallocate(IoRequest r, int mode, long position, long length) {
        return REQUESTS.prepareFallocate(r, fd, mode, position, length);
    }

    @Override
    public String toString() {
        long s = state.get();
        return "fd " + fd + ((s & CLOSED) != 0 ? " (closed)" : "") + ", " + (s >> 1) + " references";
    }
}

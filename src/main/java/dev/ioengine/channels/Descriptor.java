package dev.ioengine.channels;

import dev.ioengine.EngineKind;
import dev.ioengine.ErrnoException;
import dev.ioengine.IoEngine;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.engine.RequestAccess;
import dev.ioengine.internal.engine.Uninterruptibly;
import dev.ioengine.internal.files.CountedDescriptor;
import dev.ioengine.internal.files.OpenSpec;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Stat;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * An open file of a channel: its descriptor, shared by the channel and every IO of it, and what both channel
 * kinds do to an open file (size, truncate, POSIX locks, the mapping descriptor, close).
 *
 * <p>The invariant close rests on: every IO of the channel holds a reference ({@link #acquire()}) for its whole
 * duration, whether it goes through the engine (taken before submitting, dropped by the completion, once the
 * kernel is done with the request) or is a system call made on the caller's thread (taken before the call,
 * dropped after it). {@link #close(Channel, IoEngine)} stops new references, asks the engine to cancel what it
 * still holds, and waits until the last reference is dropped: when it returns, no IO of the channel is running
 * and none can start, and only then is the descriptor number closed (so a newly opened file cannot reuse it and
 * receive a late request's bytes). The counting is {@link CountedDescriptor}'s, as {@link dev.ioengine.IoFile}'s.
 */
final class Descriptor extends CountedDescriptor {
    private static final RequestAccess REQUESTS = RequestAccess.get();
    private static final long MIN_LOCK_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_LOCK_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** The engine the channel's requests go to: named in the JFR events
     * ({@link dev.ioengine.internal.events.IoEvents}). */
    private final EngineKind engine;
    /** Counted down once the descriptor number is closed: {@link #close(Channel, IoEngine)} waits for it. */
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Stat stat;
    private volatile FileLockTable.FileKey fileKey;
    private final ImmediateOdds immediateReads = new ImmediateOdds();
    private final ImmediateOdds immediateWrites = new ImmediateOdds();
    /** JDK channels on this open file for {@code map}, kept until close: see {@link #mapper}. Guarded by this. */
    private FileChannel readOnlyMapper;
    private FileChannel readWriteMapper;

    /**
     * The engine API's handle on this descriptor, sharing its count and its close: what {@link IoEngine#cancel}
     * is given, so an engine of the user's that wraps another forwards the channel's cancel as any. Never handed
     * to the channel's users.
     */
    private final IoFile file;

    private Descriptor(int fd, EngineKind engine, Path path, int directAlignment) {
        super(fd);
        this.engine = engine;
        this.file = REQUESTS.fileOn(this, path, directAlignment);
    }

    /**
     * Opens {@code path} as {@code spec} says, for a channel whose requests go to an {@code engine} engine.
     *
     * @throws IOException as {@link OpenSpec#open}
     */
    static Descriptor open(OpenSpec spec, Path path, EngineKind engine) throws IOException {
        int fd = spec.open(path);
        try {
            return new Descriptor(fd, engine, path, spec.directAlignment(path));
        } catch (RuntimeException | Error e) {
            LibC.close(fd);
            throw e;
        }
    }

    /** The O_DIRECT alignment of the file's requests; 0 without O_DIRECT. */
    int directAlignment() {
        return file.directAlignment();
    }

    EngineKind engine() {
        return engine;
    }

    /**
     * The channel's close, as the JDK's (FileChannelImpl.implCloseChannel): releases and invalidates the
     * {@code owner}'s locks, stops new IO, asks {@code engine} to cancel the requests of this file it still holds
     * (queued, or in the kernel where it can cancel them) if any IO holds the descriptor, then waits, ignoring interrupts (the interrupt status
     * is kept), until no IO holds the descriptor, and closes it. A second call waits as the first.
     *
     * <p>On the engine's own thread (a completion handler run inline) waiting would wait for itself: there close
     * returns at once, and the descriptor closes when the last IO completes. The channels never hand the kernel
     * memory its owner could free meanwhile (see {@link Operation#prepareTransfer}).
     */
    void close(Channel owner, IoEngine engine) {
        // A reference of close's own keeps the number valid while it unlocks and cancels.
        boolean first = acquire();
        close();
        boolean mayWait = !Operation.isCompleting();
        if (first) {
            // After the closed mark: a lock attempt racing with this close is in the table now, or sees the mark.
            FileLockTable.releaseAll(this, owner);
            // Only IO holds references beside close's own, and none can be taken after the closed mark: with none
            // held nothing is in flight, and the cancel (a round trip to the engine's thread) is skipped.
            if (mayWait && engine != null && references() > 1) { // null engine: calls never needed it
                engine.cancel(file);
            }
            release();
        }
        if (!mayWait) {
            return;
        }
        Uninterruptibly.await(released);
    }

    /**
     * Closes the mapping channels once the descriptor number is closed, and lets {@link #close(Channel, IoEngine)}
     * return.
     */
    @Override
    protected void afterClose() {
        FileChannel[] mappers;
        synchronized (this) {
            mappers = new FileChannel[] {readOnlyMapper, readWriteMapper};
            readOnlyMapper = null;
            readWriteMapper = null;
        }
        for (FileChannel m : mappers) {
            if (m != null) {
                try {
                    m.close();
                } catch (IOException ignored) {
                    // A close error of a read-only or already-synced descriptor: nothing is lost.
                }
            }
        }
        released.countDown();
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
            long size = LibC.size(fd());
            if (size < 0) {
                throw Errno.toFileSystemException((int) -size, path, null);
            }
            return size;
        } finally {
            release();
        }
    }

    /**
     * Shortens the file to {@code newSize} if it is longer (as the JDK's truncate: never extends it).
     *
     * @return false, with nothing done, once the descriptor is closed
     */
    boolean truncate(String path, long newSize) throws IOException {
        if (!acquire()) {
            return false;
        }
        try {
            long size = LibC.size(fd());
            if (size < 0) {
                throw Errno.toFileSystemException((int) -size, path, null);
            }
            if (newSize < size) {
                int r = LibC.ftruncate(fd(), newSize);
                if (r < 0) {
                    throw Errno.toFileSystemException(-r, path, null);
                }
            }
            return true;
        } finally {
            release();
        }
    }

    /**
     * {@code tryLock} of both channels: records {@code lock} in the {@link FileLockTable} (which refuses a lock
     * overlapping one of this JVM's), then makes one attempt; true if acquired, else the lock is forgotten.
     *
     * @throws java.nio.channels.OverlappingFileLockException as the JDK's
     * @throws ClosedChannelException once the descriptor is closed
     */
    boolean tryLock(String path, EngineFileLock lock) throws IOException {
        FileLockTable.FileKey key = fileKey(path);
        FileLockTable.add(key, lock);
        boolean acquired = false;
        try {
            acquired = attemptLock(path, lock);
            return acquired;
        } finally {
            if (!acquired) {
                FileLockTable.remove(key, lock);
            }
        }
    }

    /**
     * Records {@code lock} in the {@link FileLockTable} for {@link #awaitLock}: first, on the caller's thread, so
     * that an overlapping lock of this JVM is refused at once, as the JDK's {@code lock} refuses it.
     *
     * @throws java.nio.channels.OverlappingFileLockException as the JDK's
     */
    void record(String path, EngineFileLock lock) throws IOException {
        FileLockTable.add(fileKey(path), lock);
    }

    /**
     * {@code lock} of both channels, for a lock {@link #record}ed: tries until it is had, retrying {@code F_SETLK}
     * with a growing pause (up to 50 ms) rather than blocking in {@code F_SETLKW}: a thread parked between
     * attempts can be woken by close or interrupt (the JDK sends a signal for that, which FFM cannot), and a
     * virtual thread unmounts instead of pinning its carrier. True once acquired; false, the lock forgotten, as
     * soon as {@code giveUp} says so (asked before each attempt); on an exception the lock is forgotten too.
     */
    boolean awaitLock(String path, EngineFileLock lock, BooleanSupplier giveUp) throws IOException {
        boolean acquired = false;
        try {
            long pause = MIN_LOCK_PAUSE_NANOS;
            while (!giveUp.getAsBoolean()) {
                if (attemptLock(path, lock)) {
                    acquired = true;
                    return true;
                }
                LockSupport.parkNanos(this, pause);
                pause = Math.min(pause * 2, MAX_LOCK_PAUSE_NANOS);
            }
            return false;
        } finally {
            if (!acquired) {
                forget(lock);
            }
        }
    }

    /**
     * One {@code F_SETLK} attempt for the lock's range, retried on EINTR; false when another process holds a
     * conflicting lock. A lock had while a close began is refused: that close may have released the table's
     * locks already (it does so after marking the descriptor closed), and this one must not outlive it.
     *
     * @throws ClosedChannelException once the descriptor is closed
     * @throws AsynchronousCloseException when it closed during the attempt
     */
    private boolean attemptLock(String path, EngineFileLock lock) throws IOException {
        if (!acquire()) {
            throw new ClosedChannelException();
        }
        try {
            while (true) {
                try {
                    boolean had = Flock.lock(fd(), false, lock.position(), lock.size(), lock.isShared())
                            == Flock.Outcome.ACQUIRED;
                    if (had && isClosed()) {
                        throw new AsynchronousCloseException();
                    }
                    return had;
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EINTR) {
                        throw withPath(e, path);
                    }
                }
            }
        } finally {
            release();
        }
    }

    /** Forgets a lock recorded here that the caller will not hand out. */
    void forget(EngineFileLock lock) {
        FileLockTable.FileKey key = fileKey;
        if (key != null) {
            FileLockTable.remove(key, lock);
        }
    }

    /**
     * Unlocks the lock's range and forgets the lock ({@link EngineFileLock.Owner#release}).
     *
     * @throws ClosedChannelException once the descriptor is closed
     */
    void unlock(String path, EngineFileLock lock) throws IOException {
        if (!acquire()) {
            throw new ClosedChannelException();
        }
        try {
            Flock.unlock(fd(), lock.position(), lock.size());
        } catch (ErrnoException e) {
            throw withPath(e, path);
        } finally {
            release();
        }
        FileLockTable.remove(fileKey(path), lock);
    }

    private static IOException withPath(ErrnoException e, String path) {
        IOException mapped = Errno.toFileSystemException(e.errno(), path, null);
        mapped.initCause(e);
        return mapped;
    }

    /**
     * A JDK channel on this very open file ({@code /proc/self/fd/N}, which names it even after a rename or
     * DELETE_ON_CLOSE's unlink), to map through: the JDK's {@code MappedByteBuffer} and mapped segments have no
     * public constructor. It is opened once per mode and kept open until this descriptor closes, never closed
     * before: closing any descriptor of a file drops every POSIX lock the process holds on it, so a mapper
     * closed after each map released the channel's locks. The reopen needs the file's permissions to allow the
     * mode, as any open does. {@code path} (the channel's) gives the file system to open through.
     *
     * @return what {@code map} returns, called with the mapping channel while a reference is held
     * @throws ClosedChannelException once the descriptor is closed
     */
    <T> T map(Path path, boolean readOnly, MapCall<T> map) throws IOException {
        if (!acquire()) {
            throw new ClosedChannelException();
        }
        try {
            synchronized (this) {
                FileChannel mapper = readOnly ? readOnlyMapper : readWriteMapper;
                if (mapper == null) {
                    Path self = path.getFileSystem().getPath("/proc/self/fd/" + fd());
                    mapper = path.getFileSystem().provider().newFileChannel(self, readOnly
                            ? EnumSet.of(StandardOpenOption.READ)
                            : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
                    if (readOnly) {
                        readOnlyMapper = mapper;
                    } else {
                        readWriteMapper = mapper;
                    }
                }
                return map.on(mapper);
            }
        } finally {
            release();
        }
    }

    /** What {@link #map} does with the mapping channel. */
    interface MapCall<T> {
        T on(FileChannel mapper) throws IOException;
    }

    /** fstat(2) of the open file, cached: device and inode identify it for the lock table. */
    Stat stat(String path) throws IOException {
        Stat s = stat;
        if (s == null) {
            int[] errno = new int[1];
            s = LibC.fstat(fd(), errno);
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
        return REQUESTS.prepareRead(r, fd(), position, buffer);
    }

    IoRequest prepareWrite(IoRequest r, long position, MemorySegment buffer) {
        return REQUESTS.prepareWrite(r, fd(), position, buffer);
    }

    IoRequest prepareReadv(IoRequest r, long position, MemorySegment[] buffers) {
        return REQUESTS.prepareReadv(r, fd(), position, buffers);
    }

    IoRequest prepareWritev(IoRequest r, long position, MemorySegment[] buffers) {
        return REQUESTS.prepareWritev(r, fd(), position, buffers);
    }

    IoRequest prepareFsync(IoRequest r) {
        return REQUESTS.prepareFsync(r, fd());
    }

    IoRequest prepareFdatasync(IoRequest r) {
        return REQUESTS.prepareFdatasync(r, fd());
    }

    IoRequest prepareFallocate(IoRequest r, int mode, long position, long length) {
        return REQUESTS.prepareFallocate(r, fd(), mode, position, length);
    }
}

package dev.ioengine.channels;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/**
 * A lock held through an io-engine channel. {@link #release()} goes to the channel's open file
 * ({@link Descriptor#unlock}), which unlocks the range with fcntl and removes it from the {@link FileLockTable};
 * closing the channel invalidates its locks.
 */
final class EngineFileLock extends FileLock {
    private final Descriptor file;
    private final String path;
    private volatile boolean invalid;

    EngineFileLock(FileChannel channel, Descriptor file, String path, long position, long size, boolean shared) {
        super(channel, position, size, shared);
        this.file = file;
        this.path = path;
    }

    EngineFileLock(AsynchronousFileChannel channel, Descriptor file, String path, long position, long size,
            boolean shared) {
        super(channel, position, size, shared);
        this.file = file;
        this.path = path;
    }

    /** The size the JDK gives a lock asked for with size 0: from {@code position} to the largest file offset. */
    static long sizeOf(long position, long size) {
        return size != 0 ? size : Long.MAX_VALUE - Math.max(0, position);
    }

    @Override
    public boolean isValid() {
        return !invalid;
    }

    void invalidate() {
        invalid = true;
    }

    /** As the JDK's FileLockImpl: ClosedChannelException once the channel is closed. */
    @Override
    public synchronized void release() throws IOException {
        if (!acquiredBy().isOpen()) {
            throw new ClosedChannelException();
        }
        if (!invalid) {
            file.unlock(path, this);
            invalid = true;
        }
    }
}

package dev.ioengine.channels;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/**
 * A lock held through an io-engine channel. {@link #release()} goes back to the channel, which unlocks the
 * range with fcntl and removes it from the {@link FileLockTable}; closing the channel invalidates its locks.
 */
final class EngineFileLock extends FileLock {
    /** What the channels do for their locks. */
    interface Owner {
        /** Unlocks the range and forgets the lock. */
        void release(EngineFileLock lock) throws IOException;
    }

    private final Owner owner;
    private volatile boolean invalid;

    EngineFileLock(FileChannel channel, Owner owner, long position, long size, boolean shared) {
        super(channel, position, size, shared);
        this.owner = owner;
    }

    EngineFileLock(AsynchronousFileChannel channel, Owner owner, long position, long size, boolean shared) {
        super(channel, position, size, shared);
        this.owner = owner;
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
            owner.release(this);
            invalid = true;
        }
    }
}

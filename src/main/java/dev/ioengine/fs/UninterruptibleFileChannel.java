package dev.ioengine.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel that a set interrupt status does not close: wraps a delegate file channel, and runs each of its
 * operations with the calling thread's interrupt status cleared, restoring it afterwards.
 *
 * <p>What the JDK does for the channels behind {@code Files.newInputStream}, {@code Files.newOutputStream} and
 * {@code Files.readAllBytes} (it marks its own channel uninterruptible), so that {@code Files.readAllBytes},
 * {@code readString}, {@code writeString} and the streams keep working on a thread whose interrupt status is set.
 * The difference: an interrupt that arrives from another thread while an operation is under way still closes the
 * delegate (the JDK's uninterruptible channel ignores it). Engine channels have an uninterruptible variant of
 * their own; this wrapper serves only the JDK channels the provider falls back to (no engine can run here, or
 * the file is a FIFO, device or socket).
 *
 * <p>Used only inside the provider's streams; never handed to callers as a {@code FileChannel}. Wraps
 * {@code delegate}; closing this channel closes the delegate.
 */
final class UninterruptibleFileChannel extends FileChannel {
    private final FileChannel delegate;

    UninterruptibleFileChannel(FileChannel delegate) {
        this.delegate = delegate;
    }

    /** One channel operation. */
    private interface Operation<T> {
        T run() throws IOException;
    }

    private static <T> T uninterrupted(Operation<T> operation) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return operation.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return uninterrupted(() -> delegate.read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return uninterrupted(() -> delegate.read(dsts, offset, length));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return uninterrupted(() -> delegate.write(src));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return uninterrupted(() -> delegate.write(srcs, offset, length));
    }

    @Override
    public long position() throws IOException {
        return uninterrupted(delegate::position);
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        uninterrupted(() -> delegate.position(newPosition));
        return this;
    }

    @Override
    public long size() throws IOException {
        return uninterrupted(delegate::size);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        uninterrupted(() -> delegate.truncate(size));
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        uninterrupted(() -> {
            delegate.force(metaData);
            return null;
        });
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return uninterrupted(() -> delegate.transferTo(position, count, target));
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return uninterrupted(() -> delegate.transferFrom(src, position, count));
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return uninterrupted(() -> delegate.read(dst, position));
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return uninterrupted(() -> delegate.write(src, position));
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return uninterrupted(() -> delegate.map(mode, position, size));
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
        return uninterrupted(() -> delegate.map(mode, offset, size, arena));
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return uninterrupted(() -> delegate.lock(position, size, shared));
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return uninterrupted(() -> delegate.tryLock(position, size, shared));
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}

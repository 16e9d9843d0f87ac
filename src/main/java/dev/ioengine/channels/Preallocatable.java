package dev.ioengine.channels;

import java.io.IOException;

/**
 * A channel that can reserve disk space for a range of its file without writing it: {@code fallocate(2)}.
 * Both io-engine channels ({@link java.nio.channels.FileChannel} and
 * {@link java.nio.channels.AsynchronousFileChannel}) implement it; {@link Preallocation#preallocate} works on
 * any channel.
 */
public interface Preallocatable {
    /**
     * Allocates the blocks of {@code [position, position + length)}, so later writes there cannot fail for lack
     * of space. With {@code keepSize} false the file grows to {@code position + length} if it is shorter; with
     * {@code keepSize} true ({@code FALLOC_FL_KEEP_SIZE}) its size does not change. Blocks the caller until done.
     *
     * <p>When the file system has no fallocate (EOPNOTSUPP) and {@code keepSize} is false, the file is extended
     * by writing one zero byte at its new end instead (space is then not reserved); with {@code keepSize} true
     * the error is thrown.
     *
     * @throws IllegalArgumentException if position is negative, length is not positive, or their sum overflows
     * @throws java.nio.channels.NonWritableChannelException if the channel was not opened for writing
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     * @throws IOException if the kernel refuses (ENOSPC, EFBIG ...), naming the file
     */
    void preallocate(long position, long length, boolean keepSize) throws IOException;
}

package dev.ioengine.channels;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * Preallocation for any file channel, io-engine's or not.
 *
 * <ul>
 *   <li>io-engine channels ({@link Preallocatable}): {@code fallocate(fd, 0, position, length)}, which reserves
 *   the blocks and grows the file to {@code position + length} if it is shorter.</li>
 *   <li>any other {@link FileChannel} or {@link AsynchronousFileChannel} (the JDK's): the JDK has no fallocate,
 *   so if the file is shorter than {@code position + length}, one zero byte is written at
 *   {@code position + length - 1}. The file then has the size asked for, but its blocks are not reserved
 *   (the file is sparse), and later writes can still fail with ENOSPC. On a channel opened with APPEND, where
 *   that byte lands at the end, the growth is written as zeros instead. Nothing happens to a long enough
 *   file.</li>
 * </ul>
 */
public final class Preallocation {
    private Preallocation() {
    }

    /**
     * Preallocates {@code [position, position + length)} of the channel's file, growing it if shorter.
     *
     * @param channel a {@link FileChannel} or {@link AsynchronousFileChannel}, open for writing
     * @throws IllegalArgumentException if position is negative, length is not positive, their sum overflows,
     *     or the channel is neither kind of file channel
     * @throws java.nio.channels.NonWritableChannelException if the channel was not opened for writing
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     * @throws IOException if the file system refuses
     */
    public static void preallocate(Channel channel, long position, long length) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (position < 0 || length <= 0 || position + length < 0) {
            throw new IllegalArgumentException("preallocate needs position >= 0 and length > 0 without overflow: "
                    + position + ", " + length);
        }
        if (channel instanceof Preallocatable engine) {
            engine.preallocate(position, length, false);
            return;
        }
        long end = position + length;
        if (channel instanceof FileChannel file) {
            if (file.size() < end) {
                file.write(ByteBuffer.allocate(1), end - 1);
                appendZerosUpTo(file, end);
            }
            return;
        }
        if (channel instanceof AsynchronousFileChannel file) {
            if (file.size() < end) {
                try {
                    file.write(ByteBuffer.allocate(1), end - 1).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while extending the file");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IOException(e.getCause());
                }
            }
            return;
        }
        throw new IllegalArgumentException("not a FileChannel or AsynchronousFileChannel: " + channel.getClass());
    }

    /**
     * On a channel opened with APPEND, Linux puts a positional write at the end of the file (pwrite(2) under
     * O_APPEND), so the one byte above grew the file by one: the rest of the growth is appended as zeros.
     */
    private static void appendZerosUpTo(FileChannel file, long end) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        for (long size = file.size(); size < end; size = file.size()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - size));
            file.write(zeros);
        }
    }
}

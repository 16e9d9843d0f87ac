package dev.ioengine.channels;

import dev.ioengine.internal.linux.CopyFileRange;
import dev.ioengine.internal.linux.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;

/**
 * {@link FileChannel#transferTo} and {@link FileChannel#transferFrom} of an {@link EngineFileChannel}, done as the
 * JDK's sun.nio.ch.FileChannelImpl does them on Linux, with its checks, their order, and its exceptions:
 * <ol>
 *   <li>between two io-engine channels, copy_file_range(2): the kernel copies (or shares extents), no user-space
 *       copy. Each channel keeps its position in Java, so both offsets are explicit; the file channel whose
 *       position the JDK's system call would use and move (the target of transferTo, the source of
 *       transferFrom) is used and moved under its position lock.</li>
 *   <li>else, to or from a channel the JDK trusts with a mapping (a file channel of its own or of io-engine, a
 *       socket or pipe of the JDK's), the source file is mapped 8 MiB at a time and the mapping written: for a
 *       socket that is one kernel copy. The JDK would use sendfile(2) there; no public API gives the socket's
 *       descriptor, and this is what the JDK itself does where sendfile is missing. Each mapping is unmapped as
 *       soon as it has been written, through its {@link Arena}.</li>
 *   <li>else a read / write loop through a fresh heap buffer (an unknown channel may keep the buffer it is
 *       given, so it never sees a pooled or mapped one).</li>
 * </ol>
 *
 * <p>Close and interrupt: as the JDK, a {@link ClosedChannelException} met during the transfer becomes
 * {@link AsynchronousCloseException}, or, if the calling thread was interrupted, {@link ClosedByInterruptException}
 * after both channels are closed. The kernel copy runs in chunks so a close or an interrupt (which closes the
 * channel whose operation is under way) stops it within one chunk: FFM cannot signal a thread out of a system
 * call, as the JDK does.
 */
final class FileTransfers {
    /** Below this many bytes the loop through a heap buffer beats mapping (the JDK's threshold). */
    private static final long MAPPED_TRANSFER_THRESHOLD = 16 * 1024;
    /** The most mapped at once (the JDK's). */
    private static final long MAPPED_TRANSFER_SIZE = 8 * 1024 * 1024;
    /** The most one transferTo copies in the kernel, as the JDK's Linux limit for one sendfile. */
    private static final long MAX_DIRECT_TRANSFER_SIZE = 0x7ffff000;
    /** Bytes per copy_file_range call: bounds how long a close or an interrupt waits for the copy to stop. */
    private static final long COPY_CHUNK = 8 * 1024 * 1024;
    /** The heap buffer of the read / write loop. */
    private static final int LOOP_BUFFER_SIZE = 64 * 1024;

    /** What a transfer strategy returns when it does not apply: the next one is tried. */
    private static final long UNSUPPORTED = -1;
    /** What {@link #copyRange} returns when a channel closed before anything was copied. */
    private static final long CLOSED = -2;

    private FileTransfers() {
    }

    // ---- transferTo ------------------------------------------------------------------------------------------

    /** {@link FileChannel#transferTo} from {@code source}'s file, as FileChannelImpl.transferTo. */
    static long transferTo(EngineFileChannel source, long position, long count, WritableByteChannel target)
            throws IOException {
        source.ensureOpen();
        if (!target.isOpen()) {
            throw new ClosedChannelException();
        }
        if (!source.isReadable()) {
            throw new NonReadableChannelException();
        }
        if (target instanceof EngineFileChannel other && !other.isWritable()) {
            throw new NonWritableChannelException();
        }
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException();
        }
        try {
            long size = source.size();
            if (position > size) {
                return 0;
            }
            // A file that reports size 0 may still have bytes (/proc): only the loop reads those.
            if (size > 0) {
                count = Math.min(count, size - position);
                long n;
                // copy_file_range to an io-engine file at its position, which moves by what was copied.
                if (target instanceof EngineFileChannel other && (n = copyDirect(source, source, other, position,
                        Math.min(count, MAX_DIRECT_TRANSFER_SIZE), true)) >= 0) {
                    return n;
                }
                if ((n = transferToTrustedChannel(source, position, count, target)) >= 0) {
                    return n;
                }
            }
            return transferToArbitraryChannel(source, position, count, target);
        } catch (ClosedChannelException e) {
            throw transferFailed(source, e, target);
        }
    }

    /** FileChannelImpl.transferToTrustedChannel: maps the source and writes the mapping to the target. */
    private static long transferToTrustedChannel(EngineFileChannel source, long position, long count,
            WritableByteChannel target) throws IOException {
        if (count < MAPPED_TRANSFER_THRESHOLD) {
            return UNSUPPORTED;
        }
        boolean selectable = isJdkSelectableChannel(target);
        if (!isTrustedFileChannel(target) && !selectable) {
            return UNSUPPORTED;
        }
        long remaining = count;
        long at = position;
        while (remaining > 0) {
            long size = Math.min(remaining, MAPPED_TRANSFER_SIZE);
            try (Arena mapping = Arena.ofConfined()) {
                int n = target.write(source.map(MapMode.READ_ONLY, at, size, mapping).asByteBuffer());
                remaining -= n;
                if (selectable || n <= 0) {
                    // One attempt for a socket or pipe, which may be non-blocking.
                    break;
                }
                at += n;
            } catch (IOException e) {
                // Only throw if nothing was written.
                if (remaining == count) {
                    throw e;
                }
                break;
            }
        }
        return count - remaining;
    }

    /** FileChannelImpl.transferToArbitraryChannel: reads into a heap buffer, writes it to the target. */
    private static long transferToArbitraryChannel(EngineFileChannel source, long position, long count,
            WritableByteChannel target) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, LOOP_BUFFER_SIZE));
        long written = 0;
        long at = position;
        try {
            while (written < count) {
                buffer.limit((int) Math.min(count - written, LOOP_BUFFER_SIZE));
                int read = source.read(buffer, at);
                if (read <= 0) {
                    break;
                }
                buffer.flip();
                int n = target.write(buffer);
                written += n;
                if (n != read) {
                    break;
                }
                at += n;
                buffer.clear();
            }
            return written;
        } catch (IOException e) {
            if (written > 0) {
                return written;
            }
            throw e;
        }
    }

    // ---- transferFrom ----------------------------------------------------------------------------------------

    /** {@link FileChannel#transferFrom} into {@code target}'s file, as FileChannelImpl.transferFrom. */
    static long transferFrom(EngineFileChannel target, ReadableByteChannel src, long position, long count)
            throws IOException {
        target.ensureOpen();
        if (!src.isOpen()) {
            throw new ClosedChannelException();
        }
        if (src instanceof EngineFileChannel other && !other.isReadable()) {
            throw new NonReadableChannelException();
        }
        if (!target.isWritable()) {
            throw new NonWritableChannelException();
        }
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException();
        }
        try {
            // A file that reports size 0 may still have bytes (/proc): only the loop reads those.
            if (src instanceof FileChannel file && isTrustedFileChannel(file) && file.size() > 0) {
                long n;
                // copy_file_range from an io-engine file at its position, which moves by what was copied.
                if (file instanceof EngineFileChannel other
                        && (n = copyDirect(target, other, target, position, count, false)) >= 0) {
                    return n;
                }
                if ((n = transferFromFileChannel(target, file, position, count)) >= 0) {
                    return n;
                }
            }
            return transferFromArbitraryChannel(target, src, position, count);
        } catch (ClosedChannelException e) {
            throw transferFailed(target, e, src);
        }
    }

    /**
     * FileChannelImpl.transferFromFileChannel: maps the source file from its position and writes the mappings
     * at {@code position}, then moves the source's position by what was written.
     */
    private static long transferFromFileChannel(EngineFileChannel target, FileChannel src, long position,
            long count) throws IOException {
        if (count < MAPPED_TRANSFER_THRESHOLD) {
            return UNSUPPORTED;
        }
        // The JDK holds the source's position lock for the whole transfer; a JDK source's lock is out of reach.
        EngineFileChannel engineSource = src instanceof EngineFileChannel e ? e : null;
        if (engineSource != null) {
            engineSource.positionLock().lock();
        }
        try {
            long start = src.position();
            long max = Math.min(count, src.size() - start);
            long remaining = max;
            long from = start;
            long at = position;
            while (remaining > 0) {
                long size = Math.min(remaining, MAPPED_TRANSFER_SIZE);
                try (Arena mapping = Arena.ofConfined()) {
                    ByteBuffer mapped = src.map(MapMode.READ_ONLY, from, size, mapping).asByteBuffer();
                    try {
                        long n = target.write(mapped, at);
                        if (n <= 0) {
                            break;
                        }
                        from += n;
                        at += n;
                        remaining -= n;
                    } catch (IOException e) {
                        // Only throw if nothing was written.
                        if (remaining == max) {
                            throw e;
                        }
                        break;
                    }
                }
            }
            long written = max - remaining;
            src.position(start + written);
            return written;
        } finally {
            if (engineSource != null) {
                engineSource.positionLock().unlock();
            }
        }
    }

    /** FileChannelImpl.transferFromArbitraryChannel: reads the source into a heap buffer, writes it. */
    private static long transferFromArbitraryChannel(EngineFileChannel target, ReadableByteChannel src,
            long position, long count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, LOOP_BUFFER_SIZE));
        long written = 0;
        long at = position;
        try {
            while (written < count) {
                buffer.limit((int) Math.min(count - written, LOOP_BUFFER_SIZE));
                int read = src.read(buffer);
                if (read <= 0) {
                    break;
                }
                buffer.flip();
                int n = target.write(buffer, at);
                written += n;
                if (n != read) {
                    break;
                }
                at += n;
                buffer.clear();
            }
            return written;
        } catch (IOException e) {
            if (written > 0) {
                return written;
            }
            throw e;
        }
    }

    // ---- shared ----------------------------------------------------------------------------------------------

    /**
     * FileChannelImpl's direct transfers (transferToFileChannel, transferFromDirect): copy_file_range from {@code in}
     * to {@code out} between {@code caller}'s begin and end (an interrupt closes the channel whose method was
     * called), both descriptors held. One side's offset is {@code at}; the other is the position of the channel whose
     * file offset the JDK's system call would use and move (the target's when {@code targetPositionMoves}, else the
     * source's), used and moved under its position lock. {@link #UNSUPPORTED} when the kernel cannot (O_APPEND,
     * another file system, overlapping ranges of one file).
     */
    private static long copyDirect(EngineFileChannel caller, EngineFileChannel in, EngineFileChannel out, long at,
            long count, boolean targetPositionMoves) throws IOException {
        if (out.isAppend() || !CopyFileRange.isAvailable()) {
            // copy_file_range refuses O_APPEND targets (EBADF): the mapped transfer appends.
            return UNSUPPORTED;
        }
        EngineFileChannel moved = targetPositionMoves ? out : in;
        moved.positionLock().lock();
        try {
            boolean completed = false;
            try {
                caller.beginBlocking();
                acquireForTransfer(in);
                try {
                    acquireForTransfer(out);
                    try {
                        long position = moved.positionHeld();
                        long n = targetPositionMoves ? copyRange(in, at, out, position, count)
                                : copyRange(in, position, out, at, count);
                        if (n == UNSUPPORTED) {
                            return UNSUPPORTED;
                        }
                        completed = n >= 0;
                        if (n > 0) {
                            moved.positionHeld(position + n);
                        }
                        return Math.max(n, 0);
                    } finally {
                        afterTransfer(out, completed);
                    }
                } finally {
                    afterTransfer(in, completed);
                }
            } finally {
                caller.endBlocking(completed);
            }
        } finally {
            moved.positionLock().unlock();
        }
    }

    /**
     * copy_file_range in chunks of {@link #COPY_CHUNK} until {@code count} bytes are copied, the input ends, or
     * either channel closes (between chunks: a close cannot stop a chunk under way). Both descriptors are held by
     * the caller.
     *
     * @return the bytes copied; {@link #UNSUPPORTED} if the kernel refused the first chunk (the kinds of
     *     refusal the JDK falls back on); {@link #CLOSED} if a channel closed before anything was copied
     */
    private static long copyRange(EngineFileChannel in, long inAt, EngineFileChannel out, long outAt, long count)
            throws IOException {
        long copied = 0;
        while (copied < count) {
            if (!in.isOpen() || !out.isOpen()) {
                return copied > 0 ? copied : CLOSED;
            }
            long n = CopyFileRange.copy(in.descriptor().fd(), inAt + copied, out.descriptor().fd(), outAt + copied,
                    Math.min(count - copied, COPY_CHUNK));
            if (n < 0) {
                if (copied > 0) {
                    // What one system call that failed part way would report: the bytes it copied.
                    return copied;
                }
                int errno = (int) -n;
                if (errno == Errno.EINVAL || errno == Errno.EXDEV || errno == Errno.ENOSYS
                        || errno == Errno.EOPNOTSUPP || errno == Errno.EBADF) {
                    return UNSUPPORTED;
                }
                throw Errno.toFileSystemException(errno, in.pathName(), out.pathName());
            }
            if (n == 0) {
                break;
            }
            copied += n;
        }
        return copied;
    }

    /** FileChannelImpl.beforeTransfer: holds the channel's descriptor open for the copy. */
    private static void acquireForTransfer(EngineFileChannel channel) throws ClosedChannelException {
        if (!channel.isOpen() || !channel.descriptor().acquire()) {
            throw new ClosedChannelException();
        }
    }

    /** FileChannelImpl.afterTransfer: releases the descriptor; a copy cut short by a close is an async close. */
    private static void afterTransfer(EngineFileChannel channel, boolean completed) throws AsynchronousCloseException {
        channel.descriptor().release();
        if (!completed && !channel.isOpen()) {
            throw new AsynchronousCloseException();
        }
    }

    /**
     * FileChannelImpl.transferFailed: the exception for a {@link ClosedChannelException} met during a transfer.
     * If the thread was interrupted, both channels are closed and it is {@link ClosedByInterruptException};
     * otherwise one of them was closed by another thread: {@link AsynchronousCloseException}.
     */
    private static AsynchronousCloseException transferFailed(EngineFileChannel channel, ClosedChannelException e,
            Channel other) {
        ClosedByInterruptException interrupted = null;
        if (e instanceof ClosedByInterruptException cbie) {
            interrupted = cbie;
        } else if (!channel.isUninterruptible() && Thread.currentThread().isInterrupted()) {
            interrupted = new ClosedByInterruptException();
        }
        if (interrupted != null) {
            closeInto(channel, interrupted);
            closeInto(other, interrupted);
            return interrupted;
        }
        if (e instanceof AsynchronousCloseException async) {
            return async;
        }
        AsynchronousCloseException async = new AsynchronousCloseException();
        async.addSuppressed(e);
        return async;
    }

    private static void closeInto(Channel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** A file channel the JDK would trust with a mapped buffer: io-engine's own, or the JDK's FileChannelImpl. */
    private static boolean isTrustedFileChannel(Channel channel) {
        return channel instanceof EngineFileChannel || (channel instanceof FileChannel && isJdkClass(channel));
    }

    /** The JDK's own socket, pipe or datagram channel (its SelChImpl), to which it writes mappings. */
    private static boolean isJdkSelectableChannel(Channel channel) {
        return channel instanceof SelectableChannel && isJdkClass(channel);
    }

    private static boolean isJdkClass(Object o) {
        return o.getClass().getModule() == FileChannel.class.getModule();
    }
}

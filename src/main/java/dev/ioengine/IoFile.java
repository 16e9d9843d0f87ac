package dev.ioengine;

import dev.ioengine.internal.engine.NativeAccess;
import dev.ioengine.internal.files.CountedDescriptor;
import dev.ioengine.internal.files.OpenSpec;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.attribute.FileAttribute;
import java.util.Objects;
import java.util.Set;

/**
 * An open file for the engine API: what an {@link IoRequest} reads, writes or syncs. It owns its file descriptor,
 * opened with {@code O_CLOEXEC}, and knows its O_DIRECT alignment.
 *
 * <pre>{@code
 * try (IoFile file = IoFile.open(path, READ, WRITE, CREATE)) {
 *     engine.execute(IoRequest.write(file, 0, buffer));
 * }
 * }</pre>
 *
 * <p>Closing while requests are in flight is safe: each submitted request holds a reference to the descriptor
 * from {@link IoEngine#submit} until it completes, and the descriptor is closed when {@link #close()} has been
 * called and the last of them has completed. So the descriptor number cannot be reused by another file while the
 * kernel may still read or write through it. Once closed, submitting a request on the file throws.
 *
 * <p>O_DIRECT ({@code com.sun.nio.file.ExtendedOpenOption.DIRECT}): {@link #directAlignment()} is the block size
 * of the file's store (4096 when it cannot be had); a request on such a file checks its memory address, position
 * and length against it when prepared, and says which is misaligned, instead of the kernel's bare EINVAL.
 *
 * <p>Thread-safe.
 */
public final class IoFile implements Closeable {
    private final Path path;
    private final CountedDescriptor descriptor;
    private final int directAlignment;

    /** A handle on {@code descriptor}, sharing its count and its close (the channels' through RequestAccess). */
    IoFile(Path path, CountedDescriptor descriptor, int directAlignment) {
        this.path = path;
        this.descriptor = descriptor;
        this.directAlignment = directAlignment;
    }

    /**
     * Opens (or creates) a file, taking the options as {@link java.nio.channels.AsynchronousFileChannel#open}
     * does: {@code READ} when neither {@code READ} nor {@code WRITE} is given, {@code APPEND} refused (requests
     * are positional), {@code CREATE}, {@code CREATE_NEW}, {@code TRUNCATE_EXISTING}, {@code DELETE_ON_CLOSE},
     * {@code SYNC}, {@code DSYNC}, {@code NOFOLLOW_LINKS} and {@code ExtendedOpenOption.DIRECT}.
     *
     * @throws UnsupportedOperationException for {@code APPEND} or an option the JDK does not support
     * @throws IllegalCallerException when the JVM denies io-engine native access (the message says how to grant it)
     * @throws ProviderMismatchException for a path of another file system than the platform's
     * @throws java.nio.file.FileSystemException (or a subclass, such as {@link java.nio.file.NoSuchFileException})
     *     when {@code open(2)} fails, naming the path and the errno
     */
    public static IoFile open(Path path, OpenOption... options) throws IOException {
        return open(path, Set.of(options));
    }

    /** As {@link #open(Path, OpenOption...)}, with the initial permissions of a created file. */
    public static IoFile open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Objects.requireNonNull(path, "path");
        String scheme = path.getFileSystem().provider().getScheme();
        if (!scheme.equals("file") && !scheme.equals("ioengine")) {
            throw new ProviderMismatchException("IoFile opens files of the platform's file system, not " + scheme
                    + ": " + path);
        }
        OpenSpec spec = OpenSpec.forAsynchronousFileChannel(options, attrs);
        NativeAccess.check();
        int fd = spec.open(path);
        try {
            return new IoFile(path, new CountedDescriptor(fd), spec.directAlignment(path));
        } catch (RuntimeException | Error e) {
            LibC.close(fd);
            throw e;
        }
    }

    /** The path the file was opened with. */
    public Path path() {
        return path;
    }

    /** True if the file was opened with O_DIRECT. */
    public boolean isDirect() {
        return directAlignment > 0;
    }

    /**
     * The alignment O_DIRECT needs of a request's memory address, position and length on this file (a power of
     * two); 0 when the file was opened without O_DIRECT.
     */
    public int directAlignment() {
        return directAlignment;
    }

    /**
     * The file's size now.
     *
     * @throws ClosedChannelException once the file is closed
     * @throws java.nio.file.FileSystemException if {@code fstat(2)} fails
     */
    public long size() throws IOException {
        if (!descriptor.acquire()) {
            throw new ClosedChannelException();
        }
        try {
            long size = LibC.size(descriptor.fd());
            if (size < 0) {
                throw Errno.toFileSystemException((int) -size, path.toString(), null);
            }
            return size;
        } finally {
            descriptor.release();
        }
    }

    /** False once {@link #close()} was called (the descriptor may stay open for requests still in flight). */
    public boolean isOpen() {
        return !descriptor.isClosed();
    }

    /**
     * Closes the file: now if no request is in flight on it, else when the last one completes. Requests not yet
     * submitted can no longer be. Idempotent.
     */
    @Override
    public void close() {
        descriptor.close();
    }

    // ---- for IoRequest: a reference from submission to completion ----------------------------------------------

    /** The counted descriptor: each request holds a reference from submission to completion. */
    CountedDescriptor descriptor() {
        return descriptor;
    }

    /** The descriptor number: valid while a reference is held, or before close. */
    int fd() {
        return descriptor.fd();
    }

    @Override
    public String toString() {
        long references = descriptor.references();
        return "IoFile[" + path + ", fd " + descriptor.fd()
                + (directAlignment > 0 ? ", O_DIRECT " + directAlignment : "")
                + (descriptor.isClosed() ? ", closed" : "")
                + (references > 0 ? ", " + references + " in flight" : "") + "]";
    }
}

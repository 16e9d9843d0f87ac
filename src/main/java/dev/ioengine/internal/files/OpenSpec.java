package dev.ioengine.internal.files;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The open options of one channel or {@link dev.ioengine.IoFile}, parsed exactly as the JDK's
 * {@code sun.nio.fs.UnixChannelFactory} parses them, and the {@code open(2)} that follows from them.
 *
 * <p>{@code com.sun.nio.file.ExtendedOpenOption.DIRECT} is recognised by its class and constant name, so this
 * module needs no dependency on {@code jdk.unsupported}.
 */
public final class OpenSpec {
    /** rw-rw-rw-, before the umask: the JDK's default for new files. */
    private static final int DEFAULT_MODE = 0666;

    private boolean read;
    private boolean write;
    private boolean append;
    private boolean truncateExisting;
    private boolean noFollowLinks;
    private boolean create;
    private boolean createNew;
    private boolean deleteOnClose;
    private boolean sync;
    private boolean dsync;
    private boolean direct;
    private int mode = DEFAULT_MODE;

    private OpenSpec() {
    }

    /** Options for a {@link java.nio.channels.FileChannel}: READ by default, WRITE when APPEND alone. */
    public static OpenSpec forFileChannel(Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
        OpenSpec spec = parse(options, attrs);
        if (!spec.read && !spec.write) {
            if (spec.append) {
                spec.write = true;
            } else {
                spec.read = true;
            }
        }
        if (spec.read && spec.append) {
            throw new IllegalArgumentException("READ + APPEND not allowed");
        }
        if (spec.append && spec.truncateExisting) {
            throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        }
        return spec;
    }

    /** Options for an {@link java.nio.channels.AsynchronousFileChannel}: APPEND is refused, READ by default. */
    public static OpenSpec forAsynchronousFileChannel(Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
        OpenSpec spec = parse(options, attrs);
        if (spec.append) {
            throw new UnsupportedOperationException("APPEND not allowed");
        }
        if (!spec.read && !spec.write) {
            spec.read = true;
        }
        return spec;
    }

    private static OpenSpec parse(Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
        OpenSpec spec = new OpenSpec();
        for (OpenOption option : options) {
            if (option instanceof StandardOpenOption standard) {
                switch (standard) {
                    case READ -> spec.read = true;
                    case WRITE -> spec.write = true;
                    case APPEND -> spec.append = true;
                    case TRUNCATE_EXISTING -> spec.truncateExisting = true;
                    case CREATE -> spec.create = true;
                    case CREATE_NEW -> spec.createNew = true;
                    case DELETE_ON_CLOSE -> spec.deleteOnClose = true;
                    case SPARSE -> {
                        // The JDK ignores SPARSE on Linux: files are sparse anyway.
                    }
                    case SYNC -> spec.sync = true;
                    case DSYNC -> spec.dsync = true;
                }
                continue;
            }
            if (option == LinkOption.NOFOLLOW_LINKS) {
                spec.noFollowLinks = true;
                continue;
            }
            if (DirectOption.is(option)) {
                spec.direct = true;
                continue;
            }
            if (option == null) {
                throw new NullPointerException();
            }
            throw new UnsupportedOperationException(option + " not supported");
        }
        spec.mode = modeOf(attrs);
        return spec;
    }

    /** As UnixFileModeAttribute.toUnixMode: only posix:/unix:permissions may be given at creation. */
    @SuppressWarnings("unchecked")
    private static int modeOf(FileAttribute<?>... attrs) {
        int mode = DEFAULT_MODE;
        for (FileAttribute<?> attr : attrs) {
            String name = attr.name();
            if (!name.equals("posix:permissions") && !name.equals("unix:permissions")) {
                throw new UnsupportedOperationException("'" + name + "' not supported as initial attribute");
            }
            mode = 0;
            for (PosixFilePermission permission : (Set<PosixFilePermission>) attr.value()) {
                mode |= switch (permission) {
                    case OWNER_READ -> 0400;
                    case OWNER_WRITE -> 0200;
                    case OWNER_EXECUTE -> 0100;
                    case GROUP_READ -> 040;
                    case GROUP_WRITE -> 020;
                    case GROUP_EXECUTE -> 010;
                    case OTHERS_READ -> 04;
                    case OTHERS_WRITE -> 02;
                    case OTHERS_EXECUTE -> 01;
                };
            }
        }
        return mode;
    }

    public boolean read() {
        return read;
    }

    public boolean write() {
        return write;
    }

    public boolean append() {
        return append;
    }

    /** True with {@code ExtendedOpenOption.DIRECT}: O_DIRECT. */
    public boolean direct() {
        return direct;
    }

    /** The permission bits a created file gets, before the umask. */
    public int mode() {
        return mode;
    }

    /**
     * The O_DIRECT alignment for {@code path}: the block size of its store ({@code FileStore.getBlockSize()}),
     * 4096 when that cannot be had; 0 without DIRECT.
     */
    public int directAlignment(Path path) {
        if (!direct) {
            return 0;
        }
        // DELETE_ON_CLOSE has already unlinked the file: its directory is on the same store.
        for (Path p = path; p != null; p = p.getParent()) {
            try {
                long size = Files.getFileStore(p).getBlockSize();
                if (size > 0 && size <= (1 << 20) && Long.bitCount(size) == 1) {
                    return (int) size;
                }
                break;
            } catch (NoSuchFileException e) {
                // Try the parent.
            } catch (IOException | UnsupportedOperationException e) {
                break;
            }
        }
        return AlignedBuffers.DEFAULT_DIRECT_ALIGNMENT;
    }

    /** The open(2) flags, as UnixChannelFactory.open computes them (O_CLOEXEC is added by LibC.open). */
    public int openFlags() {
        int flags;
        if (read && write) {
            flags = LibC.O_RDWR;
        } else {
            flags = write ? LibC.O_WRONLY : LibC.O_RDONLY;
        }
        if (write) {
            if (truncateExisting) {
                flags |= LibC.O_TRUNC;
            }
            if (append) {
                flags |= LibC.O_APPEND;
            }
            if (createNew) {
                flags |= LibC.O_CREAT | LibC.O_EXCL;
            } else if (create) {
                flags |= LibC.O_CREAT;
            }
        }
        if (!followsLinks()) {
            flags |= LibC.O_NOFOLLOW;
        }
        if (dsync) {
            flags |= LibC.O_DSYNC;
        }
        if (sync) {
            flags |= LibC.O_SYNC;
        }
        if (direct) {
            flags |= LibC.O_DIRECT;
        }
        return flags;
    }

    /** CREATE_NEW never follows a link (O_EXCL); otherwise NOFOLLOW_LINKS and DELETE_ON_CLOSE refuse them. */
    private boolean followsLinks() {
        return createNew || !(noFollowLinks || deleteOnClose);
    }

    /**
     * Opens {@code path}. With DELETE_ON_CLOSE the file is unlinked right after opening, as the JDK does on Unix
     * (its spec allows it: the name goes, the open file stays until closed).
     *
     * @return the file descriptor
     * @throws FileSystemException mapped from the errno, naming the path
     */
    public int open(Path path) throws IOException {
        String name = path.toString();
        // The JDK opens the empty path as "." (UnixPath.getByteArrayForSysCalls): CREATE_NEW then finds it exists.
        int fd = LibC.open(name.isEmpty() ? "." : name, openFlags(), mode);
        if (fd < 0) {
            int errno = -fd;
            if (createNew && errno == Errno.EISDIR) {
                errno = Errno.EEXIST;
            }
            FileSystemException failure = Errno.toFileSystemException(errno, name, null);
            if (!followsLinks() && errno == Errno.ELOOP) {
                failure = new FileSystemException(name, null, Errno.reason(errno) + " (NOFOLLOW_LINKS specified)");
            }
            throw failure;
        }
        if (deleteOnClose) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // As the JDK: the file stays if it cannot be unlinked; the channel is still usable.
            }
        }
        return fd;
    }
}

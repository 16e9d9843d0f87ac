package dev.ioengine;

import java.io.IOException;

/**
 * An operation failed with a Linux errno. The message names the errno ({@code EIO}), its meaning and the
 * operation; {@link #errno()} gives the number. Paths are not known at the engine level: the channels and the
 * file system provider turn errors into {@link java.nio.file.FileSystemException}s that name the file.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public ErrnoException(int errno, String operation) {
        super(errnoName(errno) + " (" + errnoDescription(errno) + ")" + (operation == null ? "" : ": " + operation));
        this.errno = errno;
    }

    /** The Linux errno, positive. */
    public int errno() {
        return errno;
    }

    /** The symbolic name, for example {@code ENOSPC}. */
    public String errnoName() {
        return errnoName(errno);
    }

    /** The symbolic name of a Linux errno ({@code EIO}), or {@code errno N} for one this table lacks. */
    public static String errnoName(int errno) {
        return dev.ioengine.internal.linux.Errno.name(errno);
    }

    /** The C library's description of a Linux errno ({@code Input/output error}). */
    public static String errnoDescription(int errno) {
        return dev.ioengine.internal.linux.Errno.description(errno);
    }
}

package dev.ioengine.internal.linux;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Linux errno values (asm-generic/errno-base.h and asm-generic/errno.h, shared by x86_64 and aarch64), their
 * names and descriptions, and the mapping to the exceptions {@code java.nio.file} specifies.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int EPIPE = 32;
    public static final int ERANGE = 34;
    public static final int EDEADLK = 35;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOLCK = 37;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENODATA = 61;
    public static final int EOVERFLOW = 75;
    public static final int EOPNOTSUPP = 95;
    public static final int ETIMEDOUT = 110;
    public static final int EDQUOT = 122;
    public static final int ECANCELED = 125;

    private Errno() {
    }

    /** The symbolic name ({@code EIO}), or {@code errno N} for a value this table lacks. */
    public static String name(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 3 -> "ESRCH";
            case 4 -> "EINTR";
            case 5 -> "EIO";
            case 6 -> "ENXIO";
            case 7 -> "E2BIG";
            case 8 -> "ENOEXEC";
            case 9 -> "EBADF";
            case 10 -> "ECHILD";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 16 -> "EBUSY";
            case 17 -> "EEXIST";
            case 18 -> "EXDEV";
            case 19 -> "ENODEV";
            case 20 -> "ENOTDIR";
            case 21 -> "EISDIR";
            case 22 -> "EINVAL";
            case 23 -> "ENFILE";
            case 24 -> "EMFILE";
            case 25 -> "ENOTTY";
            case 26 -> "ETXTBSY";
            case 27 -> "EFBIG";
            case 28 -> "ENOSPC";
            case 29 -> "ESPIPE";
            case 30 -> "EROFS";
            case 31 -> "EMLINK";
            case 32 -> "EPIPE";
            case 34 -> "ERANGE";
            case 35 -> "EDEADLK";
            case 36 -> "ENAMETOOLONG";
            case 37 -> "ENOLCK";
            case 38 -> "ENOSYS";
            case 39 -> "ENOTEMPTY";
            case 40 -> "ELOOP";
            case 61 -> "ENODATA";
            case 75 -> "EOVERFLOW";
            case 95 -> "EOPNOTSUPP";
            case 110 -> "ETIMEDOUT";
            case 122 -> "EDQUOT";
            case 125 -> "ECANCELED";
            default -> "errno " + errno;
        };
    }

    /** The C library's description ({@code Input/output error}). */
    public static String description(int errno) {
        return switch (errno) {
            case 1 -> "Operation not permitted";
            case 2 -> "No such file or directory";
            case 3 -> "No such process";
            case 4 -> "Interrupted system call";
            case 5 -> "Input/output error";
            case 6 -> "No such device or address";
            case 7 -> "Argument list too long";
            case 8 -> "Exec format error";
            case 9 -> "Bad file descriptor";
            case 10 -> "No child processes";
            case 11 -> "Resource temporarily unavailable";
            case 12 -> "Cannot allocate memory";
            case 13 -> "Permission denied";
            case 14 -> "Bad address";
            case 16 -> "Device or resource busy";
            case 17 -> "File exists";
            case 18 -> "Invalid cross-device link";
            case 19 -> "No such device";
            case 20 -> "Not a directory";
            case 21 -> "Is a directory";
            case 22 -> "Invalid argument";
            case 23 -> "Too many open files in system";
            case 24 -> "Too many open files";
            case 25 -> "Inappropriate ioctl for device";
            case 26 -> "Text file busy";
            case 27 -> "File too large";
            case 28 -> "No space left on device";
            case 29 -> "Illegal seek";
            case 30 -> "Read-only file system";
            case 31 -> "Too many links";
            case 32 -> "Broken pipe";
            case 34 -> "Numerical result out of range";
            case 35 -> "Resource deadlock avoided";
            case 36 -> "File name too long";
            case 37 -> "No locks available";
            case 38 -> "Function not implemented";
            case 39 -> "Directory not empty";
            case 40 -> "Too many levels of symbolic links";
            case 61 -> "No data available";
            case 75 -> "Value too large for defined data type";
            case 95 -> "Operation not supported";
            case 110 -> "Connection timed out";
            case 122 -> "Disk quota exceeded";
            case 125 -> "Operation canceled";
            default -> "unknown error";
        };
    }

    /**
     * The exception {@code java.nio.file} uses for this errno on {@code path}, as the JDK's UnixException does:
     * {@link NoSuchFileException} for ENOENT, {@link AccessDeniedException} for EACCES / EPERM / EROFS,
     * {@link FileAlreadyExistsException} for EEXIST, and otherwise a {@link FileSystemException} whose reason
     * names the errno (ELOOP says NOFOLLOW_LINKS, which is how it usually arises).
     */
    public static FileSystemException toFileSystemException(int errno, String path, String otherPath) {
        return switch (errno) {
            case ENOENT -> new NoSuchFileException(path, otherPath, null);
            case EACCES, EPERM, EROFS -> new AccessDeniedException(path, otherPath, reason(errno));
            case EEXIST -> new FileAlreadyExistsException(path, otherPath, null);
            case ENOTDIR -> new NotDirectoryException(path);
            case ENOTEMPTY -> new DirectoryNotEmptyException(path);
            case ELOOP -> new FileSystemException(path, otherPath, reason(errno) + " or NOFOLLOW_LINKS");
            default -> new FileSystemException(path, otherPath, reason(errno));
        };
    }

    /** "ENOSPC (No space left on device)". */
    public static String reason(int errno) {
        return name(errno) + " (" + description(errno) + ")";
    }
}

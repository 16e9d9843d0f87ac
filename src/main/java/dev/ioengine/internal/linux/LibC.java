package dev.ioengine.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The plain C library calls io-engine makes: file descriptors, positional and vectored IO, sync, space
 * management, eventfd, mmap and the generic {@code syscall}.
 *
 * <p>Convention: every method returns the call's non-negative result, or {@code -errno} on failure, so callers
 * never read errno separately. Calls that may be interrupted by a signal before doing anything are retried on
 * EINTR here; {@code close} never is (on Linux the descriptor is gone even when close reports EINTR).
 */
public final class LibC {
    // fcntl.h (asm-generic/fcntl.h; x86_64 and aarch64 differ only in O_DIRECT / O_DIRECTORY / O_NOFOLLOW).
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_DSYNC = 010000;
    public static final int O_SYNC = 04010000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_DIRECT = Native.ARCH == Native.Arch.AARCH64 ? 0200000 : 040000;
    public static final int O_DIRECTORY = Native.ARCH == Native.Arch.AARCH64 ? 040000 : 0200000;
    public static final int O_NOFOLLOW = Native.ARCH == Native.Arch.AARCH64 ? 0100000 : 0400000;

    // linux/falloc.h
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;

    // linux/fs.h: preadv2 / pwritev2 flags
    /** Fail with EAGAIN rather than wait (for the device, a page lock, a block allocation). Linux 4.14. */
    public static final int RWF_NOWAIT = 0x00000008;

    // unistd.h
    public static final int SEEK_SET = 0;

    // sys/eventfd.h
    public static final int EFD_CLOEXEC = 02000000;

    // sys/mman.h
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x08000;
    /** mmap's MAP_FAILED, (void *) -1. */
    public static final long MAP_FAILED = -1L;

    // fcntl commands (asm-generic/fcntl.h)
    public static final int F_GETFD = 1;
    public static final int F_GETFL = 3;
    public static final int FD_CLOEXEC = 1;

    // One holder class per C function: a handle is made on the first call of its function, not when LibC is first
    // used (each downcall handle costs start-up time: FFM spins classes for it). A program that only opens and reads
    // a file makes only the open, fstat, pread and close handles.

    private static final class Open {
        static final MethodHandle HANDLE = Native.variadicDowncall("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    }

    private static final class Close {
        static final MethodHandle HANDLE = Native.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    // The buffer is passed as a raw address (a pointer is a 64-bit integer in the LP64 ABI): engine threads
    // do IO into memory other threads own, possibly a confined arena's, whose liveness the engine checked at
    // submit and whose owner keeps it alive until completion.
    private static final class Pread {
        static final MethodHandle HANDLE = Native.downcall("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    private static final class Pwrite {
        static final MethodHandle HANDLE = Native.downcall("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    // The same calls with the buffer passed as a segment: the linker keeps the segment's memory session alive for
    // the call, as the JDK's own IO acquires a buffer's session, so a shared arena cannot be closed under the kernel.
    // For callers that make the call on the buffer owner's behalf on its own thread (a blocking channel).
    private static final class PreadSegment {
        static final MethodHandle HANDLE = Native.downcall("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    private static final class PwriteSegment {
        static final MethodHandle HANDLE = Native.downcall("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    private static final class Preadv {
        static final MethodHandle HANDLE = Native.downcall("preadv",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    }

    private static final class Pwritev {
        static final MethodHandle HANDLE = Native.downcall("pwritev",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    }

    private static final class Preadv2 {
        static final MethodHandle HANDLE = Native.downcall("preadv2",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Pwritev2 {
        static final MethodHandle HANDLE = Native.downcall("pwritev2",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Fsync {
        static final MethodHandle HANDLE = Native.downcall("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Fdatasync {
        static final MethodHandle HANDLE = Native.downcall("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Fallocate {
        static final MethodHandle HANDLE = Native.downcall("fallocate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class Ftruncate {
        static final MethodHandle HANDLE = Native.downcall("ftruncate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class Fstat {
        static final MethodHandle HANDLE = Native.downcall("fstat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    private static final class FcntlInt {
        static final MethodHandle HANDLE = Native.variadicDowncall("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
    }

    private static final class FcntlPointer {
        static final MethodHandle HANDLE = Native.variadicDowncall("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), 2);
    }

    private static final class Eventfd {
        static final MethodHandle HANDLE = Native.downcall("eventfd",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Read {
        static final MethodHandle HANDLE = Native.downcall("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class Write {
        static final MethodHandle HANDLE = Native.downcall("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class Mmap {
        static final MethodHandle HANDLE = Native.downcall("mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class Munmap {
        static final MethodHandle HANDLE = Native.downcall("munmap",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private LibC() {
    }

    /**
     * open(2) of a path given as a Java string (encoded as the platform's file name encoding, UTF-8 on Linux),
     * always with O_CLOEXEC added.
     *
     * @return the descriptor, or -errno
     */
    public static int open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            MemorySegment state = Native.callState();
            while (true) {
                int fd = (int) Open.HANDLE.invokeExact(state, cPath, flags | O_CLOEXEC, mode);
                if (fd >= 0) {
                    return fd;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** close(2); never retried. @return 0 or -errno */
    public static int close(int fd) {
        try {
            MemorySegment state = Native.callState();
            int r = (int) Close.HANDLE.invokeExact(state, fd);
            return r == 0 ? 0 : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** pread(2) into native memory at {@code address}. @return bytes read (0 at EOF) or -errno */
    public static long pread(MemorySegment state, int fd, long address, long length, long position) {
        try {
            while (true) {
                long r = (long) Pread.HANDLE.invokeExact(state, fd, address, length, position);
                if (r >= 0) {
                    return r;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** pwrite(2) from native memory at {@code address}. @return bytes written or -errno */
    public static long pwrite(MemorySegment state, int fd, long address, long length, long position) {
        try {
            while (true) {
                long r = (long) Pwrite.HANDLE.invokeExact(state, fd, address, length, position);
                if (r >= 0) {
                    return r;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * pread(2) of {@code length} bytes (at most the segment's size) into {@code buffer}, its memory session held for
     * the call. Not retried on EINTR: the caller decides, as the JDK's channels do. @return bytes read or -errno
     */
    public static long pread(MemorySegment state, int fd, MemorySegment buffer, long length, long position) {
        if (length > buffer.byteSize()) {
            throw new IndexOutOfBoundsException("length " + length + " > buffer " + buffer.byteSize());
        }
        try {
            long r = (long) PreadSegment.HANDLE.invokeExact(state, fd, buffer, length, position);
            return r >= 0 ? r : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * pwrite(2) of {@code length} bytes (at most the segment's size) from {@code buffer}, its memory session held
     * for the call. Not retried on EINTR: the caller decides. @return bytes written or -errno
     */
    public static long pwrite(MemorySegment state, int fd, MemorySegment buffer, long length, long position) {
        if (length > buffer.byteSize()) {
            throw new IndexOutOfBoundsException("length " + length + " > buffer " + buffer.byteSize());
        }
        try {
            long r = (long) PwriteSegment.HANDLE.invokeExact(state, fd, buffer, length, position);
            return r >= 0 ? r : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** preadv(2) with an array of {@link Iovec}s. @return bytes read or -errno */
    public static long preadv(MemorySegment state, int fd, MemorySegment iovecs, int count, long position) {
        try {
            while (true) {
                long r = (long) Preadv.HANDLE.invokeExact(state, fd, iovecs, count, position);
                if (r >= 0) {
                    return r;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** pwritev(2) with an array of {@link Iovec}s. @return bytes written or -errno */
    public static long pwritev(MemorySegment state, int fd, MemorySegment iovecs, int count, long position) {
        try {
            while (true) {
                long r = (long) Pwritev.HANDLE.invokeExact(state, fd, iovecs, count, position);
                if (r >= 0) {
                    return r;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** preadv2(2) with an array of {@link Iovec}s and {@code RWF_*} flags. @return bytes read or -errno */
    public static long preadv2(MemorySegment state, int fd, MemorySegment iovecs, int count, long position,
            int flags) {
        try {
            while (true) {
                long r = (long) Preadv2.HANDLE.invokeExact(state, fd, iovecs, count, position, flags);
                if (r >= 0) {
                    return r;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** pwritev2(2) with an array of {@link Iovec}s and {@code RWF_*} flags. @return bytes written or -errno */
    public static long pwritev2(MemorySegment state, int fd, MemorySegment iovecs, int count, long position,
            int flags) {
        try {
            while (true) {
                long r = (long) Pwritev2.HANDLE.invokeExact(state, fd, iovecs, count, position, flags);
                if (r >= 0) {
                    return r;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fsync(2). @return 0 or -errno */
    public static int fsync(MemorySegment state, int fd) {
        return retryInt(Fsync.HANDLE, state, fd);
    }

    /** fdatasync(2). @return 0 or -errno */
    public static int fdatasync(MemorySegment state, int fd) {
        return retryInt(Fdatasync.HANDLE, state, fd);
    }

    private static int retryInt(MethodHandle handle, MemorySegment state, int fd) {
        try {
            while (true) {
                int r = (int) handle.invokeExact(state, fd);
                if (r == 0) {
                    return 0;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fallocate(2); the length is a full 64-bit off_t. @return 0 or -errno */
    public static int fallocate(MemorySegment state, int fd, int mode, long offset, long length) {
        try {
            while (true) {
                int r = (int) Fallocate.HANDLE.invokeExact(state, fd, mode, offset, length);
                if (r == 0) {
                    return 0;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** ftruncate(2). @return 0 or -errno */
    public static int ftruncate(int fd, long length) {
        try {
            MemorySegment state = Native.callState();
            while (true) {
                int r = (int) Ftruncate.HANDLE.invokeExact(state, fd, length);
                if (r == 0) {
                    return 0;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * The size of the open file: fstat's st_size, as the JDK reports it (lseek(SEEK_END) is no size for a
     * directory, where ext4 answers Long.MAX_VALUE). @return size or -errno
     */
    public static long size(int fd) {
        int[] errno = new int[1];
        Stat st = fstat(fd, errno);
        return st == null ? -errno[0] : st.size();
    }

    /**
     * fstat(2) into a {@link Stat} record.
     *
     * @return the record, or null with {@code errnoOut[0]} set on failure
     */
    public static Stat fstat(int fd, int[] errnoOut) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Stat.SIZE, 8);
            MemorySegment state = Native.callState();
            int r = (int) Fstat.HANDLE.invokeExact(state, fd, buf);
            if (r != 0) {
                errnoOut[0] = Native.errno(state);
                return null;
            }
            return Stat.of(buf);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fcntl(2) with an int argument (F_GETFL and similar). @return the result or -errno */
    public static int fcntl(int fd, int cmd, int arg) {
        try {
            MemorySegment state = Native.callState();
            int r = (int) FcntlInt.HANDLE.invokeExact(state, fd, cmd, arg);
            return r >= 0 ? r : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fcntl(2) with a pointer argument (record locks). Not retried on EINTR: lock waiters decide. */
    public static int fcntl(int fd, int cmd, MemorySegment arg) {
        try {
            MemorySegment state = Native.callState();
            int r = (int) FcntlPointer.HANDLE.invokeExact(state, fd, cmd, arg);
            return r >= 0 ? r : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** eventfd(2). @return the descriptor or -errno */
    public static int eventfd(int initval, int flags) {
        try {
            MemorySegment state = Native.callState();
            int r = (int) Eventfd.HANDLE.invokeExact(state, initval, flags);
            return r >= 0 ? r : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** read(2). @return bytes or -errno */
    public static long read(MemorySegment state, int fd, MemorySegment buffer, long length) {
        try {
            while (true) {
                long r = (long) Read.HANDLE.invokeExact(state, fd, buffer, length);
                if (r >= 0) {
                    return r;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** write(2). @return bytes or -errno */
    public static long write(MemorySegment state, int fd, MemorySegment buffer, long length) {
        try {
            while (true) {
                long r = (long) Write.HANDLE.invokeExact(state, fd, buffer, length);
                if (r >= 0) {
                    return r;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * mmap(2) of a shared mapping of {@code fd}.
     *
     * @return the address (a zero-length segment), or null with {@code errnoOut[0]} set on failure
     */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset, int[] errnoOut) {
        try {
            MemorySegment state = Native.callState();
            MemorySegment r = (MemorySegment) Mmap.HANDLE.invokeExact(state, MemorySegment.NULL, length, prot,
                    flags, fd, offset);
            if (r.address() == MAP_FAILED) {
                errnoOut[0] = Native.errno(state);
                return null;
            }
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** munmap(2). @return 0 or -errno */
    public static int munmap(MemorySegment address, long length) {
        try {
            MemorySegment state = Native.callState();
            int r = (int) Munmap.HANDLE.invokeExact(state, address, length);
            return r == 0 ? 0 : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}

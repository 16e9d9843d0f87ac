package dev.ioengine.channels;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ioengine.ErrnoException;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct flock} (uapi asm-generic/fcntl.h, the same on x86_64 and aarch64), 32 bytes on LP64:
 * <pre>
 *   0 short l_type      F_RDLCK, F_WRLCK or F_UNLCK
 *   2 short l_whence    SEEK_SET here
 *   8 off_t l_start
 *  16 off_t l_len       0 means "to the end of the file, however far it grows"
 *  24 pid_t l_pid       set by F_GETLK only
 * </pre>
 * and the record-lock calls made with it: {@code fcntl(fd, F_SETLK / F_SETLKW, &flock)}. These are POSIX
 * (process-associated) locks, as the JDK's FileChannel takes: other processes see them, and closing any
 * descriptor of the file in this process releases them (the channels close their own only at the end).
 */
final class Flock {
    // asm-generic/fcntl.h
    static final int F_GETLK = 5;
    static final int F_SETLK = 6;
    static final int F_SETLKW = 7;
    static final short F_RDLCK = 0;
    static final short F_WRLCK = 1;
    static final short F_UNLCK = 2;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("l_type"),
            JAVA_SHORT.withName("l_whence"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("l_start"),
            JAVA_LONG.withName("l_len"),
            JAVA_INT.withName("l_pid"),
            MemoryLayout.paddingLayout(4)).withName("flock");

    private static final VarHandle L_TYPE = field("l_type");
    private static final VarHandle L_WHENCE = field("l_whence");
    private static final VarHandle L_START = field("l_start");
    private static final VarHandle L_LEN = field("l_len");

    /** What {@link #lock} found. */
    enum Outcome { ACQUIRED, HELD_ELSEWHERE }

    private Flock() {
    }

    private static VarHandle field(String name) {
        return LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name)).withInvokeExactBehavior();
    }

    /**
     * One attempt at {@code fcntl(fd, wait ? F_SETLKW : F_SETLK, ...)} for the range, as the JDK's
     * FileDispatcherImpl.lock0 fills it: a size of {@code Long.MAX_VALUE} becomes {@code l_len = 0}.
     *
     * @return ACQUIRED, or HELD_ELSEWHERE when another process holds a conflicting lock (EAGAIN / EACCES)
     * @throws ErrnoException for any other failure (EINTR included, for the caller to retry)
     */
    static Outcome lock(int fd, boolean wait, long position, long size, boolean shared)
            throws ErrnoException {
        int r = fcntl(fd, wait ? F_SETLKW : F_SETLK, shared ? F_RDLCK : F_WRLCK, position, size);
        if (r >= 0) {
            return Outcome.ACQUIRED;
        }
        if (-r == Errno.EAGAIN || -r == Errno.EACCES) {
            return Outcome.HELD_ELSEWHERE;
        }
        throw new ErrnoException(-r, "fcntl(F_SETLK) position=" + position + " size=" + size);
    }

    /** Releases the range: {@code fcntl(fd, F_SETLK, F_UNLCK ...)}. */
    static void unlock(int fd, long position, long size) throws ErrnoException {
        int r = fcntl(fd, F_SETLK, F_UNLCK, position, size);
        if (r < 0) {
            throw new ErrnoException(-r, "fcntl(F_UNLCK) position=" + position + " size=" + size);
        }
    }

    private static int fcntl(int fd, int command, short type, long position, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flock = arena.allocate(LAYOUT);
            L_TYPE.set(flock, 0L, type);
            L_WHENCE.set(flock, 0L, (short) LibC.SEEK_SET);
            L_START.set(flock, 0L, position);
            L_LEN.set(flock, 0L, size == Long.MAX_VALUE ? 0L : size);
            return LibC.fcntl(fd, command, flock);
        }
    }
}

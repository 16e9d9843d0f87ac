package dev.ioengine.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * copy_file_range(2): copies between two open files inside the kernel (page cache to page cache, or a reflink
 * where the file system shares extents), with no user-space copy. What the JDK's FileChannel.transferTo and
 * transferFrom use between two files on Linux. Linux 4.5 and glibc 2.27; {@link #isAvailable()} says whether the
 * C library has it.
 *
 * <p>Both offsets are explicit (never the descriptors' file offsets): io-engine's channels keep their position in
 * Java.
 */
public final class CopyFileRange {
    /** The handle, made when a transfer first needs it; null if the C library lacks the function. */
    private static final MethodHandle COPY_FILE_RANGE = link();

    private CopyFileRange() {
    }

    private static MethodHandle link() {
        try {
            return Native.downcall("copy_file_range",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        } catch (UnsatisfiedLinkError missing) {
            return null;
        }
    }

    /** True if the C library exports copy_file_range. */
    public static boolean isAvailable() {
        return COPY_FILE_RANGE != null;
    }

    /**
     * Copies up to {@code length} bytes of {@code fdIn} at {@code offsetIn} to {@code fdOut} at {@code offsetOut},
     * retried on EINTR (a signal before anything was copied).
     *
     * @return the bytes copied (0 at the end of the input file), or -errno; -ENOSYS without the C function
     */
    public static long copy(int fdIn, long offsetIn, int fdOut, long offsetOut, long length) {
        MethodHandle copyFileRange = COPY_FILE_RANGE;
        if (copyFileRange == null) {
            return -Errno.ENOSYS;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(JAVA_LONG, offsetIn);
            MemorySegment out = arena.allocateFrom(JAVA_LONG, offsetOut);
            MemorySegment state = Native.callState();
            while (true) {
                long r = (long) copyFileRange.invokeExact(state, fdIn, in, fdOut, out, length, 0);
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
}

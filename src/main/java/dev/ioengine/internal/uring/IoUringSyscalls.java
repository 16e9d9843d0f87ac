package dev.ioengine.internal.uring;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ioengine.internal.linux.Native;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The three io_uring system calls, made through the C library's variadic {@code long syscall(long number, ...)}
 * (the C library has no wrappers for them). Every argument after the number is passed as a {@code long} or a
 * pointer, the width {@code syscall} reads them at; errno is captured on every call.
 *
 * <p>Convention (as {@link dev.ioengine.internal.linux.LibC}): each method returns the call's non-negative
 * result or {@code -errno}. Nothing is retried here: the ring thread decides what EINTR means for an enter.
 */
final class IoUringSyscalls {
    /** {@code int io_uring_setup(u32 entries, struct io_uring_params *p)}. */
    private static final MethodHandle io_uring_setup = Native.variadicDowncall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), 1);
    /**
     * {@code int io_uring_enter(unsigned fd, u32 to_submit, u32 min_complete, u32 flags, const sigset_t *sig,
     * size_t sigsz)}.
     */
    private static final MethodHandle io_uring_enter = Native.variadicDowncall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS,
                    JAVA_LONG), 1);
    /** {@code int io_uring_register(unsigned fd, unsigned opcode, void *arg, unsigned nr_args)}. */
    private static final MethodHandle io_uring_register = Native.variadicDowncall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG), 1);

    private IoUringSyscalls() {
    }

    /** io_uring_setup(2). @return the ring's file descriptor or -errno */
    static int setup(MemorySegment state, int entries, MemorySegment params) {
        try {
            long r = (long) io_uring_setup.invokeExact(state, IoUringConstants.SYS_io_uring_setup,
                    Integer.toUnsignedLong(entries), params);
            return r >= 0 ? (int) r : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** io_uring_enter(2) without a signal mask. @return SQEs consumed, or -errno */
    static int enter(MemorySegment state, int ringFd, int toSubmit, int minComplete, int flags) {
        try {
            long r = (long) io_uring_enter.invokeExact(state, IoUringConstants.SYS_io_uring_enter,
                    Integer.toUnsignedLong(ringFd), Integer.toUnsignedLong(toSubmit),
                    Integer.toUnsignedLong(minComplete), Integer.toUnsignedLong(flags), MemorySegment.NULL, 0L);
            return r >= 0 ? (int) r : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** io_uring_register(2). @return the call's result or -errno */
    static int register(MemorySegment state, int ringFd, int opcode, MemorySegment arg, int nrArgs) {
        try {
            long r = (long) io_uring_register.invokeExact(state, IoUringConstants.SYS_io_uring_register,
                    Integer.toUnsignedLong(ringFd), Integer.toUnsignedLong(opcode), arg,
                    Integer.toUnsignedLong(nrArgs));
            return r >= 0 ? (int) r : -Native.errno(state);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}

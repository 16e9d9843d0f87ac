package dev.ioengine.internal.aio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.Native;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The Linux AIO system calls ({@code io_setup(2)}, {@code io_destroy(2)}, {@code io_submit(2)},
 * {@code io_getevents(2)}) through the C library's variadic {@code long syscall(long number, ...)}: glibc has no
 * wrappers for them.
 *
 * <p>{@code syscall()} returns -1 and sets errno on failure (it does not return {@code -errno}: the seed crate
 * compared the return value with {@code -EINTR} and so never retried). Every call here captures errno and
 * returns either the kernel's non-negative result or {@code -errno}. Nothing here retries: the callers decide
 * what EINTR and EAGAIN mean for them.
 */
final class AioSyscalls {
    /** Syscall numbers: arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h. */
    static final long NR_IO_SETUP;
    static final long NR_IO_DESTROY;
    static final long NR_IO_SUBMIT;
    static final long NR_IO_GETEVENTS;

    static {
        switch (Native.ARCH) {
            case X86_64 -> {
                NR_IO_SETUP = 206;
                NR_IO_DESTROY = 207;
                NR_IO_GETEVENTS = 208;
                NR_IO_SUBMIT = 209;
            }
            case AARCH64 -> {
                NR_IO_SETUP = 0;
                NR_IO_DESTROY = 1;
                NR_IO_SUBMIT = 2;
                NR_IO_GETEVENTS = 4;
            }
            default -> {
                NR_IO_SETUP = -1;
                NR_IO_DESTROY = -1;
                NR_IO_SUBMIT = -1;
                NR_IO_GETEVENTS = -1;
            }
        }
    }

    /** {@code syscall(SYS_io_setup, unsigned nr_events, aio_context_t *ctxp)}. */
    private static final MethodHandle syscallSetup = Native.variadicDowncall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), 1);
    /** {@code syscall(SYS_io_destroy, aio_context_t ctx)}. */
    private static final MethodHandle syscallDestroy = Native.variadicDowncall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    /** {@code syscall(SYS_io_submit, aio_context_t ctx, long nr, struct iocb **iocbpp)}. */
    private static final MethodHandle syscallSubmit = Native.variadicDowncall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), 1);
    /**
     * {@code syscall(SYS_io_getevents, aio_context_t ctx, long min_nr, long nr, struct io_event *events,
     * struct timespec *timeout)}.
     */
    private static final MethodHandle syscallGetevents = Native.variadicDowncall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS), 1);

    private AioSyscalls() {
    }

    /** True where the syscall numbers are known. */
    static boolean supportedArch() {
        return NR_IO_SETUP >= 0;
    }

    /** io_setup(2): creates a context for {@code nrEvents}, stored into {@code contextOut}. @return 0 or -errno */
    static long ioSetup(MemorySegment state, long nrEvents, MemorySegment contextOut) {
        try {
            long r = (long) syscallSetup.invokeExact(state, NR_IO_SETUP, nrEvents, contextOut);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** io_destroy(2): cancels what it can, waits for the rest, and frees the context. @return 0 or -errno */
    static long ioDestroy(MemorySegment state, long context) {
        try {
            long r = (long) syscallDestroy.invokeExact(state, NR_IO_DESTROY, context);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * io_submit(2) of {@code count} iocb pointers starting at {@code iocbPointers}.
     *
     * @return how many the kernel took (from the start of the array), or -errno when it took none: the errno then
     *     concerns the first iocb
     */
    static long ioSubmit(MemorySegment state, long context, long count, MemorySegment iocbPointers) {
        try {
            long r = (long) syscallSubmit.invokeExact(state, NR_IO_SUBMIT, context, count, iocbPointers);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * io_getevents(2): waits for at least {@code minEvents} completions (or the timeout) and copies at most
     * {@code maxEvents} into {@code events}. @return the number copied (0 on timeout) or -errno
     */
    static long ioGetevents(MemorySegment state, long context, long minEvents, long maxEvents, MemorySegment events,
            MemorySegment timeout) {
        try {
            long r = (long) syscallGetevents.invokeExact(state, NR_IO_GETEVENTS, context, minEvents, maxEvents,
                    events, timeout);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** True if {@code result} is {@code -EINTR}. */
    static boolean interrupted(long result) {
        return result == -Errno.EINTR;
    }
}

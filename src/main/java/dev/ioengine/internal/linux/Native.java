package dev.ioengine.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The FFM plumbing every binding shares: the native linker, the C library's symbols, and errno capture.
 *
 * <p>Every downcall made here captures {@code errno} ({@code Linker.Option.captureCallState}), since the value
 * of the C global is gone by the time Java code could read it. Each thread captures into its own small segment
 * ({@link #callState()}); engine threads that call in a loop keep theirs. No downcall is marked
 * {@code critical}: file IO blocks.
 */
public final class Native {
    public static final Linker LINKER = Linker.nativeLinker();
    public static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** The kernel's CPU architecture, for the few numbers that differ (syscall numbers, struct stat). */
    public static final Arch ARCH = Arch.current();

    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private Native() {
    }

    /** The architectures io-engine has syscall numbers and layouts for. */
    public enum Arch {
        X86_64, AARCH64, OTHER;

        static Arch current() {
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            return switch (arch) {
                case "amd64", "x86_64" -> X86_64;
                case "aarch64", "arm64" -> AARCH64;
                default -> OTHER;
            };
        }
    }

    /** True on Linux, where every binding here applies. */
    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /**
     * A downcall handle for the C function {@code name} that captures errno: the handle takes one extra
     * leading {@link MemorySegment} argument, the capture segment from {@link #callState()}.
     *
     * @throws UnsatisfiedLinkError if the C library has no such symbol
     */
    public static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    /** As {@link #downcall}, for a variadic C function whose variadic arguments start at {@code firstVariadic}. */
    public static MethodHandle variadicDowncall(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("C library has no symbol " + name));
    }

    /** This thread's errno capture segment. Engine threads should fetch it once and keep it. */
    public static MemorySegment callState() {
        return CALL_STATE.get();
    }

    /** A fresh capture segment owned by the caller (kept by engine threads for their whole life). */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** The errno captured in {@code state} by the last downcall that used it. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO_HANDLE.get(state, 0L);
    }

    /**
     * For a downcall's {@code catch (Throwable t)}: downcalls throw nothing checked, so anything that escapes is
     * rethrown as it is, or as an {@link IllegalStateException} for a checked one (a bug in a binding).
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    /** {@code long} C type on LP64 Linux. */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** {@code size_t} / {@code off_t} on LP64 Linux. */
    public static final ValueLayout.OfLong C_SIZE_T = ValueLayout.JAVA_LONG;
}

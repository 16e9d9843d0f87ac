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
import java.util.Locale;
import java.util.Optional;

/**
 * The FFM plumbing every binding shares: the native linker, the C library's symbols, and errno capture.
 *
 * <p>Every downcall made here captures {@code errno} ({@code Linker.Option.captureCallState}), since the value
 * of the C global is gone by the time Java code could read it. Each thread captures into its own small segment
 * ({@link #callState()}); engine threads that call in a loop keep theirs. No downcall is marked
 * {@code critical}: file IO blocks.
 *
 * <p>Start-up: the drop-in provider runs in every program, so nothing here costs before it is used. The linker
 * is made on the first downcall handle ({@link Linking}), the capture layout on the first capture segment
 * ({@link Capture}); errno is read at a plain offset (no {@code VarHandle}), and the per-thread segment is made
 * without a lambda. {@link #checkNativeAccess()} answers whether native access is granted without either.
 */
public final class Native {
    /** The kernel's CPU architecture, for the few numbers that differ (syscall numbers, struct stat). */
    public static final Arch ARCH = Arch.current();

    private Native() {
    }

    /** The errno capture segment's layout and each thread's segment, made on the first use of either. */
    private static final class Capture {
        static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
        /** Where errno sits in the capture segment, taken from the JDK's layout of it. */
        static final long ERRNO_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
        static final ThreadLocal<MemorySegment> CALL_STATE = new ThreadLocal<>() {
            @Override
            protected MemorySegment initialValue() {
                // Freed once the thread (the only holder of the segment) has ended: OwnedMemory says why not an
                // automatic arena.
                OwnedMemory memory = OwnedMemory.create();
                MemorySegment state = memory.arena().allocate(LAYOUT);
                memory.freeWhenUnreachable(state);
                return state;
            }
        };
    }

    /**
     * The linker and the C library, made on the first downcall handle: making the linker is a good part of what
     * FFM costs at start-up, and a program that never makes a native call should not pay it.
     */
    private static final class Linking {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
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
     * Checks that this module may call restricted methods, without linking anything: under
     * {@code --illegal-native-access=deny} without {@code --enable-native-access} it throws; under the default
     * ({@code warn}) the JDK prints its one warning for this module here, as it would on the first downcall.
     *
     * @throws IllegalCallerException if native access is denied to this module
     */
    public static void checkNativeAccess() {
        if (!Native.class.getModule().isNativeAccessEnabled()) {
            // A restricted method that touches no memory and links nothing: it only runs the JDK's access check.
            MemorySegment.NULL.reinterpret(0);
        }
    }

    /**
     * A downcall handle for the C function {@code name} that captures errno: the handle takes one extra
     * leading {@link MemorySegment} argument, the capture segment from {@link #callState()}.
     *
     * @throws UnsatisfiedLinkError if the C library has no such symbol
     */
    public static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return Linking.LINKER.downcallHandle(symbol(name), descriptor, Linking.CAPTURE_ERRNO);
    }

    /** As {@link #downcall}, for a variadic C function whose variadic arguments start at {@code firstVariadic}. */
    public static MethodHandle variadicDowncall(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return Linking.LINKER.downcallHandle(symbol(name), descriptor, Linking.CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        // A plain test, not Optional.orElseThrow with a lambda: this runs once per handle, at start-up.
        Optional<MemorySegment> found = Linking.LIBC.find(name);
        if (found.isEmpty()) {
            throw new UnsatisfiedLinkError("C library has no symbol " + name);
        }
        return found.get();
    }

    /** This thread's errno capture segment. Engine threads should fetch it once and keep it. */
    public static MemorySegment callState() {
        return Capture.CALL_STATE.get();
    }

    /** A fresh capture segment owned by the caller (kept by engine threads for their whole life). */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(Capture.LAYOUT);
    }

    /** The errno captured in {@code state} by the last downcall that used it. */
    public static int errno(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, Capture.ERRNO_OFFSET);
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

package dev.ioengine.internal.aio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether Linux AIO works here, and the system-wide event limits ({@code fs.aio-max-nr}, {@code fs.aio-nr})
 * that make {@code io_setup} fail with EAGAIN when they are reached.
 *
 * <p>The limits are read with plain {@code open}/{@code read} through FFM, not {@code java.nio.file}: the probe
 * may run while io-engine is being installed as the default file system provider.
 */
final class AioLimits {
    static final String AIO_MAX_NR = "/proc/sys/fs/aio-max-nr";
    static final String AIO_NR = "/proc/sys/fs/aio-nr";

    private AioLimits() {
    }

    /** io_setup(1) then io_destroy: available, or why not. */
    static EngineAvailability probe() {
        if (!Native.isLinux()) {
            return unavailable("Linux AIO needs Linux");
        }
        Native.checkNativeAccess(); // says "denied" plainly, rather than through a failed class initialisation
        if (!AioSyscalls.supportedArch()) {
            return unavailable("no Linux AIO syscall numbers for os.arch=" + System.getProperty("os.arch"));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.newCallState(arena);
            MemorySegment context = arena.allocate(JAVA_LONG);
            long r = AioSyscalls.ioSetup(state, 1, context);
            if (r < 0) {
                return unavailable(setupFailure((int) -r, 1));
            }
            long destroyed = AioSyscalls.ioDestroy(state, context.get(JAVA_LONG, 0));
            if (destroyed < 0) {
                return unavailable("io_destroy failed: " + Errno.reason((int) -destroyed));
            }
        }
        List<String> features = new ArrayList<>();
        features.add("aio-max-nr=" + readLimit(AIO_MAX_NR));
        features.add("aio-nr=" + readLimit(AIO_NR));
        features.add("IOCB_CMD_PREAD");
        features.add("IOCB_CMD_PWRITE");
        features.add("IOCB_CMD_PREADV");
        features.add("IOCB_CMD_PWRITEV");
        features.add("fsync/fdatasync/fallocate on a side worker, after earlier writes");
        return new EngineAvailability(EngineKind.AIO, true,
                "Linux AIO (io_submit/io_getevents); asynchronous with O_DIRECT, synchronous in io_submit on "
                        + "buffered files",
                features);
    }

    /** Why io_setup failed with {@code errno} when asked for {@code nrEvents} events. */
    static String setupFailure(int errno, long nrEvents) {
        return switch (errno) {
            case Errno.ENOSYS -> "io_setup: ENOSYS: the kernel has no Linux AIO (built without CONFIG_AIO), "
                    + "or a seccomp filter hides the system call";
            case Errno.EPERM -> "io_setup: EPERM: refused, most likely by a seccomp filter (container profile)";
            case Errno.EAGAIN -> "io_setup(" + nrEvents + "): EAGAIN: the system-wide AIO event limit is reached "
                    + "(fs.aio-nr=" + readLimit(AIO_NR) + " of fs.aio-max-nr=" + readLimit(AIO_MAX_NR)
                    + "); raise it with sysctl fs.aio-max-nr, or use a smaller queue depth";
            default -> "io_setup(" + nrEvents + ") failed: " + Errno.reason(errno);
        };
    }

    /** The number in a /proc/sys file, or "unknown". */
    static String readLimit(String path) {
        int fd = LibC.open(path, LibC.O_RDONLY, 0);
        if (fd < 0) {
            return "unknown";
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(64);
            long n = LibC.read(Native.callState(), fd, buffer, buffer.byteSize());
            if (n <= 0) {
                return "unknown";
            }
            byte[] bytes = buffer.asSlice(0, n).toArray(JAVA_BYTE);
            return new String(bytes, StandardCharsets.US_ASCII).strip();
        } finally {
            LibC.close(fd);
        }
    }

    private static EngineAvailability unavailable(String reason) {
        return new EngineAvailability(EngineKind.AIO, false, reason, List.of());
    }
}

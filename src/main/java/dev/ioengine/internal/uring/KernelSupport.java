package dev.ioengine.internal.uring;

import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_FALLOCATE;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_FSYNC;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_READ;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_READV;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_WRITE;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_WRITEV;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether this kernel and process can use io_uring, and what it offers: sets up a tiny ring, asks
 * IORING_REGISTER_PROBE which opcodes it supports, and closes it again. Says why when io_uring is unavailable:
 * ENOSYS (kernel too old or built without CONFIG_IO_URING), EPERM (the {@code kernel.io_uring_disabled} sysctl,
 * or a seccomp filter or security module, as in many container runtimes).
 */
final class KernelSupport {
    /** The opcodes io-engine's operations need (all in Linux 5.6 and later). */
    private static final byte[] NEEDED_OPS = {
        IORING_OP_READ, IORING_OP_WRITE, IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_FSYNC, IORING_OP_FALLOCATE,
    };
    private static final Path IO_URING_DISABLED = Path.of("/proc/sys/kernel/io_uring_disabled");
    private static final Path OS_RELEASE = Path.of("/proc/sys/kernel/osrelease");

    private KernelSupport() {
    }

    static EngineAvailability probe() {
        if (!Native.isLinux()) {
            return unavailable("io_uring needs Linux; this is " + System.getProperty("os.name"));
        }
        if (!IoUringConstants.SYSCALLS_KNOWN) {
            return unavailable("io-engine knows the io_uring syscall numbers for x86_64 and aarch64 only, not "
                    + System.getProperty("os.arch"));
        }
        Native.checkNativeAccess(); // says "denied" plainly, rather than through a failed class initialisation
        MemorySegment state = Native.callState();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(IoUringParams.LAYOUT);
            int fd = IoUringSyscalls.setup(state, 2, params);
            if (fd < 0) {
                return unavailable(setupFailure(-fd));
            }
            try {
                return describe(state, arena, fd, IoUringParams.features(params));
            } finally {
                LibC.close(fd);
            }
        }
    }

    private static EngineAvailability describe(MemorySegment state, Arena arena, int fd, int features) {
        List<String> offered = new ArrayList<>(IoUringConstants.featureNames(features));
        MemorySegment probe = IoUringProbe.allocate(arena);
        int r = IoUringSyscalls.register(state, fd, IoUringConstants.IORING_REGISTER_PROBE, probe,
                IoUringProbe.MAX_OPS);
        if (r < 0) {
            return new EngineAvailability(EngineKind.IO_URING, false, "IORING_REGISTER_PROBE failed with "
                    + Errno.reason(-r) + ": the kernel predates Linux 5.6, which io-engine's opcodes need", offered);
        }
        List<String> missing = new ArrayList<>();
        for (byte op : NEEDED_OPS) {
            String name = IoUringConstants.opcodeName(op);
            if (IoUringProbe.supports(probe, op)) {
                offered.add(name);
            } else {
                missing.add(name);
            }
        }
        offered.addAll(setupFlagsOffered(state, arena));
        if (!missing.isEmpty()) {
            return new EngineAvailability(EngineKind.IO_URING, false,
                    "the kernel's io_uring lacks " + String.join(", ", missing), offered);
        }
        return new EngineAvailability(EngineKind.IO_URING, true, "io_uring on Linux " + osRelease(), offered);
    }

    /** The optional setup flags the ring thread asks for, each tried on a tiny ring. */
    private static List<String> setupFlagsOffered(MemorySegment state, Arena arena) {
        List<String> names = new ArrayList<>();
        int[] flags = {
            IoUringConstants.IORING_SETUP_SUBMIT_ALL,
            IoUringConstants.IORING_SETUP_COOP_TASKRUN,
            IoUringConstants.IORING_SETUP_SINGLE_ISSUER,
            IoUringConstants.IORING_SETUP_SINGLE_ISSUER | IoUringConstants.IORING_SETUP_DEFER_TASKRUN,
        };
        String[] labels = {"SUBMIT_ALL", "COOP_TASKRUN", "SINGLE_ISSUER", "DEFER_TASKRUN"};
        MemorySegment params = arena.allocate(IoUringParams.LAYOUT);
        for (int i = 0; i < flags.length; i++) {
            params.fill((byte) 0);
            IoUringParams.setFlags(params, flags[i]);
            int fd = IoUringSyscalls.setup(state, 2, params);
            if (fd >= 0) {
                LibC.close(fd);
                names.add("IORING_SETUP_" + labels[i]);
            }
        }
        return names;
    }

    /** Why io_uring_setup failed, in words. */
    static String setupFailure(int errno) {
        return switch (errno) {
            case Errno.ENOSYS -> "io_uring_setup: ENOSYS: the kernel is older than Linux 5.1 or was built without "
                    + "CONFIG_IO_URING";
            case Errno.EPERM -> "io_uring_setup: EPERM: " + permissionReason();
            case Errno.ENOMEM -> "io_uring_setup: ENOMEM: no memory for the ring (on kernels before 5.12, "
                    + "RLIMIT_MEMLOCK may be too low)";
            default -> "io_uring_setup failed: " + Errno.reason(errno);
        };
    }

    private static String permissionReason() {
        String disabled = readSysctl(IO_URING_DISABLED);
        return switch (disabled) {
            case "2" -> "io_uring is disabled for every process (kernel.io_uring_disabled=2)";
            case "1" -> "io_uring is restricted to CAP_SYS_ADMIN and the kernel.io_uring_group group "
                    + "(kernel.io_uring_disabled=1), and this process is in neither";
            case "0" -> "io_uring is enabled (kernel.io_uring_disabled=0), so a seccomp filter or a security "
                    + "module (as container runtimes install) refuses it";
            default -> "refused by a seccomp filter or a security module (kernel.io_uring_disabled: " + disabled
                    + ")";
        };
    }

    private static String osRelease() {
        return readSysctl(OS_RELEASE);
    }

    private static String readSysctl(Path path) {
        try {
            return Files.readString(path).trim();
        } catch (IOException | SecurityException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static EngineAvailability unavailable(String reason) {
        return new EngineAvailability(EngineKind.IO_URING, false, reason, List.of());
    }
}

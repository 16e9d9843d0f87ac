package dev.ioengine.internal.uring;

import dev.ioengine.internal.linux.Native;
import java.util.ArrayList;
import java.util.List;

/**
 * The io_uring numbers io-engine uses, from include/uapi/linux/io_uring.h unless noted, with the names the
 * kernel gives them.
 */
final class IoUringConstants {
    // Syscall numbers: include/uapi/asm-generic/unistd.h (aarch64) and arch/x86/entry/syscalls/syscall_64.tbl
    // (x86_64) give io_uring the same three numbers, 425..427, as on every architecture since Linux 5.1.
    static final long SYS_io_uring_setup = 425;
    static final long SYS_io_uring_enter = 426;
    static final long SYS_io_uring_register = 427;

    /** True where the numbers above are known to be right. */
    static final boolean SYSCALLS_KNOWN = Native.ARCH != Native.Arch.OTHER;

    // io_uring_setup() flags
    static final int IORING_SETUP_SQPOLL = 1 << 1;
    static final int IORING_SETUP_CLAMP = 1 << 4;
    static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;

    // io_uring_params->features (FEATURE_NAMES names every bit, for the probe's report)
    static final int IORING_FEAT_SINGLE_MMAP = 1 << 0;
    static final int IORING_FEAT_NODROP = 1 << 1;
    static final int IORING_FEAT_EXT_ARG = 1 << 8;

    private static final String[] FEATURE_NAMES = {
        "SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL", "POLL_32BITS",
        "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP", "LINKED_FILE", "REG_REG_RING",
        "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT",
    };

    // sq_ring->flags
    static final int IORING_SQ_NEED_WAKEUP = 1 << 0;
    static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;

    // io_uring_enter() flags
    static final int IORING_ENTER_GETEVENTS = 1 << 0;
    static final int IORING_ENTER_SQ_WAKEUP = 1 << 1;

    // mmap offsets of the rings
    static final long IORING_OFF_SQ_RING = 0L;
    static final long IORING_OFF_CQ_RING = 0x8000000L;
    static final long IORING_OFF_SQES = 0x10000000L;

    // enum io_uring_op
    static final byte IORING_OP_NOP = 0;
    static final byte IORING_OP_READV = 1;
    static final byte IORING_OP_WRITEV = 2;
    static final byte IORING_OP_FSYNC = 3;
    static final byte IORING_OP_ASYNC_CANCEL = 14;
    static final byte IORING_OP_FALLOCATE = 17;
    static final byte IORING_OP_READ = 22;
    static final byte IORING_OP_WRITE = 23;

    // sqe->cancel_flags (5.19)
    static final int IORING_ASYNC_CANCEL_ALL = 1 << 0;
    static final int IORING_ASYNC_CANCEL_FD = 1 << 1;

    // sqe->fsync_flags
    static final int IORING_FSYNC_DATASYNC = 1 << 0;

    // io_uring_register() opcodes
    static final int IORING_REGISTER_PROBE = 8;

    // io_uring_probe_op->flags
    static final int IO_URING_OP_SUPPORTED = 1 << 0;

    /** The kernel's largest ring: IORING_MAX_ENTRIES in io_uring/io_uring.c. */
    static final int IORING_MAX_ENTRIES = 32768;

    /**
     * The most one read or write moves: MAX_RW_COUNT in include/linux/fs.h (INT_MAX rounded down to a page).
     * Longer single-buffer requests are clamped to it and complete short, as pread and pwrite do.
     */
    static final long MAX_RW_COUNT = 0x7ffff000L;

    private IoUringConstants() {
    }

    /** The IORING_FEAT_* names of the bits set in {@code features}, unknown bits as FEAT_BIT_n. */
    static List<String> featureNames(int features) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((features & (1 << bit)) != 0) {
                names.add(bit < FEATURE_NAMES.length ? "IORING_FEAT_" + FEATURE_NAMES[bit] : "IORING_FEAT_BIT_" + bit);
            }
        }
        return names;
    }

    /** "IORING_OP_READ" for the opcodes io-engine uses, else "opcode n". */
    static String opcodeName(int opcode) {
        return switch (opcode) {
            case IORING_OP_NOP -> "IORING_OP_NOP";
            case IORING_OP_READV -> "IORING_OP_READV";
            case IORING_OP_WRITEV -> "IORING_OP_WRITEV";
            case IORING_OP_FSYNC -> "IORING_OP_FSYNC";
            case IORING_OP_ASYNC_CANCEL -> "IORING_OP_ASYNC_CANCEL";
            case IORING_OP_FALLOCATE -> "IORING_OP_FALLOCATE";
            case IORING_OP_READ -> "IORING_OP_READ";
            case IORING_OP_WRITE -> "IORING_OP_WRITE";
            default -> "opcode " + opcode;
        };
    }

    /** Names of the setup flags set in {@code flags}, for logs and the probe. */
    static String setupFlagNames(int flags) {
        StringBuilder s = new StringBuilder();
        appendIf(s, flags, IORING_SETUP_SQPOLL, "SQPOLL");
        appendIf(s, flags, IORING_SETUP_CLAMP, "CLAMP");
        appendIf(s, flags, IORING_SETUP_SUBMIT_ALL, "SUBMIT_ALL");
        appendIf(s, flags, IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN");
        appendIf(s, flags, IORING_SETUP_TASKRUN_FLAG, "TASKRUN_FLAG");
        appendIf(s, flags, IORING_SETUP_SINGLE_ISSUER, "SINGLE_ISSUER");
        appendIf(s, flags, IORING_SETUP_DEFER_TASKRUN, "DEFER_TASKRUN");
        return s.isEmpty() ? "none" : s.toString();
    }

    private static void appendIf(StringBuilder s, int flags, int flag, String name) {
        if ((flags & flag) != 0) {
            s.append(s.isEmpty() ? "" : "|").append(name);
        }
    }
}

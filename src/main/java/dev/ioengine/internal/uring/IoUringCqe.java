package dev.ioengine.internal.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct io_uring_cqe} (uapi/linux/io_uring.h), 16 bytes (io-engine never sets IORING_SETUP_CQE32):
 * <pre>
 *    0 user_data (u64)  8 res (s32)  12 flags (u32)  16 big_cqe[] (only with CQE32)
 * </pre>
 * {@code res} is the operation's return value, {@code -errno} on failure.
 */
final class IoUringCqe {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"),
            JAVA_INT.withName("res"),
            JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(0, JAVA_LONG).withName("big_cqe")).withName("io_uring_cqe");

    private static final VarHandle USER_DATA = StructFields.varHandle(LAYOUT, "user_data");
    private static final VarHandle RES = StructFields.varHandle(LAYOUT, "res");
    private static final VarHandle FLAGS = StructFields.varHandle(LAYOUT, "flags");

    private IoUringCqe() {
    }

    static long userData(MemorySegment cqes, long base) {
        return (long) USER_DATA.get(cqes, base);
    }

    static int res(MemorySegment cqes, long base) {
        return (int) RES.get(cqes, base);
    }

    static int flags(MemorySegment cqes, long base) {
        return (int) FLAGS.get(cqes, base);
    }
}

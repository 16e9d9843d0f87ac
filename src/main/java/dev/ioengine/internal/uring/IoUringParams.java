package dev.ioengine.internal.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct io_uring_params} (uapi/linux/io_uring.h), 120 bytes: passed to io_uring_setup with the wanted
 * flags, and filled in by the kernel with the ring sizes, the features it offers and the ring offsets.
 * <pre>
 *    0 sq_entries  4 cq_entries  8 flags  12 sq_thread_cpu  16 sq_thread_idle  20 features  24 wq_fd
 *   28 resv[3]
 *   40 sq_off (struct io_sqring_offsets, 40 bytes)
 *   80 cq_off (struct io_cqring_offsets, 40 bytes)
 * </pre>
 */
final class IoUringParams {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"),
            JAVA_INT.withName("cq_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"),
            JAVA_INT.withName("sq_thread_idle"),
            JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
            IoSqringOffsets.LAYOUT.withName("sq_off"),
            IoCqringOffsets.LAYOUT.withName("cq_off")).withName("io_uring_params");

    static final long SQ_OFF = StructFields.offset(LAYOUT, "sq_off");
    static final long CQ_OFF = StructFields.offset(LAYOUT, "cq_off");

    private static final VarHandle SQ_ENTRIES = StructFields.varHandle(LAYOUT, "sq_entries");
    private static final VarHandle CQ_ENTRIES = StructFields.varHandle(LAYOUT, "cq_entries");
    private static final VarHandle FLAGS = StructFields.varHandle(LAYOUT, "flags");
    private static final VarHandle SQ_THREAD_IDLE = StructFields.varHandle(LAYOUT, "sq_thread_idle");
    private static final VarHandle FEATURES = StructFields.varHandle(LAYOUT, "features");

    private IoUringParams() {
    }

    static int sqEntries(MemorySegment p) {
        return (int) SQ_ENTRIES.get(p, 0L);
    }

    static int cqEntries(MemorySegment p) {
        return (int) CQ_ENTRIES.get(p, 0L);
    }

    static int flags(MemorySegment p) {
        return (int) FLAGS.get(p, 0L);
    }

    static void setFlags(MemorySegment p, int flags) {
        FLAGS.set(p, 0L, flags);
    }

    static void setSqThreadIdle(MemorySegment p, int millis) {
        SQ_THREAD_IDLE.set(p, 0L, millis);
    }

    static int features(MemorySegment p) {
        return (int) FEATURES.get(p, 0L);
    }
}

package dev.ioengine.internal.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct io_cqring_offsets} (uapi/linux/io_uring.h), 40 bytes: where, in the mmap'd CQ ring, the kernel
 * put each field. Filled in by io_uring_setup inside {@link IoUringParams}.
 * <pre>
 *   0 head  4 tail  8 ring_mask  12 ring_entries  16 overflow  20 cqes  24 flags  28 resv1  32 resv2 (u64)
 * </pre>
 */
final class IoCqringOffsets {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"),
            JAVA_INT.withName("overflow"),
            JAVA_INT.withName("cqes"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("resv1"),
            JAVA_LONG.withName("resv2")).withName("io_cqring_offsets");

    private static final VarHandle HEAD = StructFields.varHandle(LAYOUT, "head");
    private static final VarHandle TAIL = StructFields.varHandle(LAYOUT, "tail");
    private static final VarHandle RING_MASK = StructFields.varHandle(LAYOUT, "ring_mask");
    private static final VarHandle RING_ENTRIES = StructFields.varHandle(LAYOUT, "ring_entries");
    private static final VarHandle OVERFLOW = StructFields.varHandle(LAYOUT, "overflow");
    private static final VarHandle CQES = StructFields.varHandle(LAYOUT, "cqes");

    private IoCqringOffsets() {
    }

    static int head(MemorySegment s, long base) {
        return (int) HEAD.get(s, base);
    }

    static int tail(MemorySegment s, long base) {
        return (int) TAIL.get(s, base);
    }

    static int ringMask(MemorySegment s, long base) {
        return (int) RING_MASK.get(s, base);
    }

    static int ringEntries(MemorySegment s, long base) {
        return (int) RING_ENTRIES.get(s, base);
    }

    static int overflow(MemorySegment s, long base) {
        return (int) OVERFLOW.get(s, base);
    }

    static int cqes(MemorySegment s, long base) {
        return (int) CQES.get(s, base);
    }
}

package dev.ioengine.internal.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct io_sqring_offsets} (uapi/linux/io_uring.h), 40 bytes: where, in the mmap'd SQ ring, the kernel
 * put each field. Filled in by io_uring_setup inside {@link IoUringParams}.
 * <pre>
 *   0 head  4 tail  8 ring_mask  12 ring_entries  16 flags  20 dropped  24 array  28 resv1  32 resv2 (u64)
 * </pre>
 */
final class IoSqringOffsets {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("dropped"),
            JAVA_INT.withName("array"),
            JAVA_INT.withName("resv1"),
            JAVA_LONG.withName("resv2")).withName("io_sqring_offsets");

    private static final VarHandle HEAD = StructFields.varHandle(LAYOUT, "head");
    private static final VarHandle TAIL = StructFields.varHandle(LAYOUT, "tail");
    private static final VarHandle RING_MASK = StructFields.varHandle(LAYOUT, "ring_mask");
    private static final VarHandle RING_ENTRIES = StructFields.varHandle(LAYOUT, "ring_entries");
    private static final VarHandle FLAGS = StructFields.varHandle(LAYOUT, "flags");
    private static final VarHandle DROPPED = StructFields.varHandle(LAYOUT, "dropped");
    private static final VarHandle ARRAY = StructFields.varHandle(LAYOUT, "array");

    private IoSqringOffsets() {
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

    static int flags(MemorySegment s, long base) {
        return (int) FLAGS.get(s, base);
    }

    static int dropped(MemorySegment s, long base) {
        return (int) DROPPED.get(s, base);
    }

    static int array(MemorySegment s, long base) {
        return (int) ARRAY.get(s, base);
    }
}

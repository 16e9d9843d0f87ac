package dev.ioengine.internal.aio;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct timespec} (uapi/linux/time_types.h {@code __kernel_timespec} on LP64), 16 bytes:
 * <pre>
 *   0 long tv_sec
 *   8 long tv_nsec
 * </pre>
 */
final class Timespec {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec")).withName("timespec");

    private static final VarHandle TV_SEC =
            LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("tv_sec")).withInvokeExactBehavior();
    private static final VarHandle TV_NSEC =
            LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("tv_nsec")).withInvokeExactBehavior();

    private Timespec() {
    }

    static void set(MemorySegment timespec, long nanos) {
        TV_SEC.set(timespec, 0L, nanos / 1_000_000_000L);
        TV_NSEC.set(timespec, 0L, nanos % 1_000_000_000L);
    }
}

package dev.ioengine.internal.aio;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct io_event} (uapi/linux/aio_abi.h), 32 bytes:
 * <pre>
 *    0 __u64 data   the iocb's aio_data: the engine's slot index
 *    8 __u64 obj    the user address of the iocb
 *   16 __s64 res    bytes transferred, or -errno
 *   24 __s64 res2   secondary result (unused by reads and writes)
 * </pre>
 */
final class IoEvent {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("data"),
            JAVA_LONG.withName("obj"),
            JAVA_LONG.withName("res"),
            JAVA_LONG.withName("res2")).withName("io_event");

    private static final VarHandle DATA = arrayElement("data");
    private static final VarHandle RES = arrayElement("res");

    private IoEvent() {
    }

    private static VarHandle arrayElement(String field) {
        return LAYOUT.arrayElementVarHandle(MemoryLayout.PathElement.groupElement(field)).withInvokeExactBehavior();
    }

    static long data(MemorySegment events, long index) {
        return (long) DATA.get(events, 0L, index);
    }

    static long res(MemorySegment events, long index) {
        return (long) RES.get(events, 0L, index);
    }
}

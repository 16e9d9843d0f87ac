package dev.ioengine.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct iovec} (uapi/linux/uio.h), 16 bytes on LP64. The base is kept as a raw 64-bit address: the
 * buffers may belong to arenas of other threads, whose liveness the engine checks at submit.
 * <pre>
 *   0 void  *iov_base
 *   8 size_t iov_len
 * </pre>
 */
public final class Iovec {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("iov_base"),
            JAVA_LONG.withName("iov_len")).withName("iovec");

    private static final VarHandle IOV_BASE = arrayElement("iov_base");
    private static final VarHandle IOV_LEN = arrayElement("iov_len");

    private Iovec() {
    }

    private static VarHandle arrayElement(String field) {
        return LAYOUT.arrayElementVarHandle(MemoryLayout.PathElement.groupElement(field)).withInvokeExactBehavior();
    }

    /** Fills element {@code index} of an iovec array with the address and size of {@code buffer}. */
    public static void set(MemorySegment array, long index, MemorySegment buffer) {
        IOV_BASE.set(array, 0L, index, buffer.address());
        IOV_LEN.set(array, 0L, index, buffer.byteSize());
    }

    /** Fills element {@code index} of an iovec array with {@code length} bytes at {@code address}. */
    public static void set(MemorySegment array, long index, long address, long length) {
        IOV_BASE.set(array, 0L, index, address);
        IOV_LEN.set(array, 0L, index, length);
    }

    public static long base(MemorySegment array, long index) {
        return (long) IOV_BASE.get(array, 0L, index);
    }

    public static long length(MemorySegment array, long index) {
        return (long) IOV_LEN.get(array, 0L, index);
    }
}

package dev.ioengine.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

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

    /** Offsets and stride from {@link #LAYOUT}: plain offsets, not layout-path VarHandles, which cost start-up time. */
    private static final long IOV_BASE = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("iov_base"));
    private static final long IOV_LEN = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("iov_len"));
    private static final long STRIDE = LAYOUT.byteSize();

    private Iovec() {
    }

    /** Fills element {@code index} of an iovec array with the address and size of {@code buffer}. */
    public static void set(MemorySegment array, long index, MemorySegment buffer) {
        array.set(JAVA_LONG, index * STRIDE + IOV_BASE, buffer.address());
        array.set(JAVA_LONG, index * STRIDE + IOV_LEN, buffer.byteSize());
    }

    /** Fills element {@code index} of an iovec array with {@code length} bytes at {@code address}. */
    public static void set(MemorySegment array, long index, long address, long length) {
        array.set(JAVA_LONG, index * STRIDE + IOV_BASE, address);
        array.set(JAVA_LONG, index * STRIDE + IOV_LEN, length);
    }

    public static long base(MemorySegment array, long index) {
        return array.get(JAVA_LONG, index * STRIDE + IOV_BASE);
    }

    public static long length(MemorySegment array, long index) {
        return array.get(JAVA_LONG, index * STRIDE + IOV_LEN);
    }
}

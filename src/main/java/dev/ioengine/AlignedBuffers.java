package dev.ioengine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Aligned native memory for O_DIRECT, and the checks O_DIRECT needs, with messages that say what is wrong
 * rather than the kernel's bare EINVAL.
 */
public final class AlignedBuffers {
    /** The logical block size O_DIRECT needs on most devices; 4096 is safe on all. */
    public static final int DEFAULT_DIRECT_ALIGNMENT = 4096;

    private AlignedBuffers() {
    }

    /**
     * {@code size} bytes of zeroed native memory from {@code arena}, starting at a multiple of {@code alignment}.
     *
     * @throws IllegalArgumentException if alignment is not a positive power of two, or size is negative
     */
    public static MemorySegment allocate(Arena arena, long size, long alignment) {
        checkAlignment(alignment);
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        return arena.allocate(size, alignment);
    }

    /**
     * A direct {@link ByteBuffer} of {@code capacity} bytes whose address is a multiple of {@code alignment},
     * freed by the garbage collector like any direct buffer.
     */
    public static ByteBuffer allocateDirect(int capacity, int alignment) {
        checkAlignment(alignment);
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        // alignedSlice rounds the end down as well as the start up, so ask for the capacity rounded up to the
        // alignment, plus room to move the start.
        int rounded = Math.multiplyExact(Math.ceilDiv(capacity, alignment), alignment);
        ByteBuffer raw = ByteBuffer.allocateDirect(Math.addExact(rounded, alignment - 1));
        return raw.alignedSlice(alignment).limit(capacity).slice();
    }

    /** True if {@code value} is a multiple of {@code alignment} (a power of two). */
    public static boolean isAligned(long value, long alignment) {
        checkAlignment(alignment);
        return (value & (alignment - 1)) == 0;
    }

    /**
     * Checks what O_DIRECT needs: the buffer's address, the file position and the length all multiples of
     * {@code alignment}.
     *
     * @throws IllegalArgumentException naming which of the three is misaligned, and the alignment required
     */
    public static void checkDirectIo(MemorySegment buffer, long position, long length, long alignment) {
        checkAlignment(alignment);
        if (!isAligned(buffer.address(), alignment)) {
            throw new IllegalArgumentException("O_DIRECT needs a buffer address aligned to " + alignment
                    + " bytes; this buffer starts at 0x" + Long.toHexString(buffer.address())
                    + " (allocate it with AlignedBuffers)");
        }
        if (!isAligned(position, alignment)) {
            throw new IllegalArgumentException(
                    "O_DIRECT needs a file position aligned to " + alignment + " bytes, not " + position);
        }
        if (!isAligned(length, alignment)) {
            throw new IllegalArgumentException(
                    "O_DIRECT needs a length that is a multiple of " + alignment + " bytes, not " + length);
        }
    }

    private static void checkAlignment(long alignment) {
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a positive power of two: " + alignment);
        }
    }
}

package dev.ioengine.cli;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The checksummed block format of {@code bench --verify}, and its check. Every block of {@code bs} bytes:
 *
 * <pre>
 *   0      4      8              16             24     28     32                                  bs
 *   +------+------+--------------+--------------+------+------+-------------------------------------+
 *   |magic | crc  |   offset     |  generation  |  bs  |  0   | payload: xorshift64 stream seeded    |
 *   |IOEV  |32c   |   (bytes)    |              |      |      | from offset and generation           |
 *   +------+------+--------------+--------------+------+------+-------------------------------------+
 * </pre>
 *
 * Little-endian. The CRC32C covers bytes 8 to bs: the header fields after it and the payload. The generation
 * counts the writes of that block (1 for the layout); a read must find exactly the generation of the last write
 * that completed, so a lost or stale write is caught as well as corruption and misplaced blocks.
 *
 * <p>Stateless and thread-safe: each call works on the segment it is given.
 */
final class BlockVerifier {
    /** The header's size: the smallest block {@code --verify} accepts. */
    static final int HEADER_BYTES = 32;
    /** "IOEV" read as a little-endian int. */
    static final int MAGIC = 0x56454F49;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long MAGIC_AT = 0;
    private static final long CRC_AT = 4;
    private static final long OFFSET_AT = 8;
    private static final long GENERATION_AT = 16;
    private static final long SIZE_AT = 24;
    private static final long RESERVED_AT = 28;

    private BlockVerifier() {
    }

    /** Fills {@code block} (all of it) as the block at {@code offset}, written for the {@code generation}th time. */
    static void format(MemorySegment block, long offset, long generation) {
        block.set(INT, MAGIC_AT, MAGIC);
        block.set(LONG, OFFSET_AT, offset);
        block.set(LONG, GENERATION_AT, generation);
        block.set(INT, SIZE_AT, (int) block.byteSize());
        block.set(INT, RESERVED_AT, 0);
        fillPayload(block, offset, generation);
        block.set(INT, CRC_AT, crc(block));
    }

    /**
     * Checks a block read back from {@code offset}, expected at {@code generation}.
     *
     * @return null if it is right, else what is wrong, in one line
     */
    static String check(MemorySegment block, long offset, long generation) {
        int magic = block.get(INT, MAGIC_AT);
        if (magic != MAGIC) {
            return String.format("bad magic 0x%08x (expected 0x%08x): not a verify block, or overwritten", magic,
                    MAGIC);
        }
        int stored = block.get(INT, CRC_AT);
        int computed = crc(block);
        if (stored != computed) {
            return String.format("crc32c mismatch: stored 0x%08x, computed 0x%08x", stored, computed);
        }
        long storedOffset = block.get(LONG, OFFSET_AT);
        if (storedOffset != offset) {
            return "block belongs at offset " + storedOffset + " (misplaced write or read)";
        }
        int storedSize = block.get(INT, SIZE_AT);
        if (storedSize != block.byteSize()) {
            return "block was written with bs=" + storedSize + ", read with bs=" + block.byteSize();
        }
        long storedGeneration = block.get(LONG, GENERATION_AT);
        if (storedGeneration != generation) {
            return "generation " + storedGeneration + ", expected " + generation
                    + (storedGeneration < generation ? " (a completed write was lost)" : " (unexpected write)");
        }
        return null;
    }

    /** The CRC32C of bytes 8 to the end of the block. */
    private static int crc(MemorySegment block) {
        CRC32C crc = new CRC32C();
        crc.update(block.asSlice(OFFSET_AT).asByteBuffer());
        return (int) crc.getValue();
    }

    private static void fillPayload(MemorySegment block, long offset, long generation) {
        long state = offset * 0x9E3779B97F4A7C15L ^ generation * 0xC2B2AE3D27D4EB4FL ^ 0x5DEECE66DL;
        if (state == 0) {
            state = 1;
        }
        long at = HEADER_BYTES;
        long end = block.byteSize();
        for (; at + Long.BYTES <= end; at += Long.BYTES) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            block.set(LONG, at, state);
        }
        for (; at < end; at++) {
            block.set(ValueLayout.JAVA_BYTE, at, (byte) (state >>> (8 * (at & 7))));
        }
    }
}

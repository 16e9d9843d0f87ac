package dev.ioengine.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** Guard bytes around the buffer a read was given: filled with a pattern before, checked untouched after. */
final class Guard {
    static final byte PATTERN = (byte) 0xA5;

    private Guard() {}

    /** Bytes of {@code whole} outside [sliceOffset, sliceOffset + sliceLength) and past what was read are the pattern. */
    static void assertUntouched(MemorySegment whole, long sliceOffset, long bytesRead, long sliceLength) {
        for (long i = 0; i < whole.byteSize(); i++) {
            boolean written = i >= sliceOffset && i < sliceOffset + bytesRead;
            if (!written) {
                assertThat(whole.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i))
                        .as("byte %d (slice at %d, %d long, %d read)", i, sliceOffset, sliceLength, bytesRead)
                        .isEqualTo(PATTERN);
            }
        }
    }

    /** Bytes of {@code whole} outside every one of {@code slices} are the pattern. */
    static void assertOutsideUntouched(MemorySegment whole, List<MemorySegment> slices) {
        long base = whole.address();
        for (long i = 0; i < whole.byteSize(); i++) {
            long address = base + i;
            boolean inside = slices.stream()
                    .anyMatch(s -> address >= s.address() && address < s.address() + s.byteSize());
            if (!inside) {
                assertThat(whole.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i)).as("byte %d", i).isEqualTo(PATTERN);
            }
        }
    }

    /** Bytes of {@code backing} outside [from, to) are the pattern. */
    static void assertOutsideUntouched(ByteBuffer backing, int from, int to) {
        for (int i = 0; i < backing.capacity(); i++) {
            if (i < from || i >= to) {
                assertThat(backing.get(i)).as("byte %d outside [%d, %d)", i, from, to).isEqualTo(PATTERN);
            }
        }
    }

    static void fill(ByteBuffer backing) {
        for (int i = 0; i < backing.capacity(); i++) {
            backing.put(i, PATTERN);
        }
    }

    static int openFd(Path path, int flags) {
        int fd = LibC.open(path.toString(), flags, 0);
        assertThat(fd).as("open %s", path).isNotNegative();
        return fd;
    }
}

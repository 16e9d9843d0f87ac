package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AlignedBuffersTest {
    @Test
    void segmentsAndBuffersStartOnTheAlignmentAskedFor() {
        try (Arena arena = Arena.ofConfined()) {
            for (long alignment : new long[] {1, 512, 4096, 1 << 16, 1 << 21}) {
                MemorySegment s = AlignedBuffers.allocate(arena, 100, alignment);
                assertThat(s.address() % alignment).isZero();
                assertThat(s.byteSize()).isEqualTo(100);
            }
        }
        ByteBuffer b = AlignedBuffers.allocateDirect(8192, 4096);
        assertThat(b.isDirect()).isTrue();
        assertThat(b.capacity()).isEqualTo(8192);
        assertThat(MemorySegment.ofBuffer(b).address() % 4096).isZero();
    }

    @Test
    void directBuffersHaveTheCapacityAskedForWhateverItsRemainderByTheAlignment() {
        for (int capacity : new int[] {0, 1, 4095, 4096, 4097, 1_368_127}) {
            ByteBuffer b = AlignedBuffers.allocateDirect(capacity, 4096);
            assertThat(b.capacity()).as("capacity for " + capacity).isEqualTo(capacity);
            assertThat(MemorySegment.ofBuffer(b).address() % 4096).isZero();
        }
    }

    @Test
    void alignmentMustBeAPowerOfTwo() {
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> AlignedBuffers.allocate(arena, 8, 3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("power of two");
            assertThatThrownBy(() -> AlignedBuffers.allocate(arena, -1, 8)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> AlignedBuffers.allocateDirect(8, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void directIoChecksNameWhatIsMisaligned() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment aligned = AlignedBuffers.allocate(arena, 8192, 4096);
            AlignedBuffers.checkDirectIo(aligned, 4096, 4096, 4096);
            assertThatThrownBy(() -> AlignedBuffers.checkDirectIo(aligned.asSlice(512), 0, 4096, 4096))
                    .hasMessageContaining("buffer address aligned to 4096");
            assertThatThrownBy(() -> AlignedBuffers.checkDirectIo(aligned, 100, 4096, 4096))
                    .hasMessageContaining("file position aligned to 4096 bytes, not 100");
            assertThatThrownBy(() -> AlignedBuffers.checkDirectIo(aligned, 0, 1000, 512))
                    .hasMessageContaining("multiple of 512 bytes, not 1000");
        }
    }
}

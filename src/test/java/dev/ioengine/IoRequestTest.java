package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a request accepts and refuses before it ever reaches an engine. */
class IoRequestTest {
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void heapMemoryIsRefusedBecauseTheCollectorMayMoveIt() {
        assertThatThrownBy(() -> RawRequests.read(3, 0, MemorySegment.ofArray(new byte[8])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native memory");
        assertThatThrownBy(() -> RawRequests.write(3, 0, ByteBuffer.allocate(8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direct ByteBuffer");
        assertThatThrownBy(() -> RawRequests.readv(3, 0, arena.allocate(4), MemorySegment.ofArray(new int[2])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badPositionsLengthsAndDescriptorsAreRefused() {
        MemorySegment b = arena.allocate(16);
        assertThatThrownBy(() -> RawRequests.read(3, -1, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> RawRequests.read(-1, 0, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("descriptor");
        assertThatThrownBy(() -> RawRequests.write(3, Long.MAX_VALUE - 4, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overflows");
        assertThatThrownBy(() -> RawRequests.fallocate(3, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawRequests.fallocate(3, 0, Long.MAX_VALUE, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawRequests.read(3, 0, (MemorySegment) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RawRequests.readv(3, 0, b, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RawRequests.readv(3, 0, new MemorySegment[IoRequest.MAX_IOVECS + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IOV_MAX");
        assertThatThrownBy(() -> RawRequests.read(3, 0, ByteBuffer.allocateDirect(4).asReadOnlyBuffer()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
    }

    @Test
    void aDirectByteBufferMapsToItsRemainingBytes() {
        ByteBuffer b = ByteBuffer.allocateDirect(100).position(10).limit(30);
        IoRequest r = RawRequests.write(3, 7, b);
        assertThat(r.length()).isEqualTo(20);
        assertThat(r.position()).isEqualTo(7);
        assertThat(r.op()).isEqualTo(IoOp.WRITE);
    }

    @Test
    void onlyACompletedTransferCanBeContinued() {
        IoRequest r = RawRequests.read(3, 0, arena.allocate(8));
        assertThatThrownBy(r::prepareRemainder).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(RawRequests.fsync(3)::prepareRemainder).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNewRequestDescribesItselfAndIsNotDone() {
        IoRequest r = RawRequests.writev(5, 4096, arena.allocate(8), arena.allocate(8));
        assertThat(r.isDone()).isFalse();
        assertThat(r.isSuccess()).isFalse();
        assertThat(r.exception()).isNull();
        assertThat(r.length()).isEqualTo(16);
        assertThat(r.toString()).contains("WRITEV", "fd=5", "position=4096", "iovecs=2", "idle");
    }
}

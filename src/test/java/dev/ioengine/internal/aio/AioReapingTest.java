package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Completions reaped from the user-space ring and through io_getevents alone. */
@Timeout(120)
class AioReapingTest {
    private static final int BLOCK = AlignedBuffers.DEFAULT_DIRECT_ALIGNMENT;

    @TempDir
    Path dir;

    @Test
    void ringHeaderMatchesFsAio() {
        // struct aio_ring in fs/aio.c: eight unsigned ints, then the io_events.
        assertThat(AioRing.HEADER.byteSize()).isEqualTo(32);
        assertThat(AioRing.HEADER.byteOffset(PathElement.groupElement("head"))).isEqualTo(8);
        assertThat(AioRing.HEADER.byteOffset(PathElement.groupElement("tail"))).isEqualTo(12);
        assertThat(AioRing.HEADER.byteOffset(PathElement.groupElement("magic"))).isEqualTo(16);
        assertThat(AioRing.HEADER.byteOffset(PathElement.groupElement("header_length"))).isEqualTo(28);
        assertThat(AioRing.AIO_RING_MAGIC).isEqualTo(0xa10a10a1);
    }

    @ParameterizedTest(name = "user-space reaping {0}")
    @ValueSource(booleans = {true, false})
    void everyCompletionArrivesEitherWay(boolean userSpaceReaping) throws Exception {
        String name = AioTestSupport.uniqueName();
        int fd = AioTestSupport.openFile(dir.resolve("f"), true);
        IoEngineConfig config = IoEngineConfig.builder().engine(EngineKind.AIO).name(name).queueDepth(64)
                .maxInFlight(4096).build();
        try (Arena arena = Arena.ofShared(); AioEngine engine = AioEngine.open(config, userSpaceReaping)) {
            // This kernel's ring is the one the code knows, so the option is honoured.
            assertThat(engine.reapsFromRing()).isEqualTo(userSpaceReaping);
            List<IoRequest> writes = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                MemorySegment b = AlignedBuffers.allocate(arena, BLOCK, BLOCK);
                b.fill((byte) (i * 7));
                IoRequest w = RawRequests.write(fd, (long) i * BLOCK, b);
                engine.submit(w);
                writes.add(w);
            }
            AioTestSupport.awaitAll(writes);
            assertThat(writes).allMatch(w -> w.isSuccess() && w.result() == BLOCK);
            List<IoRequest> reads = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                IoRequest r = RawRequests.read(fd, (long) i * BLOCK, AlignedBuffers.allocate(arena, BLOCK, BLOCK));
                engine.submit(r);
                reads.add(r);
            }
            AioTestSupport.awaitAll(reads);
            for (int i = 0; i < reads.size(); i++) {
                IoRequest r = reads.get(i);
                assertThat(r.result()).isEqualTo(BLOCK);
                assertThat(r.segment().get(ValueLayout.JAVA_BYTE, BLOCK - 1)).isEqualTo((byte) (i * 7));
            }
            assertThat(engine.stats().completed()).isEqualTo(6000);
        } finally {
            AioTestSupport.close(fd);
        }
        assertThat(AioTestSupport.threadsOf(name)).isEmpty();
    }
}

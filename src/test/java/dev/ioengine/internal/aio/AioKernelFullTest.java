package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * More slots than the AIO context has room for: io_submit takes part of a batch, then says EAGAIN until the
 * reaper has consumed completions. Every request must still complete, with the right bytes in the file.
 */
@Timeout(120)
class AioKernelFullTest {
    private static final int BLOCK = AlignedBuffers.DEFAULT_DIRECT_ALIGNMENT;
    private static final int REQUESTS = 3000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "O_DIRECT {0}")
    @ValueSource(booleans = {false, true})
    void aFullKernelMeansWaitAndResubmitNotFail(boolean direct) throws Exception {
        String name = AioTestSupport.uniqueName();
        int fd = AioTestSupport.openFile(dir.resolve("f"), direct);
        IoEngineConfig config = IoEngineConfig.builder().engine(EngineKind.AIO).name(name).queueDepth(1024)
                .maxInFlight(4096).build();
        long fullWaits;
        try (Arena arena = Arena.ofShared()) {
            List<IoRequest> writes = new ArrayList<>();
            // io_setup(1): the kernel rounds the ring up to one page, about 126 requests, far below 1024 slots.
            try (AioEngine engine = AioEngine.openWithContextEvents(config, 1)) {
                for (int i = 0; i < REQUESTS; i++) {
                    MemorySegment b = AlignedBuffers.allocate(arena, BLOCK, BLOCK);
                    b.fill((byte) i);
                    IoRequest w = RawRequests.write(fd, (long) i * BLOCK, b);
                    engine.submit(w);
                    writes.add(w);
                }
                AioTestSupport.awaitAll(writes);
                fullWaits = engine.kernelFullWaits();
                assertThat(writes).allMatch(IoRequest::isSuccess);
                MemorySegment back = AlignedBuffers.allocate(arena, (long) REQUESTS * BLOCK, BLOCK);
                assertThat(engine.execute(RawRequests.read(fd, 0, back))).isEqualTo((long) REQUESTS * BLOCK);
                for (int i = 0; i < REQUESTS; i++) {
                    assertThat(back.get(ValueLayout.JAVA_BYTE, (long) i * BLOCK + BLOCK - 1)).isEqualTo((byte) i);
                }
            }
        } finally {
            AioTestSupport.close(fd);
        }
        System.getLogger("dev.ioengine.test").log(System.Logger.Level.INFO,
                "AIO kernel-full test (O_DIRECT " + direct + "): " + fullWaits + " EAGAIN waits");
        assertThat(AioTestSupport.threadsOf(name)).isEmpty();
    }
}

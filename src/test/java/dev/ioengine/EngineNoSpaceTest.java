package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A file system that really fills up: the error reaches exactly the write that hit it, the file holds every
 * byte that was reported written, and the engine goes on serving.
 */
class EngineNoSpaceTest {
    @TempDir
    Path dir;

    static java.util.stream.Stream<EngineKind> engines() {
        return Engines.all();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void enospcReachesTheWriteThatHitItAndNothingReportedWrittenIsLost(EngineKind kind) throws Exception {
        Engines.assumeAvailable(kind);
        try (SmallFileSystem fs = SmallFileSystem.mount(dir, 1 << 20);
                Arena arena = Arena.ofConfined();
                IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).queueDepth(8).build())) {
            Path file = fs.root().resolve("fill");
            int fd = LibC.open(file.toString(), LibC.O_RDWR | LibC.O_CREAT, 0644);
            assertThat(fd).isGreaterThanOrEqualTo(0);
            try {
                MemorySegment chunk = arena.allocate(48 * 1024);
                Random random = new Random(42);
                ByteArrayOutputStream reportedWritten = new ByteArrayOutputStream();
                long position = 0;
                IoRequest failed = null;
                for (int i = 0; i < 100 && failed == null; i++) {
                    byte[] data = new byte[(int) chunk.byteSize()];
                    random.nextBytes(data);
                    MemorySegment.copy(data, 0, chunk, ValueLayout.JAVA_BYTE, 0, data.length);
                    IoRequest w = RawRequests.write(fd, position, chunk);
                    engine.submit(w);
                    w.await();
                    if (!w.isSuccess()) {
                        failed = w;
                    } else {
                        reportedWritten.write(data, 0, (int) w.result());
                        position += w.result();
                    }
                }
                assertThat(failed).as("a 1 MiB file system must fill up").isNotNull();
                assertThat(failed.errno()).as(failed.toString()).isEqualTo(Errno.ENOSPC);
                assertThat(failed.exception()).hasMessageContaining("ENOSPC");
                assertThat(Files.readAllBytes(file)).as("every byte reported written is in the file")
                        .isEqualTo(reportedWritten.toByteArray());

                // The engine and the file stay usable: free space by truncating, then write again.
                assertThat(LibC.ftruncate(fd, 0)).isZero();
                assertThat(engine.execute(RawRequests.write(fd, 0, chunk))).isEqualTo(chunk.byteSize());
                assertThat(engine.execute(RawRequests.fsync(fd))).isZero();
            } finally {
                LibC.close(fd);
            }
        }
    }
}

package dev.ioengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.channels.Preallocation;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bugs the fsx exerciser found, each kept as the smallest case that showed it (the shrunk sequence), so they stay
 * fixed. Both were fixed in the session that found them.
 */
class FsxRegressionTest {
    @AfterAll
    static void closeEngines() throws InterruptedException {
        FsxEngines.closeAll();
    }

    @TempDir
    Path dir;

    static Stream<EngineKind> kinds() {
        return FsxEngines.kinds();
    }

    /**
     * Shrunk from seed 3398662257129 (io_uring, buffered): a single {@code write} of 1368127 bytes from a heap
     * buffer. Heap transfers go through a bounce buffer; above 1 MiB it comes from
     * {@code AlignedBuffers.allocateDirect(capacity, 4096)}, which allocates {@code capacity + 4095} bytes and takes
     * {@code alignedSlice(4096)} of them: alignedSlice rounds the end down as well as the start up, so unless the
     * allocation happens to be aligned, a capacity that is not a multiple of 4096 comes out up to 4095 bytes short,
     * and {@code limit(capacity)} throws IllegalArgumentException ("newLimit > capacity: (1368127 > 1368064)").
     * The JDK writes the bytes.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void heapWriteOverOneMebibyteOfUnalignedLength(EngineKind kind) throws Exception {
        FileSystem engine = FsxEngines.fileSystem(kind);
        Path file = dir.resolve("f");
        byte[] data = FsxSide.data(6639430953314335626L, 1368127);
        for (int attempt = 0; attempt < 8; attempt++) {
            try (FileChannel ch = FileChannel.open(engine.getPath(file.toString()), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer src = ByteBuffer.allocate(9 + data.length).put(9, data).position(9);
                assertThat(ch.write(src)).isEqualTo(data.length);
                ByteBuffer back = ByteBuffer.allocate(data.length + 14);
                back.position(14);
                assertThat(ch.read(back, 0)).isEqualTo(data.length);
                assertThat(back.array()).containsSubsequence(data);
            }
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    /**
     * Shrunk from seed 3354718267601 (the harness's JDK-against-JDK check, buffered): one
     * {@code Preallocation.preallocate(ch, 520445, 37079)} on an empty file, {@code ch} the JDK's FileChannel opened
     * with WRITE, APPEND. The fallback for JDK channels writes one zero byte at {@code position + length - 1}; on an
     * append channel that positional write lands at the end of the file (pwrite ignores the offset under O_APPEND on
     * Linux, as FileChannel's javadoc allows), so the file is 1 byte long instead of 557524. io-engine's own channels
     * use fallocate and are right.
     */
    @Test
    void preallocateOnTheJdksAppendChannel() throws Exception {
        Path file = Files.createFile(dir.resolve("append"));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            Preallocation.preallocate(ch, 520445, 37079);
            assertThat(ch.size()).isEqualTo(557524);
        }
    }
}

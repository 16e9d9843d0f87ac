package dev.ioengine.internal.aio;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.IoEngine;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9, item 6: files whose kind Linux AIO refuses (procfs and sysfs files: {@code io_submit} or the completion
 * says EINVAL) still read and write through the AIO engine, with plain positional IO, giving what the JDK's
 * {@code pread} / {@code pwrite} give.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AioRefusedFilesTest {
    private IoEngine engine;
    private final List<IoFile> files = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        engine = AioTestSupport.open(AioTestSupport.uniqueName(), 8, 0);
    }

    @AfterEach
    void closeAll() {
        engine.close();
        files.forEach(IoFile::close);
    }

    private IoFile openFile(String path, StandardOpenOption option) throws IOException {
        IoFile file = IoFile.open(Path.of(path), option);
        files.add(file);
        return file;
    }

    /** The file's first {@code length} bytes read through the engine, then as a string. */
    private String readThroughEngine(String path, int length) throws Exception {
        IoFile fd = openFile(path, StandardOpenOption.READ);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(length);
            long n = engine.execute(IoRequest.read(fd, 0, buffer));
            return new String(buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), US_ASCII);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sys/devices/system/cpu/online", "/sys/kernel/mm/transparent_hugepage/enabled",
            "/proc/sys/kernel/ostype", "/proc/self/oom_score_adj"})
    void aStableSpecialFileReadsAsTheJdkReadsIt(String path) throws Exception {
        assertThat(readThroughEngine(path, 4096)).isEqualTo(Files.readString(Path.of(path), US_ASCII));
    }

    @Test
    void procSelfStatAndStatusRead() throws Exception {
        long pid = ProcessHandle.current().pid();
        assertThat(readThroughEngine("/proc/self/stat", 4096)).startsWith(pid + " (java) ");
        assertThat(readThroughEngine("/proc/self/status", 8192)).startsWith("Name:\tjava\n").contains("\nPid:\t" + pid
                + "\n").endsWith("\n");
    }

    @Test
    void aVectoredReadOfAProcFileFillsEachBuffer() throws Exception {
        IoFile fd = openFile("/proc/sys/kernel/ostype", StandardOpenOption.READ);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment first = arena.allocate(3);
            MemorySegment second = arena.allocate(64);
            long n = engine.execute(IoRequest.readv(fd, 0, first, second));
            assertThat(n).isEqualTo("Linux\n".length());
            assertThat(new String(first.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), US_ASCII)).isEqualTo("Lin");
            assertThat(new String(second.asSlice(0, 3).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), US_ASCII))
                    .isEqualTo("ux\n");
        }
    }

    @Test
    void aWriteToAProcFileLandsAndAnFsyncAfterItWaitsForIt() throws Exception {
        String current = Files.readString(Path.of("/proc/self/oom_score_adj"), US_ASCII).strip();
        IoFile fd = openFile("/proc/self/oom_score_adj", StandardOpenOption.WRITE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocateFrom(current + "\n", US_ASCII);
            IoRequest write = IoRequest.write(fd, 0, value.asSlice(0, value.byteSize() - 1));
            IoRequest fsync = IoRequest.fsync(fd);
            engine.submit(write);
            engine.submit(fsync);
            write.await();
            fsync.await();
            assertThat(write.isSuccess()).as("write: %s", write.exception()).isTrue();
            assertThat(write.result()).isEqualTo(current.length() + 1);
        }
        assertThat(Files.readString(Path.of("/proc/self/oom_score_adj"), US_ASCII).strip()).isEqualTo(current);
    }
}

package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, item 3: closing any descriptor of a file drops every POSIX lock the process holds on it, so nothing
 * io-engine does inside a channel may close a descriptor of the file while the channel lives. After lock then
 * map (and the other operations), another process must still find the lock held.
 */
class LockSurvivesInternalOpensTest extends EngineTestSupport {
    @TempDir
    Path dir;

    /** What another process gets when it tries an exclusive lock of the whole file: "locked" or "refused". */
    private static String tryLockInAnotherProcess(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", "import fcntl,sys\n"
                    + "f=open(sys.argv[1],'r+')\n"
                    + "try:\n    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n    print('locked')\n"
                    + "except OSError:\n    print('refused')\n", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is needed to try a lock from another process: " + e);
            throw e;
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aFileChannelsLockSurvivesMapAndEveryOtherOperation(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.write(dir.resolve("f"), new byte[8192]);
        try (FileChannel ch = EngineChannels.newFileChannel(engine, file, Set.of(READ, WRITE))) {
            FileLock lock = ch.lock();
            assertThat(tryLockInAnotherProcess(file)).isEqualTo("refused");
            MappedByteBuffer readOnly = ch.map(MapMode.READ_ONLY, 0, 4096);
            MappedByteBuffer readWrite = ch.map(MapMode.READ_WRITE, 0, 4096);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment segment = ch.map(MapMode.READ_ONLY, 0, 4096, arena);
                assertThat(segment.byteSize()).isEqualTo(4096);
            }
            assertThat(readOnly.get(0)).isZero();
            readWrite.put(0, (byte) 1);
            ch.size();
            ch.truncate(8192);
            ch.force(true);
            ch.write(ByteBuffer.wrap(new byte[] {2}), 1);
            ch.read(ByteBuffer.allocate(4), 0);
            try (FileChannel copy = FileChannel.open(dir.resolve("copy"), Set.of(WRITE,
                    java.nio.file.StandardOpenOption.CREATE))) {
                ch.transferTo(0, 16, copy);
            }
            assertThat(lock.isValid()).isTrue();
            assertThat(tryLockInAnotherProcess(file)).as("the lock after map and the rest").isEqualTo("refused");
            lock.release();
            assertThat(tryLockInAnotherProcess(file)).isEqualTo("locked");
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void anAsynchronousChannelsLockSurvivesEveryOperationUntilClose(EngineKind kind)
            throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.write(dir.resolve("f"), new byte[8192]);
        try (AsynchronousFileChannel async = EngineChannels.newAsynchronousFileChannel(engine, file,
                Set.of(READ, WRITE), null)) {
            FileLock lock = async.lock().get(30, TimeUnit.SECONDS);
            async.size();
            async.truncate(8192);
            async.force(false);
            async.write(ByteBuffer.wrap(new byte[] {1}), 0).get(30, TimeUnit.SECONDS);
            assertThat(tryLockInAnotherProcess(file)).isEqualTo("refused");
            assertThat(lock.isValid()).isTrue();
        }
        assertThat(tryLockInAnotherProcess(file)).as("close releases the lock").isEqualTo("locked");
    }
}

package dev.ioengine.fs;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread that did file IO through io-engine's channels leaves nothing in the JDK's "direct" buffer pool once it
 * has ended, as the JDK's own channels free their thread's temporary buffers at thread exit (OpenJDK's
 * TempDirectBuffersReclamation): the errno capture segment, the bounce buffer and the iovecs a platform thread keeps
 * for its own system calls are freed with the thread, not left counted until a garbage collection.
 */
class ThreadNativeMemoryTest {
    @TempDir
    Path dir;

    @Test
    void aThreadsTemporaryNativeMemoryIsNotLeftInTheDirectPool() throws Exception {
        Engines.assumeAvailable(EngineKind.THREADS);
        IoEngineFileSystemProvider provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
        Path file = provider.getFileSystem(URI.create("file:///")).getPath(dir.resolve("temp").toString());
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        long count = direct.getCount();
        long used = direct.getMemoryUsed();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread io = Thread.ofPlatform().start(() -> {
            try (FileChannel ch = FileChannel.open(file, CREATE, READ, WRITE)) {
                ch.write(ByteBuffer.wrap("HELLO".getBytes()));
                ch.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[100]), ByteBuffer.wrap(new byte[70_000])}, 0, 2);
                ch.read(ByteBuffer.allocate(4096), 0);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        io.join();
        assertThat(failure.get()).isNull();
        assertThat(direct.getCount()).as("direct buffers").isEqualTo(count);
        assertThat(direct.getMemoryUsed()).as("direct memory").isEqualTo(used);
        ProviderEngines.close(provider);
    }
}

package dev.ioengine.reliability;

import dev.ioengine.EngineKind;
import dev.ioengine.channels.Preallocation;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import dev.ioengine.fs.ProvidersByEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@link IoEngineFileSystemProvider} per engine kind ({@link ProvidersByEngine}), until {@link #closeAll()}
 * (after each test class that uses them), each warmed up so that every lazily started engine thread (fsync and
 * fallocate side workers, the asynchronous channel's machinery) runs before the leak baselines are taken.
 */
final class FsxEngines {
    private static final ProvidersByEngine PROVIDERS = new ProvidersByEngine(FsxEngines::warmUp);

    private FsxEngines() {
    }

    static Stream<EngineKind> kinds() {
        return Stream.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS);
    }

    /** The file system of the provider running on {@code kind}; skips the test if this machine lacks it. */
    static FileSystem fileSystem(EngineKind kind) throws IOException {
        return PROVIDERS.fileSystem(kind);
    }

    /**
     * Requests the engine of {@code kind}'s provider has been given so far: proof that the channels under test
     * really went through it (and that it is the kind asked for).
     */
    static String state(EngineKind kind) {
        return PROVIDERS.provider(kind).map(p -> String.valueOf(p.engineStats().orElse(null))).orElse("not open");
    }

    static long submitted(EngineKind kind) {
        return PROVIDERS.provider(kind).map(p -> p.engineStats().orElseThrow().submitted()).orElse(0L);
    }

    /** Closes the providers' engines (the provider never does), so that they do not outlive the test class. */
    static void closeAll() throws InterruptedException {
        PROVIDERS.closeAll();
    }

    private static void warmUp(FileSystem fileSystem) throws IOException {
        Path real = Files.createTempFile("fsx-warm-up", ".bin");
        Path file = fileSystem.getPath(real.toString());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[8192]), 0);
                ch.read(ByteBuffer.allocate(4096), 0);
                ch.force(true);
                ch.force(false);
                Preallocation.preallocate(ch, 0, 16384);
            }
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file,
                    Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE), executor)) {
                ch.write(ByteBuffer.allocate(4096), 0).get(30, TimeUnit.SECONDS);
                ch.read(ByteBuffer.allocate(4096), 0).get(30, TimeUnit.SECONDS);
                ch.force(true);
            }
        } catch (Exception e) {
            throw new IOException("warm-up failed", e);
        } finally {
            executor.shutdownNow();
            Files.deleteIfExists(real);
        }
    }
}

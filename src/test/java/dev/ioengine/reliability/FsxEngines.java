package dev.ioengine.reliability;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.channels.Preallocation;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import dev.ioengine.fs.ProviderEngines;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One {@link IoEngineFileSystemProvider} per engine kind, until {@link #closeAll()} (after each test class that
 * uses them). A provider opens its engine once, on its first channel open, from the {@code ioengine.*} system
 * properties, and never closes it itself: so
 * {@code ioengine.engine} is set just around that first open (a warm-up that also starts every lazily started
 * engine thread: fsync and fallocate side workers, the asynchronous channel's machinery), then put back. Leak
 * baselines are taken after {@link #fileSystem} returns.
 */
final class FsxEngines {
    private static final Map<EngineKind, FileSystem> FILE_SYSTEMS = new EnumMap<>(EngineKind.class);
    private static final Map<EngineKind, IoEngineFileSystemProvider> PROVIDERS = new EnumMap<>(EngineKind.class);

    private FsxEngines() {
    }

    static Stream<EngineKind> kinds() {
        return Stream.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS);
    }

    /** The file system of the provider running on {@code kind}; skips the test if this machine lacks it. */
    static synchronized FileSystem fileSystem(EngineKind kind) throws IOException {
        EngineAvailability availability = EngineAvailability.probe(kind);
        Assumptions.assumeTrue(availability.available(),
                () -> kind + " is not available here: " + availability.reason());
        FileSystem existing = FILE_SYSTEMS.get(kind);
        if (existing != null) {
            return existing;
        }
        IoEngineFileSystemProvider provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
        FileSystem fileSystem = provider.getFileSystem(URI.create("file:///"));
        String previous = System.getProperty("ioengine.engine");
        System.setProperty("ioengine.engine", kind.id());
        try {
            warmUp(fileSystem);
        } finally {
            if (previous == null) {
                System.clearProperty("ioengine.engine");
            } else {
                System.setProperty("ioengine.engine", previous);
            }
        }
        if (provider.engineStats().isEmpty()) {
            throw new IllegalStateException("the provider opened no engine for " + kind);
        }
        FILE_SYSTEMS.put(kind, fileSystem);
        PROVIDERS.put(kind, provider);
        return fileSystem;
    }

    /**
     * Requests the engine of {@code kind}'s provider has been given so far: proof that the channels under test
     * really went through it (and that it is the kind asked for).
     */
    static synchronized String state(EngineKind kind) {
        IoEngineFileSystemProvider provider = PROVIDERS.get(kind);
        return provider == null ? "not open" : String.valueOf(provider.engineStats().orElse(null));
    }

    static synchronized long submitted(EngineKind kind) {
        IoEngineFileSystemProvider provider = PROVIDERS.get(kind);
        return provider == null ? 0 : provider.engineStats().orElseThrow().submitted();
    }

    /** Closes the providers' engines (the provider never does), so that they do not outlive the test class. */
    static synchronized void closeAll() throws InterruptedException {
        for (IoEngineFileSystemProvider provider : PROVIDERS.values()) {
            ProviderEngines.close(provider);
        }
        PROVIDERS.clear();
        FILE_SYSTEMS.clear();
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

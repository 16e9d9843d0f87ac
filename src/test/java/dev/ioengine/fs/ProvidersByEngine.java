package dev.ioengine.fs;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Test support: one drop-in {@link IoEngineFileSystemProvider} per engine kind, made on first use and kept until
 * {@link #closeAll()} (after each test class that uses them). A provider opens its engine once, on its first channel
 * open, from the {@code ioengine.*} system properties, and never closes it itself: so {@code ioengine.engine} is set
 * just around a warm-up that opens that first channel, then put back. Leak baselines are taken after
 * {@link #fileSystem} returns.
 */
public final class ProvidersByEngine {
    /** Opens channels on a new provider's file system: at least one that opens the engine. */
    @FunctionalInterface
    public interface WarmUp {
        void run(FileSystem fileSystem) throws IOException;
    }

    private final WarmUp warmUp;
    private final Map<EngineKind, IoEngineFileSystemProvider> providers = new EnumMap<>(EngineKind.class);

    public ProvidersByEngine(WarmUp warmUp) {
        this.warmUp = warmUp;
    }

    /** The file system (scheme file) of the provider on {@code kind}; skips the test if this machine lacks it. */
    public synchronized FileSystem fileSystem(EngineKind kind) throws IOException {
        IoEngineFileSystemProvider provider = providers.get(kind);
        if (provider == null) {
            EngineAvailability availability = EngineAvailability.probe(kind);
            Assumptions.assumeTrue(availability.available(),
                    () -> kind + " is not available here: " + availability.reason());
            provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
            String previous = System.getProperty("ioengine.engine");
            System.setProperty("ioengine.engine", kind.id());
            try {
                warmUp.run(fileSystemOf(provider));
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
            providers.put(kind, provider);
        }
        return fileSystemOf(provider);
    }

    /** The provider running on {@code kind}, if {@link #fileSystem} made it. */
    public synchronized Optional<IoEngineFileSystemProvider> provider(EngineKind kind) {
        return Optional.ofNullable(providers.get(kind));
    }

    /** Closes the providers' engines (a provider never does), so that they do not outlive the test class. */
    public synchronized void closeAll() throws InterruptedException {
        for (IoEngineFileSystemProvider provider : providers.values()) {
            ProviderEngines.close(provider);
        }
        providers.clear();
    }

    private static FileSystem fileSystemOf(IoEngineFileSystemProvider provider) {
        return provider.getFileSystem(URI.create("file:///"));
    }
}

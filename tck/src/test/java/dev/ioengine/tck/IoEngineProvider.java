package dev.ioengine.tck;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import dev.ioengine.fs.ProviderEngines;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Optional;

/**
 * io-engine's provider in its drop-in form ({@code new IoEngineFileSystemProvider(jdkProvider)}, scheme {@code file})
 * on one engine, chosen through the documented {@code ioengine.engine} system property, which the provider reads when
 * its first channel opens its engine, with {@code ioengine.fileChannels=engine}: the kit's tests run on platform
 * threads, which by default get the JDK's own file channels, and it is io-engine's that the kit checks. Both
 * properties are set while this factory is open and restored by {@link #close()}, which also closes the provider's engine (through the tests' {@code ProviderEngines}: the
 * provider itself never closes it), so that no ring, descriptor or thread outlives the test class.
 *
 * <p>Unavailable, and so every test skipped, when the engine cannot run on this machine
 * ({@link EngineAvailability#probe}) or when the provider is still the placeholder that throws
 * {@code UnsupportedOperationException}.
 */
public final class IoEngineProvider implements ProviderUnderTest {
    static final String ENGINE_PROPERTY = "ioengine.engine";
    static final String FILE_CHANNELS_PROPERTY = "ioengine.fileChannels";
    private final EngineKind kind;
    private final ForeignFiles foreign = new ForeignFiles();
    private final String previousEngine;
    private final String previousFileChannels;
    private FileSystemProvider provider;
    private FileSystem fs;
    private String unavailable;
    private Path root;

    /** A factory on a provider of its own, whose engine {@link #close()} closes. */
    public IoEngineProvider(EngineKind kind) {
        this.kind = kind;
        this.previousEngine = System.getProperty(ENGINE_PROPERTY);
        this.previousFileChannels = System.getProperty(FILE_CHANNELS_PROPERTY);
        EngineAvailability availability = EngineAvailability.probe(kind);
        if (!availability.available()) {
            unavailable = "io-engine " + kind + " skipped: EngineAvailability.probe(" + kind
                    + ") says unavailable: " + availability.reason();
            return;
        }
        System.setProperty(ENGINE_PROPERTY, kind.id());
        System.setProperty(FILE_CHANNELS_PROPERTY, "engine");
        try {
            provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
            fs = provider.getFileSystem(URI.create("file:///"));
        } catch (UnsupportedOperationException placeholder) {
            unavailable = "io-engine " + kind + " skipped: IoEngineFileSystemProvider is still the placeholder"
                    + " (getFileSystem threw UnsupportedOperationException): the provider has not landed";
        }
    }

    /**
     * How many requests this provider's engine has taken, or empty when the provider does not say (the placeholder)
     * or has not opened its engine yet.
     */
    @Override
    public Optional<Long> engineSubmissions() {
        // Looked up by name: the placeholder provider on main has no engineStats() yet.
        try {
            Object stats = provider.getClass().getMethod("engineStats").invoke(provider);
            return ((Optional<?>) stats).map(s -> ((dev.ioengine.EngineStats) s).submitted());
        } catch (NoSuchMethodException placeholder) {
            return Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("IoEngineFileSystemProvider.engineStats() failed", e);
        }
    }

    /**
     * A factory for a contract whose tests may leave an engine stuck: each factory has its provider and engine of
     * its own, so this is the same as the constructor (kept for the contracts that say so).
     */
    static IoEngineProvider isolated(EngineKind kind) {
        return new IoEngineProvider(kind);
    }

    /** The engine this factory selected. */
    public EngineKind kind() {
        return kind;
    }

    @Override public String name() { return kind.id(); }
    @Override public Optional<String> unavailableReason() { return Optional.ofNullable(unavailable); }
    @Override public FileSystem fileSystem() { return fs; }

    @Override
    public Path newScratchDirectory() throws IOException {
        if (root == null) {
            root = Files.createTempDirectory(fs.getPath(JdkProvider.tempRoot().toString()), "tck-" + kind.id() + "-");
        }
        return Files.createTempDirectory(root, "t");
    }

    @Override
    public List<Path> foreignPaths() throws IOException {
        return List.of(foreign.defaultFile(), foreign.jimfsFile());
    }

    @Override public boolean isEngineBacked() { return true; }
    @Override public boolean isDefaultFileSystem() { return false; }
    @Override public boolean isBackedByHostFiles() { return true; }
    @Override public boolean supportsAsyncChannel() { return true; }
    @Override public boolean supportsDirectIo() { return true; }
    @Override public boolean supportsLocks() { return true; }
    @Override public boolean supportsWatch() { return true; }
    @Override public boolean supportsPosixPermissions() { return true; }
    @Override public boolean supportsMap() { return true; }
    @Override public boolean supportsSparseFiles() { return true; }

    @Override
    public java.util.Set<Deviation> deviations() {
        return java.util.EnumSet.noneOf(Deviation.class);
    }

    @Override
    public void close() throws IOException {
        try {
            foreign.close();
            if (root != null) {
                ScratchTrees.deleteRecursively(root);
            }
            if (provider != null) {
                ProviderEngines.close(provider);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while closing the provider's engine");
        } finally {
            restore(ENGINE_PROPERTY, previousEngine);
            restore(FILE_CHANNELS_PROPERTY, previousFileChannels);
        }
    }

    @Override
    public String toString() {
        return name();
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}

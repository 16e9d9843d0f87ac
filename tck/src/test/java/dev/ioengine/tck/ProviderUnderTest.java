package dev.ioengine.tck;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One file system the contracts run against: its name in reports, a scratch root inside it, what it supports, and
 * paths of other providers (for {@code ProviderMismatchException} checks).
 *
 * <p>Created once per concrete test class (the contracts use {@code PER_CLASS} instances) and closed after it; closing
 * releases everything the factory opened (file systems, engines, scratch directories).
 */
public interface ProviderUnderTest extends AutoCloseable {

    /** Short name used in reports and skip messages: {@code jdk}, {@code jimfs}, {@code io_uring}, ... */
    String name();

    /**
     * Empty when the provider can run here; otherwise why not (implementation not landed, engine unavailable). Every
     * contract test is skipped with this message.
     */
    Optional<String> unavailableReason();

    /** The file system under test. */
    FileSystem fileSystem();

    /** A fresh, empty, absolute directory in {@link #fileSystem()}, removed by {@link #close()} at the latest. */
    Path newScratchDirectory() throws IOException;

    /** Existing regular files that belong to other providers than this one. */
    List<Path> foreignPaths() throws IOException;

    /** Whether this is {@code FileSystems.getDefault()} itself. */
    boolean isDefaultFileSystem();

    /** Whether files of this file system are files of the machine (so {@code mkfifo}, {@code /proc} reach them). */
    boolean isBackedByHostFiles();

    /** {@code AsynchronousFileChannel.open} works. */
    boolean supportsAsyncChannel();

    /** {@code com.sun.nio.file.ExtendedOpenOption.DIRECT} is honoured. */
    boolean supportsDirectIo();

    /** Real advisory locks: overlapping locks in this JVM are refused with {@code OverlappingFileLockException}. */
    boolean supportsLocks();

    /** {@code FileSystem.newWatchService()} and {@code Path.register} deliver events. */
    boolean supportsWatch();

    /** The {@code posix} attribute view. */
    boolean supportsPosixPermissions();

    /** {@code FileChannel.map}. */
    boolean supportsMap();

    /** Sparse files: a write at 5 GiB costs no memory or disk. */
    boolean supportsSparseFiles();

    /** Blocking reads that can be made to wait (named pipes made by {@code mkfifo}). */
    default boolean supportsFifo() {
        return isBackedByHostFiles();
    }

    /**
     * For io-engine: how many requests the provider's engine has taken so far (proof that IO goes through the
     * engine, not the JDK). Empty for other providers, or while the engine is not open.
     */
    default Optional<Long> engineSubmissions() {
        return Optional.empty();
    }

    /** Whether this provider does its IO through an io-engine engine. */
    default boolean isEngineBacked() {
        return false;
    }

    /** Where this provider knowingly departs from the JDK; the contract skips those parts for it. */
    default java.util.Set<Deviation> deviations() {
        return java.util.Set.of();
    }

    @Override
    void close() throws IOException;
}

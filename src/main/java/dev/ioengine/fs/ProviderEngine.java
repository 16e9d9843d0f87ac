package dev.ioengine.fs;

import dev.ioengine.CompletionMode;
import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import java.io.IOException;
import java.util.Optional;

/**
 * The one engine a provider's channels share, opened on the first channel open (never while the provider is being
 * built: the drop-in default is built during JVM start-up), configured from the {@code ioengine.*} system
 * properties with {@link CompletionMode#INLINE} completions.
 *
 * <p>Under {@code ioengine.engine=auto} it always ends up with a working engine: when io_uring is not what auto
 * picks, or the engine auto picked fails to open, it runs on the thread-pool engine and says so once, through a
 * {@link System.Logger} obtained only then. An engine asked for by name that is unavailable is an
 * {@link IOException} on each open, saying why.
 *
 * <p>Thread-safe. Owns the engine. The provider never closes it (the default file system never closes); its
 * threads are daemon threads, so it does not hold the JVM up. {@link #close()} is for tests.
 */
final class ProviderEngine {
    private final Object lock = new Object();
    private volatile IoEngine engine;

    /** The engine, opened now if this is the first call. */
    IoEngine get() throws IOException {
        IoEngine opened = engine;
        if (opened != null) {
            return opened;
        }
        Opened justOpened;
        synchronized (lock) {
            opened = engine;
            if (opened != null) {
                return opened;
            }
            justOpened = open(configuration());
            engine = justOpened.engine();
        }
        // Logged once the engine is published and the lock released: if the logging set-up reads a file through
        // this provider, it finds the engine open instead of opening another.
        if (justOpened.notice() != null) {
            System.getLogger(IoEngineFileSystemProvider.class.getName())
                    .log(System.Logger.Level.INFO, justOpened.notice());
        }
        return justOpened.engine();
    }

    private static IoEngineConfig configuration() throws IOException {
        try {
            return IoEngineConfig.fromSystemProperties().toBuilder()
                    .completionMode(CompletionMode.INLINE)
                    .name("io-engine-fs")
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IOException("io-engine: cannot open the file system's engine: " + e.getMessage(), e);
        }
    }

    /** An engine just opened, and what to log about the choice (null when io_uring was had as asked). */
    private record Opened(IoEngine engine, String notice) {
    }

    /** Opens the engine {@code config} asks for; under auto, falls back to threads. */
    private static Opened open(IoEngineConfig config) throws IOException {
        if (config.engine() != EngineKind.AUTO) {
            return new Opened(IoEngine.open(config), null);
        }
        try {
            IoEngine picked = IoEngine.open(config);
            String notice = picked.kind() == EngineKind.IO_URING ? null
                    : "io-engine file system: using the " + picked.kind() + " engine; "
                            + EngineAvailability.explainAuto();
            return new Opened(picked, notice);
        } catch (IOException | RuntimeException e) {
            IoEngine threads = IoEngine.open(config.toBuilder().engine(EngineKind.THREADS).build());
            return new Opened(threads, "io-engine file system: using the threads engine: the "
                    + EngineAvailability.selectAuto() + " engine that auto picked failed to open: " + e);
        }
    }

    /** The engine's statistics, or empty before the first channel opened it. */
    Optional<EngineStats> stats() {
        IoEngine opened = engine;
        return opened == null ? Optional.empty() : Optional.of(opened.stats());
    }

    /** The engine if it is open, else null. */
    IoEngine ifOpen() {
        return engine;
    }

    /** Closes the engine (draining it) if it was opened; the next channel open opens a new one. For tests. */
    void close() {
        IoEngine opened;
        synchronized (lock) {
            opened = engine;
            engine = null;
        }
        if (opened != null) {
            opened.close();
        }
    }
}

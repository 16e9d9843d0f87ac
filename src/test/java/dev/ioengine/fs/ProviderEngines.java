package dev.ioengine.fs;

import java.time.Duration;

/**
 * Test access to a provider's engine, which the provider itself never closes (the default file system never
 * closes): tests that make providers of their own close their engines with {@link #close}, so that their rings,
 * descriptors and threads do not outlive them (the leak check after each class counts them).
 */
public final class ProviderEngines {
    private static final long CLOSE_SECONDS = 10;

    private ProviderEngines() {
    }

    /**
     * Closes {@code provider}'s engine if it opened one, draining it, waiting at most {@value #CLOSE_SECONDS} s (a
     * test may have left a request stuck); the next channel open would open a new one.
     *
     * @throws AssertionError if the engine did not finish closing in time
     */
    public static void close(IoEngineFileSystemProvider provider) throws InterruptedException {
        Thread closing = Thread.ofPlatform().daemon().name("provider-engine-close").start(provider.engine()::close);
        if (!closing.join(Duration.ofSeconds(CLOSE_SECONDS))) {
            throw new AssertionError("the provider's engine did not close (drain) in " + CLOSE_SECONDS + " s: "
                    + provider.engineStats().map(Object::toString).orElse("no stats"));
        }
    }

    /** As {@link #close}, for a provider known only as a {@link java.nio.file.spi.FileSystemProvider}. */
    public static void close(java.nio.file.spi.FileSystemProvider provider) throws InterruptedException {
        if (provider instanceof IoEngineFileSystemProvider ours) {
            close(ours);
        }
    }
}

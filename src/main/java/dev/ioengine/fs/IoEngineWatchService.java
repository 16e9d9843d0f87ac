package dev.ioengine.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A watch service of an {@link IoEngineFileSystem}: wraps a delegate (JDK) watch service. Its keys are wrapped
 * ({@link IoEngineWatchKey}), one wrapper per delegate key, so that a key polled twice is the same object, as
 * callers who keep keys in maps expect.
 *
 * <p>Wraps {@code delegate}; closing this service closes the delegate and forgets every key.
 */
final class IoEngineWatchService implements WatchService {
    private final IoEngineFileSystem fileSystem;
    private final WatchService delegate;
    private final Map<WatchKey, IoEngineWatchKey> keys = new ConcurrentHashMap<>();

    IoEngineWatchService(IoEngineFileSystem fileSystem, WatchService delegate) {
        this.fileSystem = fileSystem;
        this.delegate = delegate;
    }

    IoEngineFileSystem fileSystem() {
        return fileSystem;
    }

    /** Registers a delegate path with the delegate service: {@link IoEnginePath#register} calls this. */
    WatchKey register(Path delegateDirectory, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        return wrap(delegateDirectory.register(delegate, events, modifiers));
    }

    /** The one wrapper of {@code delegateKey}: made on its registration, or again if it was forgotten. */
    private WatchKey wrap(WatchKey delegateKey) {
        if (delegateKey == null) {
            return null;
        }
        return keys.computeIfAbsent(delegateKey,
                key -> new IoEngineWatchKey(this, key, fileSystem.wrap((Path) key.watchable())));
    }

    /** Called once a key is cancelled or found invalid: the service would otherwise keep every key it ever had. */
    void forget(WatchKey delegateKey) {
        keys.remove(delegateKey);
    }

    @Override
    public WatchKey poll() {
        return wrap(delegate.poll());
    }

    @Override
    public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
        return wrap(delegate.poll(timeout, unit));
    }

    @Override
    public WatchKey take() throws InterruptedException {
        return wrap(delegate.take());
    }

    @Override
    public void close() throws IOException {
        try {
            delegate.close();
        } finally {
            keys.clear();
        }
    }
}

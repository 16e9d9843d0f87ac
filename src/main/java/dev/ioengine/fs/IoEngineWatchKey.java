package dev.ioengine.fs;

import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A watch key of an {@link IoEngineWatchService}: wraps a delegate (JDK) watch key. Its {@link #watchable()} is the
 * wrapped directory, and the contexts of its events are wrapped paths.
 *
 * <p>Wraps {@code delegate}; owns nothing. Made only by {@link IoEngineWatchService}, one per delegate key.
 */
final class IoEngineWatchKey implements WatchKey {
    private final IoEngineWatchService service;
    private final WatchKey delegate;
    private final IoEnginePath watchable;

    IoEngineWatchKey(IoEngineWatchService service, WatchKey delegate, IoEnginePath watchable) {
        this.service = service;
        this.delegate = delegate;
        this.watchable = watchable;
    }

    @Override
    public boolean isValid() {
        return delegate.isValid();
    }

    @Override
    public List<WatchEvent<?>> pollEvents() {
        List<WatchEvent<?>> events = new ArrayList<>();
        for (WatchEvent<?> event : delegate.pollEvents()) {
            events.add(wrap(event));
        }
        return events;
    }

    /** An event whose context is a path gets our path; OVERFLOW (context null) is passed on as it is. */
    private WatchEvent<?> wrap(WatchEvent<?> event) {
        if (!(event.context() instanceof Path name)) {
            return event;
        }
        @SuppressWarnings("unchecked") // a path context means a Kind<Path> (ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY)
        WatchEvent.Kind<Path> kind = (WatchEvent.Kind<Path>) event.kind();
        return new IoEngineWatchEvent(kind, event.count(), watchable.getFileSystem().wrap(name));
    }

    @Override
    public boolean reset() {
        boolean valid = delegate.reset();
        if (!valid) {
            service.forget(delegate);
        }
        return valid;
    }

    @Override
    public void cancel() {
        delegate.cancel();
        service.forget(delegate);
    }

    @Override
    public IoEnginePath watchable() {
        return watchable;
    }

    @Override
    public String toString() {
        return "IoEngineWatchKey[" + watchable + ", " + delegate + "]";
    }

    /** A delegate event with its context wrapped. */
    private record IoEngineWatchEvent(Kind<Path> kind, int count, Path context) implements WatchEvent<Path> {
    }
}

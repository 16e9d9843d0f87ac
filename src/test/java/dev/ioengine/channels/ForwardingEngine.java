package dev.ioengine.channels;

import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import java.util.concurrent.TimeUnit;

/**
 * A test engine that passes every call on to a real engine, its {@code delegate}: subclasses override only the
 * calls they change (hold, record or drop requests). Closing it closes the delegate.
 */
abstract class ForwardingEngine implements IoEngine {
    final IoEngine delegate;

    ForwardingEngine(IoEngine delegate) {
        this.delegate = delegate;
    }

    @Override
    public EngineKind kind() {
        return delegate.kind();
    }

    @Override
    public IoEngineConfig config() {
        return delegate.config();
    }

    @Override
    public void submit(IoRequest request) throws InterruptedException {
        delegate.submit(request);
    }

    @Override
    public boolean trySubmit(IoRequest request) {
        return delegate.trySubmit(request);
    }

    @Override
    public boolean tryNow(IoRequest request) {
        return delegate.tryNow(request);
    }

    @Override
    public void cancel(IoFile file) {
        delegate.cancel(file);
    }

    @Override
    public IoRequest poll() {
        return delegate.poll();
    }

    @Override
    public IoRequest poll(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.poll(timeout, unit);
    }

    @Override
    public EngineStats stats() {
        return delegate.stats();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

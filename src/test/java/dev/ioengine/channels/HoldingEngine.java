package dev.ioengine.channels;

import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test engine that holds every submitted request until {@link #releaseAll()}, then passes them to a real
 * engine: it makes "IO still in the kernel" last as long as a test needs.
 */
final class HoldingEngine implements IoEngine {
    private final IoEngine real;
    private final List<IoRequest> held = new ArrayList<>();
    private boolean holding = true;

    HoldingEngine(IoEngine real) {
        this.real = real;
    }

    @Override
    public EngineKind kind() {
        return real.kind();
    }

    @Override
    public IoEngineConfig config() {
        return real.config();
    }

    @Override
    public synchronized void submit(IoRequest request) throws InterruptedException {
        if (holding) {
            held.add(request);
            notifyAll();
        } else {
            real.submit(request);
        }
    }

    @Override
    public synchronized boolean trySubmit(IoRequest request) {
        if (holding) {
            held.add(request);
            notifyAll();
            return true;
        }
        return real.trySubmit(request);
    }

    /** While holding, nothing completes on the caller's thread either: every request must be held. */
    @Override
    public synchronized boolean tryNow(IoRequest request) {
        return !holding && real.tryNow(request);
    }

        /** Waits until {@code count} requests are held. */
    synchronized void awaitHeld(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + held.size() + " requests held, expected " + count);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized void releaseAll() throws InterruptedException {
        holding = false;
        for (IoRequest r : held) {
            real.submit(r);
        }
        held.clear();
    }

    @Override
    public IoRequest poll() {
        return real.poll();
    }

    @Override
    public IoRequest poll(long timeout, TimeUnit unit) throws InterruptedException {
        return real.poll(timeout, unit);
    }

    @Override
    public EngineStats stats() {
        return real.stats();
    }

    @Override
    public boolean isOpen() {
        return real.isOpen();
    }

    @Override
    public void close() {
        real.close();
    }
}

package dev.ioengine.channels;

import dev.ioengine.IoEngine;
import dev.ioengine.IoRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test engine that holds every submitted request until {@link #releaseAll()}, then passes them to its
 * delegate: it makes "IO still in the kernel" last as long as a test needs.
 */
final class HoldingEngine extends ForwardingEngine {
    private final List<IoRequest> held = new ArrayList<>();
    private boolean holding = true;

    HoldingEngine(IoEngine delegate) {
        super(delegate);
    }

    @Override
    public synchronized void submit(IoRequest request) throws InterruptedException {
        if (holding) {
            held.add(request);
            notifyAll();
        } else {
            delegate.submit(request);
        }
    }

    @Override
    public synchronized boolean trySubmit(IoRequest request) {
        if (holding) {
            held.add(request);
            notifyAll();
            return true;
        }
        return delegate.trySubmit(request);
    }

    /** While holding, nothing completes on the caller's thread either: every request must be held. */
    @Override
    public synchronized boolean tryNow(IoRequest request) {
        return !holding && delegate.tryNow(request);
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

    /** The request held {@code index}-th, in the order they came. */
    synchronized IoRequest held(int index) {
        return held.get(index);
    }

    synchronized void releaseAll() throws InterruptedException {
        holding = false;
        for (IoRequest r : held) {
            delegate.submit(r);
        }
        held.clear();
    }
}

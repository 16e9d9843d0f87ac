package dev.ioengine.internal.engine;

import java.util.concurrent.CountDownLatch;

/** Waits that go on through interrupts, the caller's interrupt status restored afterwards. */
public final class Uninterruptibly {
    private Uninterruptibly() {
    }

    /**
     * Waits until {@code latch} reaches zero: for waits that must not end early (a close waiting for the kernel to be
     * done with a descriptor, an engine waiting for its threads), as the JDK's close ignores interrupts.
     */
    public static void await(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

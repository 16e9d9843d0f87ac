package dev.ioengine.internal.aio;

import dev.ioengine.IoRequest;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's {@code depth} iocb slots: which request each slot carries, and which slots are free. A slot's
 * index is its iocb's {@code aio_data}, so a completion finds its request without a map (a full 64-bit value:
 * the seed crate kept slot ids in 16 bits and never checked the depth against that).
 *
 * <p>Two threads use it: the submitter takes free slots ({@link #awaitFree}, {@link #acquire}), the reaper takes
 * them for the requests its completion callbacks submitted ({@link #tryAcquire}, never waiting), and either gives
 * them back ({@link #release}). Every access to the table
 * is under one lock (the seed crate mutated its slot table from both threads without any).
 */
final class SlotTable {
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on every release: room for the submitter, or completions it waits for after EAGAIN. */
    private final Condition released = lock.newCondition();
    private final IoRequest[] requests;
    private final int[] freeStack;
    private int freeCount;
    /** Threads inside {@link #awaitFree} waiting for a slot. */
    private int freeWaiters;
    private long releases;

    SlotTable(int depth) {
        requests = new IoRequest[depth];
        freeStack = new int[depth];
        for (int i = 0; i < depth; i++) {
            freeStack[i] = depth - 1 - i;
        }
        freeCount = depth;
    }

    int depth() {
        return requests.length;
    }

    /** Waits, uninterruptibly, until at least one slot is free; returns how many are free. */
    int awaitFree() {
        lock.lock();
        try {
            if (freeCount == 0) {
                freeWaiters++;
                try {
                    while (freeCount == 0) {
                        released.awaitUninterruptibly();
                    }
                } finally {
                    freeWaiters--;
                }
            }
            return freeCount;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a free slot for {@code request} if one is free; returns the slot, or -1. */
    int acquireIfFree(IoRequest request) {
        lock.lock();
        try {
            if (freeCount == 0) {
                return -1;
            }
            int slot = freeStack[--freeCount];
            requests[slot] = request;
            return slot;
        } finally {
            lock.unlock();
        }
    }

    /** What a thread that never waits may do now: take a slot, leave them to a waiting thread, or wait for one. */
    enum Room { FREE, WAITER_FIRST, NONE }

    /** Whether {@link #tryAcquire} would find a slot now, or why not. */
    Room roomWithoutWaiting() {
        lock.lock();
        try {
            return freeWaiters > 0 ? Room.WAITER_FIRST : freeCount > 0 ? Room.FREE : Room.NONE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a free slot for {@code request} if one is free and no thread waits in {@link #awaitFree} (that
     * thread was first: the slot is left to it); returns the slot, or -1.
     */
    int tryAcquire(IoRequest request) {
        lock.lock();
        try {
            if (freeCount == 0 || freeWaiters > 0) {
                return -1;
            }
            int slot = freeStack[--freeCount];
            requests[slot] = request;
            return slot;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a free slot for {@code request}.
     *
     * @throws IllegalStateException if none is free (the caller checks with {@link #awaitFree} first)
     */
    int acquire(IoRequest request) {
        lock.lock();
        try {
            if (freeCount == 0) {
                throw new IllegalStateException("no free AIO slot");
            }
            int slot = freeStack[--freeCount];
            requests[slot] = request;
            return slot;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees {@code slot} and returns the request it carried, or null if {@code slot} is out of range or not in
     * use (a kernel event the engine did not ask for: never expected).
     */
    IoRequest release(long slot) {
        if (slot < 0 || slot >= requests.length) {
            return null;
        }
        int index = (int) slot;
        lock.lock();
        try {
            IoRequest request = requests[index];
            if (request == null) {
                return null;
            }
            requests[index] = null;
            freeStack[freeCount++] = index;
            releases++;
            released.signalAll();
            return request;
        } finally {
            lock.unlock();
        }
    }

    /** How many slots have been released so far: pass it to {@link #awaitReleaseAfter}. */
    long releases() {
        lock.lock();
        try {
            return releases;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a slot is released after the {@code seen}-th release, or the time passes. */
    void awaitReleaseAfter(long seen, long timeoutNanos) {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (releases == seen && left > 0) {
                try {
                    left = released.awaitNanos(left);
                } catch (InterruptedException e) {
                    // Engine threads stop by their own flags, never by interrupts.
                }
            }
        } finally {
            lock.unlock();
        }
    }

    int inUse() {
        lock.lock();
        try {
            return requests.length - freeCount;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SlotTable[depth=" + requests.length + ", in use=" + inUse() + "]";
    }
}

package dev.ioengine.internal.aio;

import dev.ioengine.IoRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Orders each barrier ({@code fsync}, {@code fdatasync}, {@code fallocate}) after every write accepted before it
 * on the same file descriptor. Linux AIO cannot do these operations, so they run on a side worker; this class
 * decides when each may go there.
 *
 * <p>The rule: a barrier on fd F runs once every write on F that the engine accepted before the barrier has
 * completed (successfully or not). Writes accepted after the barrier do not wait for it and it does not wait for
 * them; reads are not ordered at all. Barriers on one fd reach the side worker in the order they were accepted.
 *
 * <p>How: per fd, a queue of epochs. An epoch counts writes in flight and lists the barriers accepted after them.
 * A write joins the last epoch, or opens a new one if that epoch already has barriers behind it; a barrier is
 * released at once if its fd has no epoch, else appended to the last epoch. When the first epoch's count reaches
 * zero it is removed and its barriers are released, then the next epoch is examined, and so on. Writes and
 * barriers are registered in {@code enqueue} order, under one lock; releasing never blocks anyone: released
 * barriers go to a {@link Consumer} (the side worker's queue).
 *
 * <p>Completion of a write is reported in two steps so that the write's own completion is delivered before any
 * barrier it holds back can run: {@link #detach} before completing it (after which the request may be reused
 * and submitted again), {@link #writesDone} after.
 */
final class WriteBarriers {
    private final Consumer<IoRequest> release;
    private final Map<Integer, ArrayDeque<Epoch>> epochsByFd = new HashMap<>();
    private final Map<IoRequest, Epoch> epochOfWrite = new IdentityHashMap<>();

    /** Writes in flight on one fd, and the barriers that come after them. */
    private static final class Epoch {
        final int fd;
        int writesInFlight;
        final List<IoRequest> barriersAfter = new ArrayList<>(1);

        Epoch(int fd) {
            this.fd = fd;
        }
    }

    WriteBarriers(Consumer<IoRequest> release) {
        this.release = release;
    }

    /** Registers an accepted write (single or vectored). */
    synchronized void writeAccepted(IoRequest write) {
        ArrayDeque<Epoch> epochs = epochsByFd.computeIfAbsent(write.fd(), fd -> new ArrayDeque<>());
        Epoch last = epochs.peekLast();
        if (last == null || !last.barriersAfter.isEmpty()) {
            last = new Epoch(write.fd());
            epochs.addLast(last);
        }
        last.writesInFlight++;
        epochOfWrite.put(write, last);
    }

    /** Registers an accepted barrier: released now if no earlier write on its fd is in flight, else later. */
    synchronized void barrierAccepted(IoRequest barrier) {
        ArrayDeque<Epoch> epochs = epochsByFd.get(barrier.fd());
        if (epochs != null) {
            epochs.peekLast().barriersAfter.add(barrier);
        } else {
            release.accept(barrier);
        }
    }

    /**
     * Removes a completing write from its epoch's membership and returns the epoch, or null for a request that
     * is not a registered write. Call before completing the request, then pass the result to
     * {@link #writesDone}.
     */
    synchronized Object detach(IoRequest write) {
        return epochOfWrite.remove(write);
    }

    /** Counts the writes detached as {@code epochs} (nulls ignored) done, and releases barriers now free to run. */
    synchronized void writesDone(Object... epochs) {
        for (Object o : epochs) {
            if (o instanceof Epoch epoch) {
                epoch.writesInFlight--;
                releaseReady(epoch.fd);
            }
        }
    }

    /**
     * Removes the leading epochs with no write left in flight and releases their barriers, in order. Releasing
     * under the lock keeps barriers on one fd in acceptance order even when two threads release.
     */
    private void releaseReady(int fd) {
        ArrayDeque<Epoch> epochs = epochsByFd.get(fd);
        if (epochs == null) {
            return;
        }
        while (!epochs.isEmpty() && epochs.peekFirst().writesInFlight == 0) {
            epochs.removeFirst().barriersAfter.forEach(release);
        }
        if (epochs.isEmpty()) {
            epochsByFd.remove(fd);
        }
    }

    /** Writes registered and not yet done, for toString and tests. */
    synchronized int writesInFlight() {
        int n = 0;
        for (ArrayDeque<Epoch> epochs : epochsByFd.values()) {
            for (Epoch e : epochs) {
                n += e.writesInFlight;
            }
        }
        return n;
    }

    @Override
    public synchronized String toString() {
        return "WriteBarriers[fds=" + epochsByFd.size() + ", writes tracked=" + epochOfWrite.size() + "]";
    }
}

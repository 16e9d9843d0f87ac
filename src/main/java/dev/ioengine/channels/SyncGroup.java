package dev.ioengine.channels;

import dev.ioengine.internal.linux.Errno;
import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * One channel's {@code force}: group commit, and write-back errors that stick. Shared by both channel kinds.
 *
 * <p><b>Group commit.</b> Concurrent forces share sync system calls, in rounds: at most {@link #IN_FLIGHT} fsync or
 * fdatasync calls of the channel run at once, and the callers that arrive while that many run all join the next
 * round, which one of them (the leader) starts as soon as one ends. Two, not one: the block layer queues a flush
 * asked for while another is in flight and sends it the moment that one completes, so the next round is already
 * in the kernel when the running one ends, and the disk never waits for a woken thread. A caller's earlier writes
 * had completed when it arrived, so it may only be served by a sync that started after its arrival: a round
 * numbered above every round started before it came ({@code round = started + 1}), never one already running. A
 * round is an fsync if any of its callers asked for metadata ({@code force(true)}): an fdatasync never serves a
 * {@code force(true)}.
 *
 * <p><b>Sticky errors.</b> After a failed sync the kernel may drop the dirty pages and report success on the next
 * one ("fsyncgate"), so a caller that retried would believe lost data durable. Once a sync of this channel has
 * failed, or a write of it failed with EIO, ENOSPC or EDQUOT ({@link #writeFailed}), every later force throws,
 * with the first failure as its cause; every caller of the failed round gets that failure.
 *
 * <p>Thread-safe: state guarded by this object's monitor (nothing allocated per channel beyond this object; virtual
 * threads unmount while they wait on it); the sync itself runs outside it, on the leader's thread.
 */
final class SyncGroup {
    /** The most syncs of one channel in the kernel at once. */
    static final int IN_FLIGHT = 2;
    /** What a {@link Sync} answers when the channel closed before the sync could be made. */
    static final long NOT_DONE = Long.MIN_VALUE;

    /** The system call a round makes. */
    interface Sync {
        /**
         * Makes one fsync ({@code metaData}) or fdatasync of the file now.
         *
         * @return 0 when done, {@code -errno} when the sync failed, {@link #NOT_DONE} when the channel closed first
         * @throws IOException when the sync could not be asked for at all (the engine refused it): not sticky
         */
        long sync(boolean metaData) throws IOException;
    }

    private final String path;
    private final Sync sync;
    /** Rounds started so far; the running ones, if any, are the last started. */
    private long started;
    /** Rounds started and not yet ended: at most {@link #IN_FLIGHT}. */
    private int running;
    /** The highest round that ended without a sync (the channel closed, or the engine refused it). */
    private long lastNotDone;
    /** The highest round whose sync succeeded (rounds in flight together may end in either order). */
    private long maxSucceeded;
    /** Whether a caller waiting for the next round asked for metadata: the round is then an fsync. */
    private boolean nextNeedsMetadata;
    /** The first round that a write-back error concerns (0: none yet): it and every later round fail. */
    private long failedFrom;
    /** The first write-back error seen, the cause every later force throws with. */
    private IOException firstFailure;

    SyncGroup(String path, Sync sync) {
        this.path = path;
        this.sync = sync;
    }

    /**
     * Makes the caller's completed writes durable: joins the next round, or leads it.
     *
     * @param interruptible whether an interrupt ends the wait for another caller's round (the interrupt status
     *     is kept and the channel is expected to close by it), as it does for a FileChannel's blocking call
     * @return true when a sync that started after the call succeeded; false when the channel closed (or the wait
     *     was interrupted) first
     * @throws IOException the sync's failure, for the callers of the failed round, and a write-back failure for
     *     every call after it
     */
    boolean force(boolean metaData, boolean interruptible) throws IOException {
        long round;
        boolean metadataRound;
        boolean interrupted = false;
        try {
            synchronized (this) {
                round = started + 1;
                while (true) {
                    if (maxSucceeded >= round && (failedFrom == 0 || failedFrom > round)) {
                        return true;
                    }
                    throwIfFailed();
                    if (lastNotDone >= round) {
                        // Our round (or a later one) ended without a sync (channel closed, engine refused): the
                        // next one, then.
                        round = started + 1;
                    }
                    if (round > started) {
                        if (running < IN_FLIGHT) {
                            break;
                        }
                        // Waiting to start the next round: an fsync if any of its callers needs it.
                        nextNeedsMetadata |= metaData;
                    }
                    try {
                        wait(); // notified by lead() at the end of every round
                    } catch (InterruptedException e) {
                        if (interruptible) {
                            interrupted = true;
                            return false;
                        }
                        // Uninterruptible: the status is set again on the way out; the wait goes on.
                        interrupted = true;
                    }
                }
                // Here round == started + 1, and there is room for it.
                round = ++started;
                running++;
                metadataRound = metaData || nextNeedsMetadata;
                nextNeedsMetadata = false;
            }
            return lead(round, metadataRound);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs round {@code round}'s sync on this thread, records its outcome and wakes the callers waiting for it. */
    private boolean lead(long round, boolean metaData) throws IOException {
        long result = NOT_DONE;
        try {
            result = sync.sync(metaData);
        } finally {
            synchronized (this) {
                running--;
                if (result == 0) {
                    maxSucceeded = Math.max(maxSucceeded, round);
                } else if (result == NOT_DONE) {
                    lastNotDone = Math.max(lastNotDone, round);
                } else {
                    failed(round, Errno.toFileSystemException((int) -result, path, null));
                }
                // Callers of a round that did not happen (closed, or refused by the engine) lead the next one.
                notifyAll();
            }
        }
        if (result == NOT_DONE) {
            return false;
        }
        synchronized (this) {
            if (result < 0 && failedFrom == round) {
                throw firstFailure;
            }
            throwIfFailed();
            return true;
        }
    }

    /**
     * Records a write of the channel that failed with {@code errno}: EIO, ENOSPC and EDQUOT say the file's data may
     * not reach the disk, so every force from now on (and the running round's callers) fails. Other errors do not
     * concern durability and are ignored here.
     */
    void writeFailed(int errno) {
        if (errno != Errno.EIO && errno != Errno.ENOSPC && errno != Errno.EDQUOT) {
            return;
        }
        synchronized (this) {
            // The rounds in flight may not cover the failed write: they fail too, and every later one.
            failed(started - running + 1, Errno.toFileSystemException(errno, path, null));
        }
    }

    /** Guarded by this: the first failure sticks, from {@code round} on. */
    private void failed(long round, IOException failure) {
        if (failedFrom == 0) {
            failedFrom = round;
            firstFailure = failure;
        }
    }

    /**
     * Guarded by this: throws once a write-back error was seen. A caller still waiting when it was recorded throws
     * too: no sync that succeeded after its arrival covers its writes.
     */
    private void throwIfFailed() throws IOException {
        if (failedFrom != 0) {
            FileSystemException sticky = new FileSystemException(path, null,
                    "force after a write-back error, the file's data may not be on disk: "
                            + firstFailure.getMessage());
            sticky.initCause(firstFailure);
            throw sticky;
        }
    }

    @Override
    public synchronized String toString() {
        {
            return "SyncGroup[" + path + ", rounds " + started + ", " + running + " running"
                    + (failedFrom != 0 ? ", failed from round " + failedFrom : "") + "]";
        }
    }
}

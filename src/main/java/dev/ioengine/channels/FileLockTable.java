package dev.ioengine.channels;

import dev.ioengine.ErrnoException;
import java.nio.channels.Channel;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The locks this JVM holds through io-engine channels, per file (device and inode), as the JDK's
 * {@code sun.nio.ch.FileLockTable}: POSIX locks cannot tell two channels of one process apart, so overlapping
 * requests from the same JVM are refused here with {@link OverlappingFileLockException}.
 *
 * <p>Locks taken through the JDK's own channels are in the JDK's table, not this one: the two do not see each
 * other's locks within one JVM (other processes see both).
 */
final class FileLockTable {
    record FileKey(long device, long inode) {
    }

    private static final Map<FileKey, List<EngineFileLock>> LOCKS = new ConcurrentHashMap<>();

    private FileLockTable() {
    }

    /** Records {@code lock}, unless it overlaps a lock already held or pending in this JVM. */
    static void add(FileKey key, EngineFileLock lock) {
        LOCKS.compute(key, (k, list) -> {
            List<EngineFileLock> locks = list == null ? new ArrayList<>() : list;
            for (EngineFileLock held : locks) {
                if (held.overlaps(lock.position(), lock.size())) {
                    throw new OverlappingFileLockException();
                }
            }
            locks.add(lock);
            return locks;
        });
    }

    static void remove(FileKey key, EngineFileLock lock) {
        LOCKS.computeIfPresent(key, (k, list) -> {
            list.remove(lock);
            return list.isEmpty() ? null : list;
        });
    }

    /** Removes and returns every lock acquired through {@code channel}. */
    static List<EngineFileLock> removeAll(FileKey key, Channel channel) {
        List<EngineFileLock> removed = new ArrayList<>();
        LOCKS.computeIfPresent(key, (k, list) -> {
            list.removeIf(l -> {
                if (l.acquiredBy() == channel) {
                    removed.add(l);
                    return true;
                }
                return false;
            });
            return list.isEmpty() ? null : list;
        });
        return removed;
    }

    /**
     * At a channel's close: invalidates and unlocks every lock it holds, before its descriptor is closed. An
     * unlock that fails is ignored: closing the descriptor releases the process's record locks in any case.
     */
    static void releaseAll(Descriptor descriptor, Channel channel) {
        FileKey key = descriptor.fileKeyIfKnown();
        if (key == null) {
            return; // no lock was ever taken through this descriptor
        }
        for (EngineFileLock lock : removeAll(key, channel)) {
            lock.invalidate();
            try {
                Flock.unlock(descriptor.fd(), lock.position(), lock.size());
            } catch (ErrnoException ignored) {
                // See above: close(2) releases it.
            }
        }
    }
}

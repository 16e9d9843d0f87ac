package dev.ioengine.cli;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What {@code bench --verify} knows about the file: the generation of each block's last completed write, a lock
 * bit per block so that no two requests on one block are in flight at once (a read racing a write could see a
 * torn block, and two writes could complete in either order), and the mismatches found.
 *
 * <p>Thread-safe. A block's generation is read and written only by the thread holding its lock bit; taking the
 * bit (a successful compare-and-set) pairs with the release that cleared it, so each holder sees the generation
 * its predecessor stored.
 */
final class VerifyState {
    /** How many mismatches are kept for the report; all are counted. */
    static final int MISMATCHES_KEPT = 10;

    /** One bad block read back. */
    record Mismatch(String phase, long block, long offset, String reason) {
        @Override
        public String toString() {
            return "block " + block + " at offset " + offset + " (" + phase + "): " + reason;
        }
    }

    private final int[] generations;
    private final AtomicLongArray locks;
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong mismatchCount = new AtomicLong();
    private final List<Mismatch> firstMismatches = new ArrayList<>();

    VerifyState(long blocks) {
        if (blocks > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--verify supports at most " + (Integer.MAX_VALUE - 8)
                    + " blocks; raise --bs or lower --size");
        }
        generations = new int[(int) blocks];
        locks = new AtomicLongArray((int) ((blocks + 63) >>> 6));
    }

    /** Takes the block's lock bit; false if a request on it is in flight. */
    boolean tryLock(long block) {
        int word = (int) (block >>> 6);
        long bit = 1L << block;
        while (true) {
            long current = locks.get(word);
            if ((current & bit) != 0) {
                return false;
            }
            if (locks.compareAndSet(word, current, current | bit)) {
                return true;
            }
        }
    }

    /** Releases the lock bit taken by {@link #tryLock}. */
    void unlock(long block) {
        int word = (int) (block >>> 6);
        long bit = 1L << block;
        while (true) {
            long current = locks.get(word);
            if (locks.compareAndSet(word, current, current & ~bit)) {
                return;
            }
        }
    }

    /** The generation the next write of a locked block carries. */
    int nextGeneration(long block) {
        return generations[(int) block] + 1;
    }

    /** Records that a write of a locked block, carrying {@code generation}, completed. */
    void written(long block, int generation) {
        generations[(int) block] = generation;
    }

    /** Checks a locked block read back, recording a mismatch if it is wrong. */
    void check(String phase, MemorySegment data, long block, long offset) {
        checked.incrementAndGet();
        String problem = BlockVerifier.check(data, offset, generations[(int) block]);
        if (problem != null) {
            mismatchCount.incrementAndGet();
            synchronized (firstMismatches) {
                if (firstMismatches.size() < MISMATCHES_KEPT) {
                    firstMismatches.add(new Mismatch(phase, block, offset, problem));
                }
            }
        }
    }

    /** Blocks read and checked so far. */
    long checked() {
        return checked.get();
    }

    long mismatches() {
        return mismatchCount.get();
    }

    /** The first {@value #MISMATCHES_KEPT} mismatches, in the order found. */
    List<Mismatch> firstMismatches() {
        synchronized (firstMismatches) {
            return List.copyOf(firstMismatches);
        }
    }
}

package dev.ioengine.channels;

import dev.ioengine.AlignedBuffers;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM-wide pool of aligned direct buffers that heap buffers are copied through: the kernel must never see a
 * heap array, which the garbage collector may move while the IO runs.
 *
 * <p>Sizes are powers of two from 4 KiB to {@link #MAX_POOLED} bytes, each aligned to 4096 bytes (enough for
 * O_DIRECT on any common device). Each size class keeps at most {@link #BYTES_PER_CLASS} bytes of free buffers,
 * so the pool stays bounded; larger or more strictly aligned buffers are allocated for the one use and left to
 * the garbage collector. A buffer goes back to the pool only once its request has completed.
 */
final class BouncePool {
    static final int MIN_POOLED = 4096;
    static final int MAX_POOLED = 1 << 20;
    /** The most a single request copies through one bounce buffer; longer transfers are split. */
    static final int MAX_CHUNK = 8 << 20;
    /** The largest bounce buffer (its aligned allocation must fit in an int). */
    static final int MAX_BOUNCE = Integer.MAX_VALUE - (1 << 20);
    private static final int BYTES_PER_CLASS = 4 << 20;
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_POOLED)
            - Integer.numberOfTrailingZeros(MIN_POOLED) + 1;

    @SuppressWarnings("unchecked")
    private static final ConcurrentLinkedQueue<ByteBuffer>[] FREE = new ConcurrentLinkedQueue[CLASSES];
    private static final AtomicInteger[] FREE_COUNT = new AtomicInteger[CLASSES];

    static {
        for (int i = 0; i < CLASSES; i++) {
            FREE[i] = new ConcurrentLinkedQueue<>();
            FREE_COUNT[i] = new AtomicInteger();
        }
    }

    private BouncePool() {
    }

    /**
     * A direct buffer of at least {@code size} bytes, its address a multiple of {@code alignment}, cleared with
     * its limit at {@code size}.
     */
    static ByteBuffer acquire(int size, int alignment) {
        if (size > MAX_POOLED || alignment > MIN_POOLED) {
            return AlignedBuffers.allocateDirect(size, Math.max(alignment, MIN_POOLED));
        }
        int capacity = Math.max(MIN_POOLED, Integer.highestOneBit(Math.max(1, size - 1)) << 1);
        if (size <= MIN_POOLED) {
            capacity = MIN_POOLED;
        }
        int index = classIndex(capacity);
        ByteBuffer b = FREE[index].poll();
        if (b != null) {
            FREE_COUNT[index].decrementAndGet();
        } else {
            b = AlignedBuffers.allocateDirect(capacity, MIN_POOLED);
        }
        return b.clear().limit(size);
    }

    /** Returns a buffer from {@link #acquire}, once no request uses it any more. */
    static void release(ByteBuffer b) {
        int capacity = b.capacity();
        if (capacity < MIN_POOLED || capacity > MAX_POOLED || Integer.bitCount(capacity) != 1) {
            return;
        }
        int index = classIndex(capacity);
        if (FREE_COUNT[index].incrementAndGet() * (long) capacity > Math.max(BYTES_PER_CLASS, 2L * capacity)) {
            FREE_COUNT[index].decrementAndGet();
            return;
        }
        FREE[index].offer(b);
    }

    private static int classIndex(int capacity) {
        return Integer.numberOfTrailingZeros(capacity) - Integer.numberOfTrailingZeros(MIN_POOLED);
    }
}

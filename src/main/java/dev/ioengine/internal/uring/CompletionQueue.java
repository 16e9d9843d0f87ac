package dev.ioengine.internal.uring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The completion side of a ring: the mmap'd CQ ring (head, tail, mask, overflow, the CQE array). Owned by the
 * ring thread; the memory is owned and unmapped by {@link IoUringRing}.
 * <pre>
 *   CQ ring:  khead (we write)  ktail (kernel writes)  ring_mask  ring_entries  overflow  cqes[entries] (16 B)
 * </pre>
 * Protocol: the kernel writes CQEs, then publishes its tail with a release store; {@link #drain} reads the tail
 * with an acquire load, copies the CQEs out, and only then gives their slots back with a release store of the
 * head, which the kernel reads before reusing them.
 */
final class CompletionQueue {
    private static final VarHandle U32 = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final long CQE_SIZE = IoUringCqe.LAYOUT.byteSize();

    private final MemorySegment ring;
    private final long khead;
    private final long ktail;
    private final long koverflow;
    private final long cqes;
    private final int mask;
    private final int entries;
    private int head;

    CompletionQueue(MemorySegment ring, MemorySegment params) {
        this.ring = ring;
        long off = IoUringParams.CQ_OFF;
        this.khead = Integer.toUnsignedLong(IoCqringOffsets.head(params, off));
        this.ktail = Integer.toUnsignedLong(IoCqringOffsets.tail(params, off));
        this.koverflow = Integer.toUnsignedLong(IoCqringOffsets.overflow(params, off));
        this.cqes = Integer.toUnsignedLong(IoCqringOffsets.cqes(params, off));
        this.mask = (int) U32.get(ring, Integer.toUnsignedLong(IoCqringOffsets.ringMask(params, off)));
        this.entries = (int) U32.get(ring, Integer.toUnsignedLong(IoCqringOffsets.ringEntries(params, off)));
        this.head = (int) U32.get(ring, khead);
    }

    int entries() {
        return entries;
    }

    /** Completions waiting to be drained. */
    int ready() {
        // Acquire: pairs with the kernel's smp_store_release of cq.tail in io_commit_cqring.
        return (int) U32.getAcquire(ring, ktail) - head;
    }

    /**
     * Copies up to {@code max} completions into the arrays and frees their slots.
     *
     * @return how many were copied
     */
    int drain(long[] userData, int[] res, int max) {
        // Acquire: pairs with the kernel's smp_store_release of cq.tail; the CQEs before it are written.
        int tail = (int) U32.getAcquire(ring, ktail);
        int n = Math.min(tail - head, max);
        for (int i = 0; i < n; i++) {
            long base = cqes + ((head + i) & mask) * CQE_SIZE;
            userData[i] = IoUringCqe.userData(ring, base);
            res[i] = IoUringCqe.res(ring, base);
        }
        if (n > 0) {
            head += n;
            // Release: our CQE loads happen-before the kernel, reading cq.head, may overwrite those slots.
            U32.setRelease(ring, khead, head);
        }
        return n;
    }

    /** Completions the kernel lost because the CQ was full (only on kernels without IORING_FEAT_NODROP). */
    int overflow() {
        return (int) U32.getAcquire(ring, koverflow);
    }

    @Override
    public String toString() {
        return "CompletionQueue[entries=" + entries + ", ready=" + ready() + ", overflow=" + overflow() + "]";
    }
}

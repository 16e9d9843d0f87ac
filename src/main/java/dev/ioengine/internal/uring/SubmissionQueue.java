package dev.ioengine.internal.uring;

import static dev.ioengine.internal.uring.IoUringConstants.IORING_FSYNC_DATASYNC;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_ASYNC_CANCEL;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_FALLOCATE;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_FSYNC;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_READ;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_READV;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_WRITE;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_OP_WRITEV;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The submission side of a ring: the mmap'd SQ ring (head, tail, mask, flags, the index array) and the SQE array.
 * Owned by the ring thread; the memory is owned and unmapped by {@link IoUringRing}.
 * <pre>
 *   SQ ring:  khead (kernel writes)  ktail (we write)  ring_mask  ring_entries  flags  dropped  array[entries]
 *   SQEs:     struct io_uring_sqe[entries], 64 bytes each
 * </pre>
 * Protocol: an entry is written at {@code sqes[tail & mask]}, then {@link #flush()} publishes the new tail with
 * a release store; the kernel reads the tail with an acquire load, consumes entries, and publishes its head
 * with a release store, which {@link #kernelHead()} reads with an acquire load. The index array is the
 * identity (array[i] = i, written once here), so SQE i is always ring slot i.
 */
final class SubmissionQueue {
    /** A u32 ring field at a byte offset the kernel chose. */
    private static final VarHandle U32 = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final long SQE_SIZE = IoUringSqe.LAYOUT.byteSize();

    private final MemorySegment ring;
    private final MemorySegment sqes;
    private final long khead;
    private final long ktail;
    private final long kflags;
    private final long kdropped;
    private final int mask;
    private final int entries;
    /** Our tail: the next entry to fill. Ahead of the published tail between a prepare and {@link #flush()}. */
    private int tail;

    SubmissionQueue(MemorySegment ring, MemorySegment params, MemorySegment sqes) {
        this.ring = ring;
        this.sqes = sqes;
        long off = IoUringParams.SQ_OFF;
        this.khead = Integer.toUnsignedLong(IoSqringOffsets.head(params, off));
        this.ktail = Integer.toUnsignedLong(IoSqringOffsets.tail(params, off));
        this.kflags = Integer.toUnsignedLong(IoSqringOffsets.flags(params, off));
        this.kdropped = Integer.toUnsignedLong(IoSqringOffsets.dropped(params, off));
        this.mask = (int) U32.get(ring, Integer.toUnsignedLong(IoSqringOffsets.ringMask(params, off)));
        this.entries = (int) U32.get(ring, Integer.toUnsignedLong(IoSqringOffsets.ringEntries(params, off)));
        long array = Integer.toUnsignedLong(IoSqringOffsets.array(params, off));
        for (int i = 0; i < entries; i++) {
            // Plain stores: the kernel reads them only after the first release store of the tail.
            ring.set(ValueLayout.JAVA_INT, array + 4L * i, i);
        }
        this.tail = (int) U32.get(ring, ktail);
    }

    int entries() {
        return entries;
    }

    /** The kernel's head: entries before it are consumed. Acquire pairs with the kernel's release of sq.head. */
    int kernelHead() {
        return (int) U32.getAcquire(ring, khead);
    }

    /** Entries free for {@code prepare*}. */
    int free() {
        return entries - (tail - kernelHead());
    }

    /** Entries prepared (published or not) that the kernel has not consumed. */
    int pending() {
        return tail - kernelHead();
    }

    /**
     * Publishes every prepared entry.
     *
     * @return the entries the kernel has yet to consume, the {@code to_submit} for io_uring_enter
     */
    int flush() {
        // Release: the SQE stores above happen-before the kernel's smp_load_acquire of sq.tail.
        U32.setRelease(ring, ktail, tail);
        return tail - kernelHead();
    }

    /**
     * Takes back the published entries the kernel did not consume, after io_uring_enter refused them. Only
     * valid without SQPOLL, where the kernel reads the tail only inside io_uring_enter.
     */
    void rewindTo(int head) {
        tail = head;
        // Release, as in flush(): pairs with the kernel's acquire of sq.tail on the next enter.
        U32.setRelease(ring, ktail, tail);
    }

    /** The user_data of the entry at ring position {@code position} (read back from our own SQE). */
    long userDataAt(int position) {
        return IoUringSqe.userData(sqes, (position & mask) * SQE_SIZE);
    }

    /**
     * With SQPOLL: true if the kernel's poll thread sleeps and needs IORING_ENTER_SQ_WAKEUP. The full fence
     * orders our tail store before the flags load; it pairs with the kernel's smp_mb() between setting
     * IORING_SQ_NEED_WAKEUP and re-reading the tail in io_sqpoll_wait_sq / __io_sq_thread.
     */
    boolean needsWakeup() {
        VarHandle.fullFence();
        return (flags() & IoUringConstants.IORING_SQ_NEED_WAKEUP) != 0;
    }

    /** True while completions wait in the kernel's overflow list (the CQ was full; see IORING_FEAT_NODROP). */
    boolean cqOverflow() {
        return (flags() & IoUringConstants.IORING_SQ_CQ_OVERFLOW) != 0;
    }

    private int flags() {
        // Acquire: pairs with the kernel's atomic_or / release of sq.flags.
        return (int) U32.getAcquire(ring, kflags);
    }

    /** SQEs the kernel dropped as invalid (their index out of range; never with the identity array). */
    int dropped() {
        return (int) U32.getAcquire(ring, kdropped);
    }

    // ---- one method per operation --------------------------------------------------------------------------

    /** IORING_OP_READ: pread(fd, address, length, position). */
    void prepareRead(int fd, long address, int length, long position, long userData) {
        IoUringSqe.set(sqes, next(), IORING_OP_READ, fd, position, address, length, 0, userData);
    }

    /** IORING_OP_WRITE: pwrite(fd, address, length, position). */
    void prepareWrite(int fd, long address, int length, long position, long userData) {
        IoUringSqe.set(sqes, next(), IORING_OP_WRITE, fd, position, address, length, 0, userData);
    }

    /** IORING_OP_READV: preadv(fd, iovecs, count, position). */
    void prepareReadv(int fd, long iovecs, int count, long position, long userData) {
        IoUringSqe.set(sqes, next(), IORING_OP_READV, fd, position, iovecs, count, 0, userData);
    }

    /** IORING_OP_WRITEV: pwritev(fd, iovecs, count, position). */
    void prepareWritev(int fd, long iovecs, int count, long position, long userData) {
        IoUringSqe.set(sqes, next(), IORING_OP_WRITEV, fd, position, iovecs, count, 0, userData);
    }

    /** IORING_OP_FSYNC: fsync(fd), or fdatasync(fd) with {@code dataOnly} (IORING_FSYNC_DATASYNC). */
    void prepareFsync(int fd, boolean dataOnly, long userData) {
        IoUringSqe.set(sqes, next(), IORING_OP_FSYNC, fd, 0, 0, 0, dataOnly ? IORING_FSYNC_DATASYNC : 0, userData);
    }

    /**
     * IORING_OP_FALLOCATE: fallocate(fd, mode, offset, length). The kernel takes the 64-bit length from
     * {@code addr} and the mode from {@code len} (io_fallocate_prep in io_uring/sync.c).
     */
    void prepareFallocate(int fd, int mode, long offset, long length, long userData) {
        IoUringSqe.set(sqes, next(), IORING_OP_FALLOCATE, fd, offset, length, mode, 0, userData);
    }

    /** IORING_OP_READ of the 8-byte eventfd counter into {@code buffer}: the ring thread's wake-up. */
    void prepareReadEventfd(int eventFd, long buffer, long userData) {
        IoUringSqe.set(sqes, next(), IORING_OP_READ, eventFd, 0, buffer, Long.BYTES, 0, userData);
    }

    /** IORING_OP_ASYNC_CANCEL of the request whose user_data is {@code target}. */
    void prepareCancel(long target, long userData) {
        IoUringSqe.set(sqes, next(), IORING_OP_ASYNC_CANCEL, -1, 0, target, 0, 0, userData);
    }

    /**
     * IORING_OP_ASYNC_CANCEL of every request on {@code fd} (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL,
     * 5.19); the kernel matches the open file it looks up when it issues the cancel, not the number.
     */
    void prepareCancelFd(int fd, long userData) {
        IoUringSqe.set(sqes, next(), IORING_OP_ASYNC_CANCEL, fd, 0, 0, 0,
                IoUringConstants.IORING_ASYNC_CANCEL_FD | IoUringConstants.IORING_ASYNC_CANCEL_ALL, userData);
    }

    private long next() {
        if (free() <= 0) {
            throw new IllegalStateException("submission queue full: " + this);
        }
        return (tail++ & mask) * SQE_SIZE;
    }

    @Override
    public String toString() {
        return "SubmissionQueue[entries=" + entries + ", pending=" + pending() + ", flags=0x"
                + Integer.toHexString(flags()) + ", dropped=" + dropped() + "]";
    }
}

package dev.ioengine.channels;

import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.events.IoEvents;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.Iovec;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import dev.ioengine.internal.linux.OwnedMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * The system calls a blocking channel makes on its caller's own thread, as the JDK's {@code FileDispatcherImpl}
 * does: one pread, pwrite, preadv, pwritev, fsync or fdatasync per call, no engine, no {@link Operation}, nothing
 * allocated. A blocking call on a platform thread gains nothing from a hand-off to the engine; this is the JDK's
 * own cost, the floor to meet.
 *
 * <p>Buffers: a direct or segment-backed buffer goes to the kernel as it is (a single buffer as a segment, so its
 * memory session is held for the call); heap buffers are copied through this thread's bounce buffer (as the JDK's
 * per-thread temporary direct buffers, {@code sun.nio.ch.Util}), page aligned and grown up to {@link #MAX_BOUNCE}
 * bytes, larger transfers going in chunks of that size. The thread's buffers are freed with the thread.
 *
 * <p>Every call holds a reference on the channel's {@link Descriptor} for its whole duration, so a close that
 * waits for the descriptor's references also waits for it; a closed descriptor answers {@link #CLOSED} without a
 * call. EINTR is retried while the descriptor is open, as the JDK's channels retry it while open.
 *
 * <p>Results: bytes moved ({@code >= 0}; 0 for a read at end of file), {@code -errno} when the first call failed,
 * or {@link #CLOSED}. A failure after some bytes moved reports those bytes; the next call meets the failure again.
 * O_DIRECT ({@code alignment > 0}): the caller checks positions, lengths and buffers first
 * ({@link #checkDirectIo}); heap chunks are then multiples of the alignment.
 */
final class CallerThreadIo {
    /** What a call answers when the descriptor was closed before it could be made. */
    static final long CLOSED = Long.MIN_VALUE;
    /** The most heap-buffer bytes copied per system call, and the largest bounce buffer a thread keeps. */
    static final int MAX_BOUNCE = 1 << 20;
    private static final int MIN_BOUNCE = 4096;
    private static final int PAGE = 4096;
    private static final int MAX_IOVECS = IoRequest.MAX_IOVECS;

    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    private CallerThreadIo() {
    }

    /**
     * One thread's errno capture, bounce buffer and iovec array, reused by every call it makes. The bounce buffer
     * and the iovecs are freed when the thread ends ({@link OwnedMemory}), as the JDK frees its threads'
     * temporary buffers, not left to a garbage collection.
     */
    private static final class Scratch {
        final MemorySegment callState = Native.callState();
        private final OwnedMemory bounceMemoryOwner = OwnedMemory.create();
        private final OwnedMemory iovecMemoryOwner = OwnedMemory.create();
        /** Null until a heap buffer is first copied; capacity a power of two, page aligned. */
        ByteBuffer bounce;
        MemorySegment bounceMemory;
        MemorySegment iovecs;
        int iovecCapacity;

        Scratch() {
            bounceMemoryOwner.freeWhenUnreachable(this);
            iovecMemoryOwner.freeWhenUnreachable(this);
        }

        /** The bounce buffer: {@code size} bytes or more (size is at most MAX_BOUNCE), aligned to {@code alignment}. */
        ByteBuffer bounce(int size, int alignment) {
            ByteBuffer b = bounce;
            if (b == null || b.capacity() < size || bounceMemory.address() % alignment != 0) {
                int capacity = Math.max(MIN_BOUNCE, Integer.highestOneBit(Math.max(1, size - 1)) << 1);
                // Calls on this thread are over when they return: the smaller buffer is no longer used.
                Arena arena = b == null ? bounceMemoryOwner.arena() : bounceMemoryOwner.renew();
                bounceMemory = arena.allocate(capacity, Math.max(PAGE, alignment));
                b = bounceMemory.asByteBuffer();
                bounce = b;
            }
            return b;
        }

        MemorySegment iovecs(int count) {
            if (iovecCapacity < count) {
                int capacity = Math.max(16, Integer.highestOneBit(Math.max(1, count - 1)) << 1);
                Arena arena = iovecs == null ? iovecMemoryOwner.arena() : iovecMemoryOwner.renew();
                iovecs = arena.allocate(Iovec.LAYOUT, capacity);
                iovecCapacity = capacity;
            }
            return iovecs;
        }
    }

    // ---- one buffer -----------------------------------------------------------------------------------------

    /** pread into {@code dst}'s remaining bytes at {@code position}; {@code dst} must have bytes remaining. */
    static long read(Descriptor descriptor, ByteBuffer dst, long position, int alignment, FaultInjector faults) {
        if (!descriptor.acquire()) {
            return CLOSED;
        }
        try {
            Scratch scratch = SCRATCH.get();
            if (dst.isDirect()) {
                MemorySegment memory = MemorySegment.ofBuffer(dst);
                long n = call(scratch, descriptor, true, memory, memory.byteSize(), position, faults);
                if (n > 0) {
                    dst.position(dst.position() + (int) n);
                }
                return n;
            }
            long total = 0;
            while (dst.hasRemaining()) {
                int chunk = Math.min(dst.remaining(), MAX_BOUNCE);
                ByteBuffer bounce = scratch.bounce(chunk, Math.max(1, alignment));
                long n = call(scratch, descriptor, true, scratch.bounceMemory, chunk, position + total, faults);
                if (n <= 0) {
                    return total > 0 ? total : n;
                }
                dst.put(dst.position(), bounce, 0, (int) n);
                dst.position(dst.position() + (int) n);
                total += n;
                if (n < chunk) {
                    break;
                }
            }
            return total;
        } finally {
            descriptor.release();
        }
    }

    /** pwrite of all of {@code src}'s remaining bytes at {@code position}, as many calls as that takes. */
    static long write(Descriptor descriptor, ByteBuffer src, long position, int alignment, FaultInjector faults) {
        if (!descriptor.acquire()) {
            return CLOSED;
        }
        try {
            Scratch scratch = SCRATCH.get();
            long total = 0;
            while (src.hasRemaining()) {
                long n;
                if (src.isDirect()) {
                    MemorySegment memory = MemorySegment.ofBuffer(src);
                    n = call(scratch, descriptor, false, memory, memory.byteSize(), position + total, faults);
                } else {
                    int chunk = Math.min(src.remaining(), MAX_BOUNCE);
                    ByteBuffer bounce = scratch.bounce(chunk, Math.max(1, alignment));
                    bounce.put(0, src, src.position(), chunk);
                    n = call(scratch, descriptor, false, scratch.bounceMemory, chunk, position + total, faults);
                }
                if (n <= 0) {
                    return total > 0 ? total : n;
                }
                src.position(src.position() + (int) n);
                total += n;
            }
            return total;
        } finally {
            descriptor.release();
        }
    }

    private static long call(Scratch scratch, Descriptor descriptor, boolean isRead, MemorySegment memory,
            long length, long position, FaultInjector faults) {
        long r;
        do {
            r = isRead ? LibC.pread(scratch.callState, descriptor.fd(), memory, length, position)
                    : LibC.pwrite(scratch.callState, descriptor.fd(), memory, length, position);
        } while (r == -Errno.EINTR && !descriptor.isClosed());
        if (r == -Errno.EINTR) {
            return CLOSED;
        }
        return faults == null ? r : injected(faults, isRead ? IoOp.READ : IoOp.WRITE, r);
    }

    // ---- several buffers ------------------------------------------------------------------------------------

    /**
     * preadv into the buffers' remaining bytes at {@code position}: one call (more only when heap buffers exceed
     * {@link #MAX_BOUNCE} or there are more than {@link IoRequest#MAX_IOVECS} buffers, and each call was whole).
     */
    static long read(Descriptor descriptor, ByteBuffer[] dsts, int offset, int length, long position, int alignment,
            FaultInjector faults) {
        return vectored(descriptor, true, dsts, offset, length, position, alignment, faults);
    }

    /** pwritev of all of the buffers' remaining bytes at {@code position}, as many calls as that takes. */
    static long write(Descriptor descriptor, ByteBuffer[] srcs, int offset, int length, long position, int alignment,
            FaultInjector faults) {
        return vectored(descriptor, false, srcs, offset, length, position, alignment, faults);
    }

    private static long vectored(Descriptor descriptor, boolean isRead, ByteBuffer[] buffers, int offset, int length,
            long position, int alignment, FaultInjector faults) {
        if (!descriptor.acquire()) {
            return CLOSED;
        }
        try {
            Scratch scratch = SCRATCH.get();
            long total = 0;
            while (true) {
                // Plan one call: the buffers in order, heap ones up to MAX_BOUNCE bytes in all.
                int heapBytes = 0;
                int count = 0;
                for (int i = offset; i < offset + length && count < MAX_IOVECS && heapBytes < MAX_BOUNCE; i++) {
                    ByteBuffer b = buffers[i];
                    if (b.hasRemaining()) {
                        count++;
                        if (!b.isDirect()) {
                            heapBytes += Math.min(b.remaining(), MAX_BOUNCE - heapBytes);
                        }
                    }
                }
                if (count == 0) {
                    return total;
                }
                ByteBuffer bounce = heapBytes > 0 ? scratch.bounce(heapBytes, Math.max(1, alignment)) : null;
                MemorySegment iovecs = scratch.iovecs(count);
                long asked = fill(iovecs, scratch, bounce, isRead, buffers, offset, length, count, heapBytes);
                long r;
                do {
                    r = isRead ? LibC.preadv(scratch.callState, descriptor.fd(), iovecs, count, position + total)
                            : LibC.pwritev(scratch.callState, descriptor.fd(), iovecs, count, position + total);
                } while (r == -Errno.EINTR && !descriptor.isClosed());
                Reference.reachabilityFence(buffers);
                if (r == -Errno.EINTR) {
                    r = CLOSED;
                } else if (faults != null) {
                    r = injected(faults, isRead ? IoOp.READV : IoOp.WRITEV, r);
                }
                if (r <= 0) {
                    return total > 0 ? total : r;
                }
                moveBuffers(bounce, isRead, buffers, offset, length, count, heapBytes, r);
                total += r;
                if (isRead && r < asked) {
                    return total;
                }
            }
        } finally {
            descriptor.release();
        }
    }

    /** Fills the iovecs for the planned call (heap bytes copied into the bounce buffer for a write): bytes asked. */
    private static long fill(MemorySegment iovecs, Scratch scratch, ByteBuffer bounce, boolean isRead,
            ByteBuffer[] buffers, int offset, int length, int count, int heapBytes) {
        long asked = 0;
        int bounced = 0;
        int n = 0;
        for (int i = offset; i < offset + length && n < count; i++) {
            ByteBuffer b = buffers[i];
            if (!b.hasRemaining()) {
                continue;
            }
            int len;
            long address;
            if (b.isDirect()) {
                MemorySegment memory = MemorySegment.ofBuffer(b);
                len = (int) memory.byteSize();
                address = memory.address();
            } else {
                len = Math.min(b.remaining(), heapBytes - bounced);
                if (!isRead) {
                    bounce.put(bounced, b, b.position(), len);
                }
                address = scratch.bounceMemory.address() + bounced;
                bounced += len;
            }
            Iovec.set(iovecs, n++, address, len);
            asked += len;
        }
        return asked;
    }

    /**
     * After a call that moved {@code moved} bytes: advances the buffers in order, copying read bytes out of the
     * bounce buffer.
     */
    private static void moveBuffers(ByteBuffer bounce, boolean isRead, ByteBuffer[] buffers, int offset, int length,
            int count, int heapBytes, long moved) {
        long left = moved;
        int bounced = 0;
        int n = 0;
        for (int i = offset; i < offset + length && n < count && left > 0; i++) {
            ByteBuffer b = buffers[i];
            if (!b.hasRemaining()) {
                continue;
            }
            n++;
            int len = b.isDirect() ? b.remaining() : Math.min(b.remaining(), heapBytes - bounced);
            int done = (int) Math.min(len, left);
            if (!b.isDirect()) {
                if (isRead) {
                    b.put(b.position(), bounce, bounced, done);
                }
                bounced += len;
            }
            b.position(b.position() + done);
            left -= done;
        }
    }

    /**
     * The O_DIRECT checks of {@link Operation#prepareTransfer}, with the JDK's messages, before any call: the
     * position, the total, each direct buffer's address and length, and with several buffers each heap length.
     */
    static void checkDirectIo(ByteBuffer[] buffers, int offset, int length, long position, int alignment)
            throws IOException {
        if (position % alignment != 0) {
            throw Operation.misaligned("Channel position", position, alignment);
        }
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer b = buffers[i];
            if (!b.hasRemaining()) {
                continue;
            }
            // The JDK's order (sun.nio.ch.IOUtil): a direct buffer's position, then any buffer's remaining bytes.
            long address = b.isDirect() ? MemorySegment.ofBuffer(b).address() : 0;
            if (address % alignment != 0) {
                throw Operation.misalignedBufferPosition(b.position(), address, alignment);
            }
            if (b.remaining() % alignment != 0) {
                throw Operation.misaligned("Number of remaining bytes", b.remaining(), alignment);
            }
        }
    }

    // ---- sync -----------------------------------------------------------------------------------------------

    /** {@link #sync}, recorded as a JFR force event of {@code path} when one is enabled and the sync was made. */
    static long syncRecorded(Descriptor descriptor, String path, boolean metaData, FaultInjector faults) {
        Object event = IoEvents.beginForce();
        long r = sync(descriptor, metaData, faults);
        if (event != null && r == 0) {
            IoEvents.commitForce(event, path, metaData, descriptor.engine());
        }
        return r;
    }

    /** fsync ({@code metaData}) or fdatasync: 0, {@code -errno}, or {@link SyncGroup#NOT_DONE} when closed. */
    static long sync(Descriptor descriptor, boolean metaData, FaultInjector faults) {
        if (!descriptor.acquire()) {
            return SyncGroup.NOT_DONE;
        }
        try {
            MemorySegment state = SCRATCH.get().callState;
            long r = metaData ? LibC.fsync(state, descriptor.fd()) : LibC.fdatasync(state, descriptor.fd());
            return faults == null ? r : injected(faults, metaData ? IoOp.FSYNC : IoOp.FDATASYNC, r);
        } finally {
            descriptor.release();
        }
    }

    /** The injector's answer held to its contract, as the engines hold it: never more bytes than the kernel moved. */
    private static long injected(FaultInjector faults, IoOp op, long kernelResult) {
        long injected = faults.onCallerThreadCall(op, kernelResult);
        if (injected >= 0 && (kernelResult < 0 || injected > kernelResult)) {
            return kernelResult;
        }
        return injected;
    }
}

package dev.ioengine.internal.engine;

import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.linux.Iovec;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import dev.ioengine.internal.linux.OwnedMemory;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

/**
 * The system call behind {@link EngineCore#tryNow}: a read or write with {@code RWF_NOWAIT} on the calling
 * thread. The iovec array is a per-thread scratch area, so an attempt allocates nothing after a thread's first.
 */
final class NowaitTransfer {
    /** {@link #attempt}'s answer when the kernel would have waited (or cannot serve the file this way). */
    static final long WOULD_WAIT = Long.MIN_VALUE;
    /** Vectored requests with more buffers than this go to the engine: the scratch area stays small. */
    private static final int MAX_IOVECS = 16;
    /** Each thread's iovecs, freed when the thread ends ({@link OwnedMemory}). */
    private static final ThreadLocal<MemorySegment> IOVECS = new ThreadLocal<>() {
        @Override
        protected MemorySegment initialValue() {
            OwnedMemory memory = OwnedMemory.create();
            MemorySegment iovecs = memory.arena().allocate(Iovec.LAYOUT, MAX_IOVECS);
            memory.freeWhenUnreachable(iovecs);
            return iovecs;
        }
    };

    private NowaitTransfer() {
    }

    /**
     * Reads or writes the prepared request now, without waiting.
     *
     * @return bytes transferred (possibly short: up to the first page not cached), or {@link #WOULD_WAIT}
     */
    static long attempt(IoRequest request) {
        int count;
        MemorySegment iovecs = IOVECS.get();
        if (request.op() == IoOp.READ || request.op() == IoOp.WRITE) {
            Iovec.set(iovecs, 0, request.segment());
            count = 1;
        } else {
            MemorySegment[] segments = request.segments();
            if (segments.length > MAX_IOVECS) {
                return WOULD_WAIT;
            }
            for (int i = 0; i < segments.length; i++) {
                Iovec.set(iovecs, i, segments[i]);
            }
            count = segments.length;
        }
        long result;
        try {
            result = request.op().isRead()
                    ? LibC.preadv2(Native.callState(), request.fd(), iovecs, count, request.position(),
                            LibC.RWF_NOWAIT)
                    : LibC.pwritev2(Native.callState(), request.fd(), iovecs, count, request.position(),
                            LibC.RWF_NOWAIT);
        } finally {
            // The iovecs hold raw addresses: the request (and through it the buffers) must outlive the call.
            Reference.reachabilityFence(request);
        }
        // Any failure goes to the engine, which tries again and reports it as it reports every failure: EAGAIN
        // (not cached, or a lock is held), EOPNOTSUPP (the file system cannot do this without waiting: ext4
        // buffered writes, for one) and real errors alike.
        return result >= 0 ? result : WOULD_WAIT;
    }
}

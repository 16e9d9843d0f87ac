package dev.ioengine.channels;

import dev.ioengine.IoEngine;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.events.IoEvents;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The short road for a one-buffer read or write of a file without O_DIRECT that the page cache can serve at once
 * ({@link IoEngine#tryNow}): no {@link Operation}, no registration with the channel, one system call, as the
 * JDK's {@code pread} costs. Refused (not cached, or the heuristic of {@link Descriptor.ImmediateOdds} says not
 * to try), the caller takes the engine's road, which handles everything else.
 */
final class ImmediateTransfer {
    /** {@link #transfer}'s answer when the operation must go through the engine instead. */
    static final long REFUSED = Long.MIN_VALUE;
    /**
     * One request per thread, reused: served or refused, it is done with before {@link #transfer} returns, and
     * the path allocates no request. Between uses it is left prepared as an fsync, holding no caller's memory.
     */
    private static final ThreadLocal<IoRequest> REQUEST = ThreadLocal.withInitial(IoRequest::new);

    private ImmediateTransfer() {
    }

    /**
     * Reads into (or writes from) {@code buffer}'s remaining bytes at {@code position}, now, if the kernel can
     * without waiting; a heap buffer, or one over an arena's segment ({@link CollectedMemory}), goes through a
     * pooled bounce buffer. A JFR event names {@code path}. The buffer must have bytes remaining.
     *
     * @return the bytes moved (the buffer's position advanced by as many; short when a later page is not cached,
     *     0 at end of file), or {@link #REFUSED} with nothing moved
     * @throws RuntimeException what the engine's {@link IoEngine#tryNow} throws (a closed engine, a freed arena)
     */
    static long transfer(IoEngine engine, Descriptor descriptor, String path, boolean isRead, ByteBuffer buffer,
            long position) {
        return transfer(engine, descriptor, path, isRead, buffer, buffer.isDirect() ? MemorySegment.ofBuffer(buffer)
                : null, position);
    }

    /**
     * {@link #transfer(IoEngine, Descriptor, String, boolean, ByteBuffer, long)} given the buffer's memory:
     * {@code direct} is {@code MemorySegment.ofBuffer(buffer)} (which a caller may keep from an earlier call on the
     * same buffer, position and limit) for a direct buffer, null for a heap buffer.
     */
    static long transfer(IoEngine engine, Descriptor descriptor, String path, boolean isRead, ByteBuffer buffer,
            MemorySegment direct, long position) {
        int length = buffer.remaining();
        boolean copies = direct == null || !CollectedMemory.is(direct);
        if (copies && length > BouncePool.MAX_POOLED || position + length < 0) {
            // The engine's road splits large heap transfers into chunks and bounce buffers of its own, and
            // reports a transfer past the largest file offset with the JDK's exception.
            return REFUSED;
        }
        Descriptor.ImmediateOdds odds = descriptor.immediate(isRead);
        if (!odds.worthTrying() || !descriptor.acquire()) {
            return REFUSED;
        }
        ByteBuffer bounce = null;
        Object event = isRead ? IoEvents.beginRead() : IoEvents.beginWrite();
        try {
            MemorySegment memory;
            if (!copies) {
                memory = direct;
            } else {
                bounce = BouncePool.acquire(length, 1);
                if (!isRead) {
                    bounce.put(0, buffer, buffer.position(), length);
                }
                memory = MemorySegment.ofBuffer(bounce).asSlice(0, length);
            }
            IoRequest request = REQUEST.get();
            int moved;
            try {
                if (isRead) {
                    descriptor.prepareRead(request, position, memory);
                } else {
                    descriptor.prepareWrite(request, position, memory);
                }
                boolean served = engine.tryNow(request);
                odds.tried(served);
                if (!served) {
                    return REFUSED;
                }
                moved = (int) request.result();
            } finally {
                descriptor.prepareFsync(request);
            }
            if (isRead && bounce != null) {
                buffer.put(buffer.position(), bounce, 0, moved);
            }
            buffer.position(buffer.position() + moved);
            if (isRead) {
                IoEvents.commitRead(event, path, moved, engine.kind(), true);
            } else {
                IoEvents.commitWrite(event, path, moved, engine.kind(), true);
            }
            return moved;
        } finally {
            descriptor.release();
            if (bounce != null) {
                BouncePool.release(bounce);
            }
        }
    }
}
